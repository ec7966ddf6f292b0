#!/usr/bin/env python3
"""merit report pool at a million candidates (issue 16): time and size of the HTML.

    python3 bench/bench_report.py [--merit build/merit] [--n 1000000] [--rounds 3]

Writes bench/data/report_pool_N.csv (git-ignored; fixed seed, reused when
present): N candidates on every competency of competency_models/sales_enablement.json,
levels 1..5 in half steps, ~2% empty. Then runs `merit report pool` (profile
sales_enablement, --top 100) ROUNDS times and prints the best wall time, the
HTML's size, and whether both are within the issue's limits (5 s, 2 MB). The
time is the whole command: reading and parsing the CSV, scoring, summarising
and writing the report; the CPU time (user + system) is printed beside the
wall time. Standard library only.
"""
import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "competency_models", "sales_enablement.json")
LIMIT_S, LIMIT_BYTES = 5.0, 2 * 1024 * 1024


def generate(path: str, n: int) -> None:
    comps = [c["id"] for c in json.load(open(MODEL, encoding="utf-8"))["competencies"]]
    rng = random.Random(16)
    cells = ["%g" % (k / 2) for k in range(2, 11)]
    with open(path + ".tmp", "w") as f:
        f.write("candidate_id," + ",".join(comps) + "\n")
        for i in range(n):
            f.write("C%08d,%s\n" % (i, ",".join("" if rng.random() < 0.02 else rng.choice(cells) for _ in comps)))
    os.replace(path + ".tmp", path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--merit", default=os.path.join(ROOT, "build", "merit"))
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    data = os.path.join(ROOT, "bench", "data")
    os.makedirs(data, exist_ok=True)
    pool = os.path.join(data, "report_pool_%d.csv" % a.n)
    if not os.path.exists(pool):
        t = time.perf_counter()
        generate(pool, a.n)
        print("generated %s in %.1f s" % (pool, time.perf_counter() - t))
    out = os.path.join(data, "report_pool_%d.html" % a.n)
    times, cpus = [], []
    for _ in range(a.rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([a.merit, "report", "pool", "--model", MODEL, "--profile", "sales_enablement",
                        "--candidates", pool, "--top", "100", "--out", out], check=True)
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    size = os.path.getsize(out)
    print("load: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
    print("merit report pool, %d candidates x %d columns (%.0f MB CSV), best of %d: wall %.2f s (all: %s), "
          "CPU %.2f s (all: %s); HTML %d bytes"
          % (a.n, 27, os.path.getsize(pool) / 1e6, a.rounds, min(times), ", ".join("%.2f" % x for x in times),
             min(cpus), ", ".join("%.2f" % x for x in cpus), size))
    # One thread: on a machine with a core to itself the wall time is the CPU
    # time; on a shared machine the wall time also holds the waits for a core.
    ok = min(times) <= LIMIT_S and size <= LIMIT_BYTES
    print("within the limits (wall <= %.0f s, <= %d bytes): %s; CPU time <= %.0f s: %s"
          % (LIMIT_S, LIMIT_BYTES, "yes" if ok else "NO", LIMIT_S, "yes" if min(cpus) <= LIMIT_S else "NO"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
