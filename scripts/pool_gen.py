#!/usr/bin/env python3
"""Bench-like pools for scripts/pool_guard.sh and memory checks (issue 13).

    python3 scripts/pool_gen.py DIR [--wide N] [--long N]

Writes DIR/bench_model.json (bench/bench_pool.py's model), DIR/wide.csv (N wide
candidates, levels 1..5 in half steps, ~2% empty), DIR/wide_bad.csv (the first
20,000 of them with bad rows of every kind mixed in), DIR/long.csv (evidence
grouped by candidate), DIR/long_ungrouped.csv (the same rows interleaved),
DIR/long_bad.csv and DIR/evidence.jsonl. Fixed seed: the same bytes every time.
"""
import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import bench_pool  # noqa: E402

C = bench_pool.COMPS


def level(rng):
    return "" if rng.random() < 0.02 else "%g" % (rng.randint(2, 10) / 2.0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--wide", type=int, default=200_000)
    ap.add_argument("--long", type=int, default=20_000)
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    rng = random.Random(13)
    with open(os.path.join(a.dir, "bench_model.json"), "w") as f:
        json.dump(bench_pool.model_json(), f, indent=1)
    header = "candidate_id," + ",".join(C) + "\n"
    ids = list(range(a.wide))
    rng.shuffle(ids)
    rows = ["C%08d,%s\n" % (i, ",".join(level(rng) for _ in C)) for i in ids]
    with open(os.path.join(a.dir, "wide.csv"), "w") as f:
        f.write(header)
        f.writelines(rows)
    bad = rows[:20_000]
    kinds = [
        lambda r: r.replace(",", ",x", 1) if r.count(",") > 2 else r,           # non-numeric
        lambda r: r.rsplit(",", 2)[0] + "\n",                                    # too few columns
        lambda r: r[:-1] + ",3\n",                                               # too many columns
        lambda r: r.replace(",", ",9", 1),                                       # outside the scale
        lambda r: r.split(",", 1)[0] + "\xff," + r.split(",", 1)[1],             # (made invalid below)
        lambda r: "," + r.split(",", 1)[1],                                      # empty id
        lambda r: None,                                                          # duplicate id
        lambda r: '"' + r.split(",", 1)[0] + '",' + r.split(",", 1)[1],          # quoted id (fine)
    ]
    out = []
    for k, r in enumerate(bad):
        if k % 97 == 5:
            j = (k // 97) % len(kinds)
            if j == 6:
                out.append(r)
                out.append(bad[k - 3])
                continue
            out.append(kinds[j](r))
        else:
            out.append(r)
    with open(os.path.join(a.dir, "wide_bad.csv"), "wb") as f:
        f.write(header.encode())
        for r in out:
            f.write(r.encode("utf-8").replace("\xff".encode("utf-8"), b"\xff"))
    # long evidence: 12 competencies x (3 interview ratings + 1 work sample), ~2% dropped
    lrows = []
    for i in range(a.long):
        cand = "C%07d" % i
        for c in C:
            for r in range(3):
                if rng.random() >= 0.02:
                    lrows.append((cand, c, "interview", "r%d" % ((i + r) % 50), str(rng.randint(1, 5))))
            if rng.random() >= 0.02:
                lrows.append((cand, c, "work_sample", "ws%d" % (i % 7), str(rng.randint(0, 100))))
    lh = "candidate_id,competency_id,method,rater,value\n"
    with open(os.path.join(a.dir, "long.csv"), "w") as f:
        f.write(lh)
        f.writelines(",".join(t) + "\n" for t in lrows)
    shuffled = lrows[:200_000]
    rng.shuffle(shuffled)
    with open(os.path.join(a.dir, "long_ungrouped.csv"), "w") as f:
        f.write(lh)
        f.writelines(",".join(t) + "\n" for t in shuffled)
    with open(os.path.join(a.dir, "long_bad.csv"), "w") as f:
        f.write(lh)
        for k, t in enumerate(lrows[:100_000]):
            if k % 101 == 7:
                j = (k // 101) % 6
                t = [t[:1] + ("nope",) + t[2:], t[:2] + ("oral",) + t[3:], t[:3] + ("",) + t[4:],
                     t[:4] + ("7",), t[:4], t + ("x",)][j]
            f.write(",".join(t) + "\n")
    with open(os.path.join(a.dir, "evidence.jsonl"), "w") as f:
        for t in lrows[:100_000]:
            f.write(json.dumps({"candidate_id": t[0], "competency_id": t[1], "method": t[2], "rater": t[3],
                                "value": int(t[4])}) + "\n")


if __name__ == "__main__":
    main()
