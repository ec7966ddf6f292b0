#!/usr/bin/env python3
"""Writes examples/outcomes.csv: SYNTHETIC 12-month outcomes for the candidates
of examples/pool.csv, so that the examples of docs/validity.md run. Not real
data: each candidate's performance rating is drawn from the mean of their
competency ratings plus noise, and leaving within a year from a logistic model
of that rating. Deterministic: Python's random.Random(17).

    python3 examples/generate_outcomes.py   # from the repository root
"""
import csv
import math
import random

rng = random.Random(17)
with open("examples/pool.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
out = []
for row in rows:
    ratings = [float(v) for k, v in row.items() if k != "candidate_id" and v.strip()]
    z = (sum(ratings) / len(ratings) - 3.0) / 0.5
    performance = min(5.0, max(1.0, 3.0 + 0.45 * z + rng.gauss(0, 0.7)))
    p_leave = 1 / (1 + math.exp(-(-1.0 - 0.8 * z)))
    left = 1 if rng.random() < p_leave else 0
    out.append((row["candidate_id"], f"{performance:.2f}", left))
with open("examples/outcomes.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["candidate_id", "performance", "left_within_year"])
    w.writerows(out)
