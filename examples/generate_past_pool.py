#!/usr/bin/env python3
"""Generates examples/past_pool.csv: 400 fictional past applicants with their
competency levels on the shipped model, the reference sample of the norms
example (docs/norms.md). Each applicant has a general level (normal around 3,
SD 0.6) and each competency varies around it (SD 0.7); levels are rounded to
1..5, and one applicant in ten was not assessed on one competency (an empty
cell). Fixed seed: the file is reproducible. Run: python3 examples/generate_past_pool.py
"""
import csv
import json
import random
from pathlib import Path

here = Path(__file__).resolve().parent
model = json.loads((here.parent / "competency_models" / "sales_enablement.json").read_text())
ids = [c["id"] for c in model["competencies"]]
rng = random.Random(20261202)

with open(here / "past_pool.csv", "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["candidate_id"] + ids)
    for i in range(1, 401):
        general = rng.gauss(3.0, 0.6)
        levels = [str(min(5, max(1, round(rng.gauss(general, 0.7))))) for _ in ids]
        if i % 10 == 0:
            levels[rng.randrange(len(ids))] = ""
        out.writerow([f"P{i:03d}"] + levels)
