#!/usr/bin/env python3
"""Dashboard load for ops/bench, standard library only.

  render  server time of each page (time to the last byte over loopback), ROUNDS times each, asked
          fresh (`Cache-Control: no-cache`: rendered for this request, not the shared per-version
          copy); and the first view after the projections change (the per-version arrangement too)
  fanout  STREAMS live pages: each holds /events open and, on every new version, fetches its page
          again as the page script does (after 0-400 ms); CHANGES signed joins posted to the
          receiver, one every GAP s; per change, webhook 200 to the last page told, and to the
          last page re-fetched

Results are one line of key=value pairs on stdout (render: one line per page).
"""
import argparse, asyncio, hashlib, hmac, json, os, random, re, sys, time, urllib.parse


def signed(secret, body):
    timestamp = str(int(time.time()))
    mac = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return timestamp, "v0=" + mac


def join_body(meeting, name, run):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return json.dumps({"event": "meeting.participant_joined", "event_ts": int(time.time() * 1000),
                       "payload": {"account_id": "bench", "object": {
                           "id": str(meeting), "uuid": f"{run}-{meeting}", "host_id": "bench-host", "topic": f"Bench class {meeting}",
                           "type": 2, "start_time": now, "participant": {
                               "user_id": name, "user_name": name, "id": "", "participant_uuid": name, "join_time": now}}}},
                      separators=(",", ":")).encode()


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def get(url, headers=None):
    """One GET on its own connection: (status, body, seconds to the last byte)."""
    parts = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    target = parts.path + (("?" + parts.query) if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    await writer.drain()
    data = await reader.read(-1)
    elapsed = time.perf_counter() - started
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head else 0
    return status, body, elapsed


async def post(url, body, secret):
    parts = urllib.parse.urlsplit(url)
    timestamp, signature = signed(secret, body)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write((f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {len(body)}\r\nx-zm-request-timestamp: {timestamp}\r\nx-zm-signature: {signature}\r\n"
                  "Connection: close\r\n\r\n").encode() + body)
    await writer.drain()
    data = await reader.read(-1)
    writer.close()
    return int(data.split(b" ", 2)[1])


async def render(args):
    pages = args.pages.split()
    _, stability, _ = await get(args.url + "/stability?period=30d")
    person = re.search(rb'href="(/people/[0-9A-Fa-f]+)', stability)
    meeting = re.search(rb'href="(/meetings/\d+)', stability)
    pages = [p.replace("PERSON", person.group(1).decode() if person else "/people/none")
              .replace("MEETING", meeting.group(1).decode() if meeting else "/meetings/0") for p in pages]
    for page in pages:
        times, size, status = [], 0, 0
        for _ in range(args.rounds):
            status, body, elapsed = await get(args.url + page, {"Cache-Control": "no-cache"})
            times.append(elapsed * 1000)
            size = len(body)
        print(f"page={page} status={status} kb={size / 1024:.0f} p50_ms={percentile(times, 50):.0f} p99_ms={percentile(times, 99):.0f}",
              flush=True)
    # After a change: told by the event stream (no page asked for yet), then the front page: the
    # changed documents read, the snapshot re-arranged for the pages, and rendered.
    parts = urllib.parse.urlsplit(args.url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(f"GET /events HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
    await writer.drain()

    async def next_version():
        while True:
            line = await asyncio.wait_for(reader.readline(), 30)
            if line.startswith(b"data: "):
                return int(line[6:].strip())

    current = await next_version()
    firsts = []
    for round in range(args.changes):
        assert await post(args.webhook, join_body(87900000001, f"render-{os.getpid()}-{round}", run="render"), args.secret) == 200
        while (seen := await next_version()) == current:
            pass
        current = seen
        _, _, elapsed = await get(args.url + "/")
        firsts.append(elapsed * 1000)
    writer.close()
    print(f"page=first-after-change p50_ms={percentile(firsts, 50):.0f} p99_ms={percentile(firsts, 99):.0f} changes={args.changes}", flush=True)


async def fanout(args):
    told, fetched, failures = {}, {}, [0]

    async def viewer(index, ready):
        parts = urllib.parse.urlsplit(args.url)
        page = args.page
        try:
            reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
            writer.write(f"GET /events HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n\r\n".encode())
            await writer.drain()
            shown = None
            ready.release()
            while True:
                line = await reader.readline()
                if not line:
                    return
                if line.startswith(b"data: "):
                    number = int(line[6:].strip() or -1)
                    if shown is None:
                        shown = number
                        continue
                    if number == shown:
                        continue
                    shown = number
                    told.setdefault(number, []).append(time.time())
                    await asyncio.sleep(random.random() * 0.4)
                    status, _, _ = await get(args.url + page)
                    if status != 200:
                        failures[0] += 1
                    fetched.setdefault(number, []).append(time.time())
        except (ConnectionError, OSError):
            failures[0] += 1

    ready = asyncio.Semaphore(0)
    tasks = [asyncio.create_task(viewer(i, ready)) for i in range(args.streams)]
    for _ in range(args.streams):
        await asyncio.wait_for(ready.acquire(), 30)
    await asyncio.sleep(2)
    posted = []
    for change in range(args.changes):
        body = join_body(87900000002, f"fanout-{os.getpid()}-{change}", run="fanout")
        status = await post(args.webhook, body, args.secret)
        posted.append((time.time(), status))
        await asyncio.sleep(args.gap)
    await asyncio.sleep(3)
    for task in tasks:
        task.cancel()
    # Each change's first new version after it was posted.
    versions = sorted(told)
    to_told, to_fetched, complete = [], [], 0
    for at, _ in posted:
        after = [v for v in versions if min(told[v]) >= at]
        if not after:
            continue
        v = after[0]
        to_told.append(max(told[v]) - at)
        if v in fetched:
            to_fetched.append(max(fetched[v]) - at)
        complete += len(told[v]) == args.streams
    print(f"streams={args.streams} changes={len(posted)} versions_seen={len(versions)} complete={complete} failures={failures[0]} "
          f"told_p50_s={percentile(to_told, 50):.2f} told_max_s={max(to_told or [float('nan')]):.2f} "
          f"refetched_p50_s={percentile(to_fetched, 50):.2f} refetched_max_s={max(to_fetched or [float('nan')]):.2f}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("render")
    r.add_argument("--url", required=True)
    r.add_argument("--webhook", required=True)
    r.add_argument("--secret", required=True)
    r.add_argument("--pages", required=True)
    r.add_argument("--rounds", type=int, default=20)
    r.add_argument("--changes", type=int, default=5)
    f = sub.add_parser("fanout")
    f.add_argument("--url", required=True)
    f.add_argument("--webhook", required=True)
    f.add_argument("--secret", required=True)
    f.add_argument("--page", default="/room")
    f.add_argument("--streams", type=int, default=200)
    f.add_argument("--changes", type=int, default=10)
    f.add_argument("--gap", type=float, default=2.0)
    args = parser.parse_args()
    asyncio.run(render(args) if args.command == "render" else fanout(args))


if __name__ == "__main__":
    main()
