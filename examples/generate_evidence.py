#!/usr/bin/env python3
"""Generates the fictional evidence files in examples/ from examples/pool.csv.

Each candidate's competency levels in pool.csv are taken as the truth; three
interviewers (with their own leniency) rate every assessed competency on the
structured interview's 1-5 scale, and a work sample on 0-100 covers the
competencies the model's evidence matrix assigns to it. Fixed seed: the files
are reproducible. Run: python3 examples/generate_evidence.py
"""
import csv
import json
import random
from pathlib import Path

here = Path(__file__).resolve().parent
model = json.loads((here.parent / "competency_models" / "sales_enablement.json").read_text())
ws = model["evidence_matrix"]["work_sample"]
rng = random.Random(20261127)
raters = {"r_lin": 0.4, "r_okafor": -0.3, "r_zhang": 0.0, "r_mueller": -0.1, "r_santos": 0.2, "r_chen": 0.1}

with open(here / "pool.csv", newline="") as f:
    pool = list(csv.DictReader(f))

rows = []
for cand in pool:
    panel = rng.sample(sorted(raters), 3)
    for comp, cell in cand.items():
        if comp == "candidate_id" or cell == "":
            continue
        truth = float(cell)
        for r in panel:
            v = min(5, max(1, round(truth + raters[r] + rng.gauss(0, 0.35))))
            rows.append((cand["candidate_id"], comp, "structured_interview", r, str(v)))
        if comp in ws:
            v = min(100.0, max(0.0, (truth - 1) / 4 * 100 + rng.gauss(0, 6)))
            rows.append((cand["candidate_id"], comp, "work_sample", "assessor_ws", f"{v:.0f}"))

with open(here / "evidence_long.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["candidate_id", "competency_id", "method", "rater", "value"])
    w.writerows(rows)
print(f"wrote {len(rows)} observations for {len(pool)} candidates")
