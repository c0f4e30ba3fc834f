#!/usr/bin/env python3
"""Sends the hostile-input corpus to a running `lookout receive`, many rounds, and checks that its
memory stays flat (VmRSS after round 1, warm, against VmRSS after the last round) and that it
holds no connection once its idle timeout has passed (open descriptors back to where they were).

The cases mirror Tests/ReceiverTests/HostileInputTests.swift (same names, same expected status;
that test checks the reason codes and what is published), plus a 2 MiB chunked body with no
declared length, which the receiver must cut off while reading. Cases of a round run concurrently.

usage: hostile.py --port P --pid PID --secret S [--rounds N] [--max-growth-mib M] [--body-timeout-ms T]
                  [--idle-timeout-ms T]
Exit 0 when every answer is as expected, growth ≤ M MiB and no connection is left; 1 otherwise.
"""
import argparse
import hashlib
import hmac
import os
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor

VALID = (b'{"event":"meeting.participant_joined","event_ts":1795334462000,"payload":{"account_id":"A","object":'
         b'{"id":"85012345678","topic":"Biology 101","participant":{"user_name":"Ada","join_time":"2026-11-22T08:01:02Z"}}}}')


def signature(secret, timestamp, body):
    return "v0=" + hmac.new(secret.encode(), b"v0:" + str(timestamp).encode() + b":" + body, hashlib.sha256).hexdigest()


def corpus(secret):
    """(name, body, headers, expected status, how) with how in: plain, trickle, head-only, chunked."""
    now = int(time.time())
    json_type = ("content-type", "application/json")

    def signed(body, timestamp=now, key=secret, content_type="application/json"):
        headers = [("x-zm-request-timestamp", str(timestamp)), ("x-zm-signature", signature(key, timestamp, body))]
        return headers + ([("content-type", content_type)] if content_type else [])

    def case(name, text, status):
        body = text.encode() if isinstance(text, str) else text
        return (name, body, signed(body), status, "plain")

    good = signed(VALID)
    tampered = bytearray(VALID)
    tampered[20] ^= 0x20
    deep = "[" * 5000 + "]" * 5000
    bad_utf8 = b'{"event":"meeting.started","payload":{"object":{"topic":"' + bytes([0xC3, 0x28, 0xFF]) + b'"}}}'
    validation = b'{"event":"endpoint.url_validation","payload":{"plainToken":"abc"}}'
    ts = ("x-zm-request-timestamp", str(now))
    return [
        ("no signature header", VALID, [ts, json_type], 401, "plain"),
        ("empty signature", VALID, [ts, ("x-zm-signature", ""), json_type], 401, "plain"),
        ("signature without v0=", VALID, [ts, ("x-zm-signature", good[1][1][3:]), json_type], 401, "plain"),
        ("signature too short", VALID, [ts, ("x-zm-signature", "v0=abcd"), json_type], 401, "plain"),
        ("signature not hex", VALID, [ts, ("x-zm-signature", "v0=" + "z" * 64), json_type], 401, "plain"),
        ("two signature headers", VALID, good + [("x-zm-signature", good[1][1])], 401, "plain"),
        ("signed with another secret", VALID, signed(VALID, key="attacker"), 401, "plain"),
        ("body tampered after signing", bytes(tampered), good, 401, "plain"),
        ("replayed: signature 3 hours old", VALID, signed(VALID, timestamp=now - 3 * 3600), 401, "plain"),
        ("signed 30 minutes ago (a retry keeping its timestamp)", VALID, signed(VALID, timestamp=now - 1800), 200, "plain"),
        ("late replay of a body already accepted", VALID, signed(VALID, timestamp=now - 1200), 200, "plain"),
        ("timestamp 10 minutes ahead", VALID, signed(VALID, timestamp=now + 600), 401, "plain"),
        ("no timestamp header", VALID, [("x-zm-signature", good[1][1]), json_type], 401, "plain"),
        ("timestamp not a number", VALID, [("x-zm-request-timestamp", "now"), ("x-zm-signature", good[1][1]), json_type], 401, "plain"),
        ("timestamp in milliseconds", VALID, signed(VALID, timestamp=now * 1000), 401, "plain"),
        ("negative timestamp", VALID, signed(VALID, timestamp=-1), 401, "plain"),
        ("text/plain content type", VALID, signed(VALID, content_type="text/plain"), 415, "plain"),
        ("no content type", VALID, signed(VALID, content_type=None), 415, "plain"),
        ("form content type", VALID, signed(VALID, content_type="application/x-www-form-urlencoded"), 415, "plain"),
        ("body over 1 MiB", b" " * ((1 << 20) + 10) + VALID, good, 413, "head-only"),
        ("body of 2 MiB, chunked, no declared length", b" " * (2 << 20) + VALID, good, 413, "chunked"),
        case("empty body", "", 400),
        case("truncated JSON", VALID[:-10], 400),
        case("JSON nested 5000 deep", '{"event":"x","payload":' + deep + "}", 400),
        ("invalid UTF-8 in a string", bad_utf8, signed(bad_utf8), 400, "plain"),
        case("NUL bytes", b"\0\0\0", 400),
        case("JSON array", '[{"event":"meeting.started"}]', 400),
        case("JSON string", '"meeting.started"', 400),
        case("no event field", '{"payload":{"object":{}}}', 400),
        case("event is a number", '{"event":42}', 400),
        case("event is empty", '{"event":""}', 400),
        case("event name of 300 characters", '{"event":"' + "e" * 300 + '"}', 400),
        case("URL validation without plainToken", '{"event":"endpoint.url_validation","payload":{}}', 400),
        ("URL validation signed with another secret", validation, signed(validation, key="attacker"), 401, "plain"),
        ("body trickled slower than the body timeout", VALID, good, 408, "trickle"),
        case("unknown event", '{"event":"meeting.something_new","payload":{}}', 200),
        case("payload fields of the wrong type", '{"event":"meeting.participant_joined","payload":{"object":{"id":[1],"participant":"Ada"}}}', 200),
        case("names with Markdown, mentions and HTML", '{"event":"meeting.participant_joined","payload":{"object":{"id":"1","participant":'
             '{"user_name":"@channel **x** <script>alert(1)</script> [a](http://e.vil)"}}}}', 200),
        ("request id of 4 KB", VALID, good + [("x-zm-request-id", "r" * 4096)], 200, "plain"),
        ("control character in a header", VALID, good + [("x-zm-request-id", "abc\x07def")], 400, "plain"),
    ]


