#!/usr/bin/env python3
"""Sends the hostile-input corpus to a running `lookout receive`, many rounds, and checks that its
memory stays flat (VmRSS after round 1, warm, against VmRSS after the last round) and that it
holds no connection once its idle timeout has passed (open descriptors back to where they were).

The cases are HostileInputTests' (that test checks the reason codes and what is published), printed
by `lookout-bench corpus` (Tests/LookoutTestSupport/HostileCorpus.swift), with the one a real
receiver alone gets: a 2 MiB chunked body with no declared length, which it must cut off while
reading. Cases of a round run concurrently.

usage: hostile.py --bench LOOKOUT_BENCH --port P --pid PID --secret S [--rounds N] [--max-growth-mib M]
                  [--body-timeout-ms T] [--idle-timeout-ms T]
Exit 0 when every answer is as expected, growth ≤ M MiB and no connection is left; 1 otherwise.
"""
import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

def corpus(bench, secret):
    """(name, body, headers, expected status, how, pieces) of every case, signed now, from the Swift
    corpus (Tests/LookoutTestSupport/HostileCorpus.swift) as `lookout-bench corpus` prints it."""
    lines = subprocess.run([bench, "corpus", "--secret", secret], check=True, capture_output=True, text=True).stdout
    return [(c["name"], base64.b64decode(c["body"]), [tuple(h) for h in c["headers"]], c["expected"], c["sending"], c["pieces"])
            for c in map(json.loads, lines.splitlines())]


def send(port, item, body_timeout_ms):
    """The status the receiver answered (0: the connection ended without one)."""
    name, body, headers, _, how, pieces = item
    length = "transfer-encoding: chunked\r\n" if how == "chunked" else f"content-length: {len(body)}\r\n"
    head = "POST /zoom/webhook HTTP/1.1\r\nhost: localhost\r\n" + length + "connection: close\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        try:
            connection.sendall(head.encode("latin-1"))
            if how == "whole" and pieces == 1:
                connection.sendall(body)
            elif how == "whole":  # trickled: the whole taking longer than the body timeout
                pause = body_timeout_ms / 1000 / 2
                for start in range(0, len(body), len(body) // pieces + 1):
                    connection.sendall(body[start:start + len(body) // pieces + 1])
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
    parser.add_argument("--bench", required=True)
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
            cases = corpus(args.bench, args.secret)  # signed afresh: a long run outlives the 5-minute tolerance
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
