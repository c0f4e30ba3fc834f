#!/usr/bin/env python3
"""CPU per thread of a process, summed by thread name, from /proc (perf does not work in this VM).

  threads.py snapshot PID FILE          CPU seconds of each thread so far, into FILE
  threads.py since PID FILE REQUESTS    µs of CPU per request of each thread name since FILE, largest first
"""
import json
import os
import sys
from collections import Counter


def threads(pid):
    hz, found = os.sysconf("SC_CLK_TCK"), {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except FileNotFoundError:
            continue
        # The name is in parentheses and may contain spaces; utime and stime are fields 14 and 15.
        name, fields = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        found[tid] = [name, (int(fields[11]) + int(fields[12])) / hz]
    return found


if sys.argv[1] == "snapshot":
    json.dump(threads(sys.argv[2]), open(sys.argv[3], "w"))
elif sys.argv[1] == "since":
    before, requests, by_name = json.load(open(sys.argv[3])), float(sys.argv[4]), Counter()
    for tid, (name, cpu) in threads(sys.argv[2]).items():
        # Swift's pool threads and NIO's loops carry numbers; one line per kind is what matters.
        kind = name.rstrip("0123456789#-") or name
        by_name[kind] += cpu - before.get(tid, [name, 0.0])[1]
    print(", ".join(f"{name} {cpu * 1e6 / requests:.0f}" for name, cpu in by_name.most_common() if cpu * 1e6 / requests >= 0.5))
else:
    sys.exit(__doc__)
