#!/usr/bin/env python3
"""Writes breakout_class.jsonl and breakout_class.truth.json: a class recorded in the shape real
Zoom deliveries have (shared/REFERENCE.md "Room moves", "Reconnects"): moves as a left + joined of
the same participant_uuid in the same second, ~4 in 10 pairs delivered reversed (event_ts reversed
in some), a third of moves with the plain reason, breakout-room events, reconnects under a new
participant_uuid a few seconds after a plain leave, Client Close (one never back, one back after
five minutes), host ended, waiting-room events, numeric ids, registrant_id null, no email.
The truth is computed here from the scenario, never from Lookout's output.
Run: python3 make_breakout_class.py (deterministic)."""
import json, random, datetime

rng = random.Random(20260830)
MEETING, UUID, TOPIC = 86712345678, "4444AAAiAAAAAiAiAiiAii==", "Chemistry 2B"
T0 = int(datetime.datetime(2026, 8, 30, 9, 0, tzinfo=datetime.timezone.utc).timestamp())
ROOMS = ["7DtWb0e1SQmJv0bpQ9eYCg==", "Qx3n9mJ2T7a1b0cdEfGhIg==", "k2LmN4oP6qR8sT0uVwXyZA==", "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Q=="]
names = ["Ana Souza", "Ben Okafor", "Chen Wei", "Dana Levi", "Emil Novak", "Fatima Zahra", "Gus Berg", "Hana Sato",
         "Ivan Petrov", "Jo O'Neil", "Kai Müller", "Lena Holm", "Mo Farah", "Nia Jones", "Omar Haddad", "Priya Rao",
         "Quinn Lee", "Rosa Díaz", "Sam & Max", "李小龍"]
iso = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
next_user = [16778240]
def user_id():
    next_user[0] += 1024
    return str(next_user[0])

people = {n: {"uuid": f"{rng.getrandbits(32):08X}-{rng.getrandbits(16):04X}-4C11-8E3A-{rng.getrandbits(48):012X}",
              "user": user_id()} for n in names}
steps = []          # each step: list of events of one moment, delivered in the order given
truth_in = {n: [] for n in names}   # connected intervals [start, end]
open_at = {}
moves = {n: 0 for n in names}
reconnects = {n: 0 for n in names}

def obj(extra=None, **participant):
    o = {"uuid": UUID, "id": MEETING, "host_id": "z8yCxjabcdEFGHfp8uQ", "topic": TOPIC, "type": 8,
         "start_time": iso(T0), "timezone": "Europe/London", "duration": 60}
    o.update(extra or {})
    o["participant"] = participant
    return o

def event(name, t, o, ts=None):
    return {"event": name, "event_ts": (ts if ts is not None else t * 1000 + rng.randrange(30, 900)),
            "payload": {"account_id": "AbCdEfGhIjKlMnOpQr", "object": o}}

def base(n):
    p = people[n]
    return {"user_id": p["user"], "user_name": n, "id": "", "participant_uuid": p["uuid"], "email": "",
            "registrant_id": None, "participant_user_id": ""}

def join(n, t):
    open_at[n] = t
    return event("meeting.participant_joined", t, obj(**base(n), join_time=iso(t)))

def leave(n, t, reason):
    truth_in[n].append([open_at.pop(n), t])
    return event("meeting.participant_left", t, obj(**base(n), leave_time=iso(t), leave_reason=f"{n} left the meeting. Reason : {reason}"))

def move(n, t, to_breakout, room):
    """One move: the leave and the join share the second and the participant_uuid; user_id changes."""
    moves[n] += 1
    plain = rng.random() < 1 / 3
    reason = "left the meeting" if plain else ("left the meeting to join breakout room" if to_breakout
                                               else "left the meeting leave breakout room to join main meeting")
    out = leave(n, t, reason)
    people[n]["user"] = user_id()
    back = join(n, t)
    pair = [out, back]
    if rng.random() < 0.4:
        pair.reverse()
        if rng.random() < 0.3:
            pair[0]["event_ts"], pair[1]["event_ts"] = min(pair[0]["event_ts"], pair[1]["event_ts"]), max(pair[0]["event_ts"], pair[1]["event_ts"])
    parts = {**base(n), "user_id": f"{people[n]['user']}{iso(t).replace('T', ' ').replace('Z', '')}:000", "parent_user_id": people[n]["user"]}
    if to_breakout:
        room_event = event("meeting.participant_joined_breakout_room", t, obj({"breakout_room_uuid": room}, **parts, join_time=iso(t)))
    else:
        room_event = event("meeting.participant_left_breakout_room", t, obj({"breakout_room_uuid": room}, **parts, leave_time=iso(t),
                           leave_reason=f"{n} left the meeting. Reason : left the meeting leave breakout room to join main meeting"))
    return pair + [room_event]

