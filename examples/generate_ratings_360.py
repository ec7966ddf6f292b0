#!/usr/bin/env python3
"""Writes examples/ratings_360.csv: SYNTHETIC 360-degree reviews, a year after
the hire, of the candidates of examples/pool.csv, so that the examples of
docs/criterion.md run. Not real data: each person's performance is the
synthetic one of examples/outcomes.csv; the salespeople they enable (2 to 6 a
person), their manager (1) and two peers rate it on 1..5 with noise, each
group with its own leniency and noise. Deterministic: Python's
random.Random(360).

    python3 examples/generate_ratings_360.py   # from the repository root
"""
import csv
import random

rng = random.Random(360)
with open("examples/outcomes.csv", newline="", encoding="utf-8") as f:
    performance = {r["candidate_id"]: float(r["performance"]) for r in csv.DictReader(f)}


def rating(true: float, lenience: float, noise: float) -> int:
    return min(5, max(1, round(true + lenience + rng.gauss(0, noise))))


rows = []
for person, true in performance.items():
    for k in range(rng.randint(2, 6)):
        rows.append((person, "salespeople", f"{person}-S{k + 1}", rating(true, 0.3, 0.8)))
    rows.append((person, "manager", f"{person}-M", rating(true, 0.0, 0.5)))
    for k in range(2):
        rows.append((person, "peer", f"{person}-P{k + 1}", rating(true, 0.2, 0.9)))
with open("examples/ratings_360.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["candidate_id", "rater_group", "rater_id", "rating"])
    w.writerows(rows)
