"""The verdicts of the chaos test (`report.py chaos`) and of the cluster test (`report.py cluster`),
from what the replay was answered and what the store holds; for chaos also what the local
Mattermost accepted and what the broker parked. Prints a Markdown table (also written to
--report); exit 0 on pass, 1 on fail.

chaos: pass = lost 0, duplicated in store 0, every joined participant projected, notices lost 0
and no bad request seen by the Mattermost contract server. Posts repeated (a notice posted twice
after a kill: at-least-once) and parked messages are reported, not failed.
cluster: pass = lost 0, duplicated 0, every joined participant projected, and the stored count grew
while the node was down.
"""
import argparse
import collections
import json
import re
import time

from pymongo import MongoClient

NAME = re.compile(r"(?<![\w-])chaos-\d+(?![\w-])")
HIDDEN = re.compile(r" and (\d+) more$|^(\d+) people$")
JOINED, LEFT = "meeting.participant_joined", "meeting.participant_left"


def announced(capture):
    """(kind, name) -> number of accepted posts naming it, from the attachments' plain-text fallback
    ("chaos-7 joined · topic" for one, "3 joined · topic: chaos-1, chaos-2, chaos-3" for a group);
    also the posts and the names hidden behind "and N more"."""
    seen, posts, attachments, hidden = collections.Counter(), 0, 0, 0
    for line in open(capture, encoding="utf-8"):
        posts += 1
        names_in_post = set()
        for attachment in json.loads(line)["post"].get("attachments", []):
            attachments += 1
            fallback = attachment["fallback"]
            head = fallback.split(" · ", 1)[0]
            kind = JOINED if head.endswith(" joined") else LEFT if head.endswith((" left", " got disconnected")) else None
            if kind is None:
                continue
            names_in_post |= {(kind, name) for name in NAME.findall(fallback)}
            more = HIDDEN.search(fallback)
            hidden += int(more.group(1) or more.group(2)) if more else 0
        seen.update(names_in_post)
    return seen, posts, attachments, hidden


def parked(dlq_list):
    """Parked counts per queue and the reasons, from `lookout dlq list` output."""
    counts, reasons = {}, collections.Counter()
    queue = None
    for line in open(dlq_list, encoding="utf-8"):
        match = re.match(r"^(\S+): (\d+) parked$", line.rstrip())
        if match:
            queue = match.group(1)
            counts[queue] = int(match.group(2))
        elif line.startswith("  ") and queue:
            # "  <id>  <routing key>  <reason>[  at <time>][  <error>]"
            parts = line.strip().split("  ")
            reason = " ".join(p for p in parts[2:] if not p.startswith("at "))
            reasons[f"{queue}: {reason}"] += 1
    return counts, reasons


class Store:
    """What the replay was answered against what the store holds, for the events of one account
    (`lookout-bench events --run ACCOUNT`)."""

    def __init__(self, answers, uri, account):
        lines = [line.split(" ", 1) for line in open(answers).read().splitlines() if line]
        self.accepted = {key for key, answer in lines if answer == "200"}
        self.refused = collections.Counter(answer for _, answer in lines if answer != "200")
        self.db = MongoClient(uri)["lookout"]
        # One scan of the run's events (a large $in is slow on the MongoDB-wire server).
        documents = list(self.db.events.find({"payload.account_id": account},
                                             {"event": 1, "event_ts": 1, "payload.object.participant.user_name": 1}))
        self.stored_ids = {d["_id"] for d in documents} & self.accepted
        self.lost = len(self.accepted - self.stored_ids)
        # The same event stored twice under different keys would show as the same (event, participant, event_ts).
        seen = collections.Counter((d["event"], d["payload"]["object"]["participant"]["user_name"], d["event_ts"]) for d in documents)
        self.duplicated = sum(c - 1 for c in seen.values() if c > 1)
        # What was accepted and stored (a loss from the store fails anyway).
        self.expected = {(d["event"], d["payload"]["object"]["participant"]["user_name"]) for d in documents if d["_id"] in self.accepted}
        self.joined = {name for kind, name in self.expected if kind == JOINED}

    def rows(self):
        return [("accepted (2xx)", len(self.accepted)), ("not accepted (Zoom would retry)", sum(self.refused.values())),
                ("stored (of accepted)", len(self.stored_ids)), ("lost", self.lost), ("duplicated in store", self.duplicated),
                ("participants who joined (accepted)", len(self.joined))]

    def refusals(self):
        return "\n\nNot accepted, by answer: " + ", ".join(f"{k}: {v}" for k, v in self.refused.most_common()) if self.refused else ""


