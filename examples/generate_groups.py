#!/usr/bin/env python3
"""Writes examples/groups.csv: a SYNTHETIC demographic column for the
candidates of examples/pool.csv, so that the adverse-impact examples of
docs/cut.md run. Not real data: each candidate's sex is drawn at random,
independently of everything else. Deterministic: Python's random.Random(1607).
The groups file is only ever joined to a selection to report its impact; no
score reads it.

    python3 examples/generate_groups.py   # from the repository root
"""
import csv
import random

rng = random.Random(1607)
with open("examples/pool.csv", newline="", encoding="utf-8") as f:
    ids = [r["candidate_id"] for r in csv.DictReader(f)]
with open("examples/groups.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["candidate_id", "sex"])
    w.writerows((i, rng.choice(["female", "male"])) for i in ids)