# 08:58: two wait in the waiting room first (not attendance).
steps.append([event("meeting.participant_put_in_waiting_room", T0 - 120, obj(**base(n), date_time=iso(T0 - 120))) for n in names[:2]])
steps.append([event("meeting.participant_admitted", T0 - 60, obj(**base(n), date_time=iso(T0 - 60))) for n in names[:2]])
# 09:00-09:02: everyone joins.
for i, n in enumerate(names):
    steps.append([join(n, T0 + 5 * i + rng.randrange(0, 5))])
# 09:05: three reconnect under a new participant_uuid a few seconds after a plain leave, 25 s
# apart (within a minute: a collective disconnection).
for i, n in enumerate(names[3:6]):
    t = T0 + 300 + 25 * i
    step = [leave(n, t, "left the meeting")]
    people[n] = {"uuid": f"{rng.getrandbits(32):08X}-RECO-4C11-8E3A-{rng.getrandbits(48):012X}", "user": user_id()}
    step.append(join(n, t + rng.randrange(3, 12)))
    reconnects[n] += 1
    steps.append(step)
# 09:10: everyone moves to a breakout room; 09:25 back.
assigned = {n: ROOMS[i % 4] for i, n in enumerate(names)}
for i, n in enumerate(names):
    steps.append(move(n, T0 + 600 + i // 5, True, assigned[n]))
for i, n in enumerate(names):
    steps.append(move(n, T0 + 1500 + i // 4, False, assigned[n]))
# 09:30: Client Close for two: one never back, one back after five minutes (a new stay).
steps.append([event("meeting.participant_left", T0 + 1800, obj(**base(names[6]), leave_time=iso(T0 + 1800),
              leave_reason=f"{names[6]} got disconnected from the meeting. Reason : Client Close."))])
truth_in[names[6]].append([open_at.pop(names[6]), T0 + 1800])
steps.append([event("meeting.participant_left", T0 + 1810, obj(**base(names[7]), leave_time=iso(T0 + 1810),
              leave_reason=f"{names[7]} got disconnected from the meeting. Reason : Client Close."))])
truth_in[names[7]].append([open_at.pop(names[7]), T0 + 1810])
people[names[7]] = {"uuid": "0B9F3E2D-BACK-4E5B-9D8C-7A6B5C4D3E2F", "user": user_id()}
steps.append([join(names[7], T0 + 2110)])
# 09:40: the host ends the meeting.
end = T0 + 2400
last = []
for n in list(open_at):
    last.append(event("meeting.participant_left", end, obj(**base(n), leave_time=iso(end),
                leave_reason=f"{n} left the meeting.<br>Reason: Host ended the meeting." if rng.random() < 0.2
                else f"{n} left the meeting. Reason : Host ended the meeting.")))
    truth_in[n].append([open_at.pop(n), end])
rng.shuffle(last)
steps.append(last)

with open("breakout_class.jsonl", "w") as out:
    for index, step in enumerate(steps):
        for e in step:
            out.write(json.dumps(e, ensure_ascii=False, separators=(",", ":")) + "\n")

truth = {"people": {n: {"seconds_in_room": sum(b - a for a, b in truth_in[n]), "moves": moves[n],
                        "reconnects": reconnects[n]} for n in names},
         "steps": []}
for index, step in enumerate(steps):
    times = [int(datetime.datetime.strptime((e["payload"]["object"].get("participant") or {}).get("join_time")
              or e["payload"]["object"]["participant"].get("leave_time") or e["payload"]["object"]["participant"].get("date_time"),
              "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc).timestamp()) for e in step]
    t = max(times)
    truth["steps"].append({"events": len(step), "in_room": sorted(n for n, spans in truth_in.items() if any(a <= t < b for a, b in spans))})
with open("breakout_class.truth.json", "w") as out:
    json.dump(truth, out, ensure_ascii=False, indent=1)
print(len(steps), "steps,", sum(len(s) for s in steps), "events,", sum(p["seconds_in_room"] for p in truth["people"].values()) / 3600, "hours")