def table(rows):
    return "| figure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)


def verdict(text, passed, what, report):
    text += f"\n\nVerdict: **{'PASS' if passed else 'FAIL'}** ({what})\n"
    print(text)
    if report != "/dev/null":
        open(report, "w").write(text)
    return 0 if passed else 1


def chaos(args):
    store = Store(args.answers, args.mongo_uri, "chaos")
    db, expected, joined = store.db, store.expected, store.joined
    # Projections are eventually consistent: give a batch still in a worker's hands time to land.
    deadline = time.monotonic() + 120
    while True:
        presence = db.presence.count_documents({"name": {"$regex": "^chaos-"}})
        if presence >= len(joined) or time.monotonic() > deadline:
            break
        time.sleep(1)

    posted, posts, attachments, hidden = announced(args.capture)
    notices_lost = len(expected - posted.keys())
    repeated = sum(c - 1 for c in posted.values() if c > 1)
    stats = json.load(open(args.mattermost_stats))
    counts, reasons = parked(args.dlq)

    rows = [("events sent", args.sent), ("kill -9 (broker, store server, receiver, store, project, notify)", args.kills),
            *store.rows(), ("presence rows projected", presence),
            ("notices expected (joins and leaves accepted)", len(expected)),
            ("notices announced", len(expected & posted.keys())), ("notices lost", notices_lost),
            ("Mattermost posts accepted (attachments)", f"{posts} ({attachments})"),
            ("notices posted more than once (at-least-once)", repeated), ("names hidden behind \"and N more\"", hidden),
            ("bad requests seen by the Mattermost contract server", stats["bad_requests"]),
            ("answered 429 / 500 by it (retried)", f"{stats['answered_429']} / {stats['answered_500']}"),
            ("parked (DLQ)", ", ".join(f"{q} {n}" for q, n in counts.items()) or "none")]
    text = table(rows) + store.refusals()
    if reasons:
        text += "\n\nParked, by reason: " + "; ".join(f"{k} ×{v}" for k, v in reasons.most_common())
    if stats["bad_requests"]:
        text += "\n\nBad requests (first problems): " + "; ".join(stats["bad_examples"])
    if notices_lost:
        text += "\n\nNot announced (first 10): " + ", ".join(f"{k.split('_')[-1]} {n}" for k, n in sorted(expected - posted.keys())[:10])
    passed = store.lost == 0 and store.duplicated == 0 and presence >= len(joined) and notices_lost == 0 and stats["bad_requests"] == 0
    return verdict(text, passed, "lost 0, duplicated 0, every joined participant projected, every accepted join and leave announced,"
                   " no bad request to Mattermost", args.report)


def cluster(args):
    store = Store(args.answers, args.mongo_uri, "cluster")
    presence = store.db.presence.count_documents({"name": {"$regex": "^cluster-"}})
    during = int(args.drained) - int(args.at_stop)
    rows = [("events sent", args.sent), ("node stopped", args.stopped),
            ("new leader of lookout.store elected within", args.elected),
            ("stored when the node stopped", args.at_stop), ("stored when the load ended (node still down)", args.end_of_load),
            ("stored while the node was down", f"{during} (outage {args.outage}, node never restarted)"),
            ("connections made to the surviving nodes (Lookout holds 4)", args.connects),
            ("publisher reconnects after a nack", args.refusals), *store.rows(), ("presence rows projected", presence)]
    passed = store.lost == 0 and store.duplicated == 0 and presence >= len(store.joined) and during > 0
    return verdict(table(rows) + store.refusals(), passed,
                   "lost 0, duplicated 0, every joined participant projected, stored count grew with a node down", args.report)


def main():
    parser = argparse.ArgumentParser()
    tests = parser.add_subparsers(dest="test", required=True)
    options = {"chaos": ("capture", "mattermost-stats", "dlq", "kills"),
               "cluster": ("stopped", "at-stop", "end-of-load", "drained", "elected", "outage", "connects", "refusals")}
    for test, names in options.items():
        sub = tests.add_parser(test)
        for name in ("answers", "mongo-uri", "sent", "report") + names:
            sub.add_argument("--" + name, required=True)
    args = parser.parse_args()
    return chaos(args) if args.test == "chaos" else cluster(args)


if __name__ == "__main__":
    raise SystemExit(main())