def send(port, item, body_timeout_ms):
    """The status the receiver answered (0: the connection ended without one)."""
    name, body, headers, _, how = item
    length = "transfer-encoding: chunked\r\n" if how == "chunked" else f"content-length: {len(body)}\r\n"
    head = "POST /zoom/webhook HTTP/1.1\r\nhost: localhost\r\n" + length + "connection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        try:
            connection.sendall(head.encode("latin-1"))
            if how == "plain":
                connection.sendall(body)
            elif how == "trickle":  # four pieces, the whole taking longer than the body timeout
                pause = body_timeout_ms / 1000 / 2
                for start in range(0, len(body), len(body) // 4 + 1):
                    connection.sendall(body[start:start + len(body) // 4 + 1])
                    time.sleep(pause)
            elif how == "chunked":
                for start in range(0, len(body), 64 << 10):
                    piece = body[start:start + (64 << 10)]
                    connection.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                connection.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the receiver answered and closed before taking the whole body: read its answer
        answer = b""
        try:
            while b"\r\n" not in answer:
                data = connection.recv(4096)
                if not data:
                    break
                answer += data
        except (ConnectionResetError, socket.timeout):
            pass
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit(f"no VmRSS for pid {pid}")


def descriptors(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--max-growth-mib", type=float, default=10)
    parser.add_argument("--body-timeout-ms", type=int, default=800)
    parser.add_argument("--idle-timeout-ms", type=int, default=10_000)
    args = parser.parse_args()
    wrong, rss, started, before = [], [], time.monotonic(), descriptors(args.pid)
    with ThreadPoolExecutor(max_workers=8) as pool:
        for round_number in range(1, args.rounds + 1):
            cases = corpus(args.secret)  # signed afresh: a long run outlives the 5-minute tolerance
            answers = list(pool.map(lambda item: send(args.port, item, args.body_timeout_ms), cases))
            wrong += [f"round {round_number}: {item[0]}: {status} (expected {item[3]})"
                      for item, status in zip(cases, answers) if status != item[3]]
            rss.append(rss_kib(args.pid))
    sending = time.monotonic() - started
    time.sleep(args.idle_timeout_ms / 1000 + 2)  # every connection the receiver still has is idle by now
    after = descriptors(args.pid)
    growth = (rss[-1] - rss[0]) / 1024
    print(f"{len(cases)} kinds × {args.rounds} rounds = {len(cases) * args.rounds} requests in {sending:.0f} s")
    print(f"receiver VmRSS: after round 1 {rss[0] / 1024:.1f} MiB, after round {args.rounds} {rss[-1] / 1024:.1f} MiB, "
          f"growth {growth:+.1f} MiB ({100 * growth * 1024 / rss[0]:+.1f} %), highest {max(rss) / 1024:.1f} MiB; bound {args.max_growth_mib} MiB")
    print("VmRSS by round (MiB):", " ".join(f"{kib / 1024:.1f}" for kib in rss))
    print(f"receiver descriptors: {before} before round 1, {after} once idle for {args.idle_timeout_ms / 1000:.0f} s after the last round")
    for line in wrong[:20]:
        print("unexpected answer:", line)
    passed = not wrong and growth <= args.max_growth_mib and after <= before + 2
    print("Verdict:", "PASS" if passed else "FAIL",
          f"(every answer as expected, growth ≤ {args.max_growth_mib} MiB, no connection left: at most 2 descriptors more)")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
