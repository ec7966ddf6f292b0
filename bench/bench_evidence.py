#!/usr/bin/env python3
"""Evidence aggregation: merit's core against a pandas groupby, same data, same run.

5,000,000 observations in memory: 104,167 candidates x 12 competencies x
(3 interview ratings on 1-5 from a pool of 40 raters + 1 work sample on
0-100, already mapped onto 1-5). Both compute, per candidate and competency:
the mean over raters per method, the evidence-matrix-weighted mean over
methods (work sample weight 1.5), the number of ratings, the ratings' SD and
SE = SD / sqrt(k). Timed: the aggregation only (data already in memory), best
of 3, one core. Checks the two agree to 1e-9, then prints seconds and the ratio.

usage: python3 bench/bench_evidence.py [--build build-bench]
(needs numpy and pandas; builds bench_evidence with -DMERIT_BUILD_BENCH=ON)
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

root = Path(__file__).resolve().parents[1]
C, RATINGS, WS_WEIGHT = 12, 3, 1.5
N = 5_000_000 // (C * (RATINGS + 1)) + 1


def model_json() -> dict:
    comp = json.loads((root / "tests/data/models/mini.json").read_text())["competencies"][0]
    comps = [dict(comp, id=f"c{i}") for i in range(C)]
    return {
        "format": "merit.competency-model/1", "id": "bench", "version": "1", "name": {"en": "bench"},
        "scale": {"levels": 5}, "clusters": [{"id": "core", "name": {"en": "core"}}], "competencies": comps,
        "methods": [{"id": "interview", "name": {"en": "i"}, "scale": {"type": "numeric", "min": 1, "max": 5}},
                    {"id": "work_sample", "name": {"en": "w"}, "scale": {"type": "numeric", "min": 0, "max": 100}}],
        "evidence_matrix": {"interview": {f"c{i}": 1 for i in range(C)},
                            "work_sample": {f"c{i}": WS_WEIGHT for i in range(C)}},
        "profiles": [{"id": "p", "name": {"en": "p"}, "targets": {f"c{i}": {"target": 3} for i in range(C)}}],
    }


def generate(rng):
    cand = np.repeat(np.arange(N, dtype=np.uint32), C * (RATINGS + 1))
    comp = np.tile(np.repeat(np.arange(C, dtype=np.uint32), RATINGS + 1), N)
    method = np.tile(np.array([0] * RATINGS + [1], dtype=np.uint32), N * C)
    panel = rng.integers(0, 40, size=(N, RATINGS), dtype=np.uint32)
    # interview raters: the candidate's panel, in order, for each competency
    per_cand = np.concatenate([panel, np.full((N, 1), 40, dtype=np.uint32)], axis=1)  # rater 40 = work-sample assessor
    rater = np.tile(per_cand, (1, C)).reshape(-1)
    level = np.where(method == 0, rng.integers(1, 6, size=cand.size).astype(np.float64),
                     1 + rng.integers(0, 101, size=cand.size) / 100 * 4)
    order = rng.permutation(cand.size)  # as an export would have them: not grouped
    return cand[order], comp[order], method[order], rater[order], level[order]


def pandas_aggregate(df: pd.DataFrame):
    per_rater = df.groupby(["candidate", "competency", "method", "rater"], sort=False)["level"].mean()
    per_method = per_rater.groupby(level=["candidate", "competency", "method"], sort=False).mean().reset_index()
    per_method["w"] = np.where(per_method["method"] == 1, WS_WEIGHT, 1.0)
    per_method["wx"] = per_method["w"] * per_method["level"]
    sums = per_method.groupby(["candidate", "competency"], sort=False)[["wx", "w"]].sum()
    score = sums["wx"] / sums["w"]
    stats = per_rater.groupby(level=["candidate", "competency"], sort=False).agg(["count", "std"])
    se = stats["std"] / np.sqrt(stats["count"])
    return score, stats["count"], se


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=str(root / "build-bench"))
    args = ap.parse_args()
    build = Path(args.build)
    subprocess.run(["cmake", "-S", str(root), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                    "-DMERIT_BUILD_BENCH=ON", "-DMERIT_BUILD_TESTS=OFF"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build), "--target", "bench_evidence"], check=True, stdout=subprocess.DEVNULL)

    rng = np.random.default_rng(20261127)
    cand, comp, method, rater, level = generate(rng)
    with tempfile.TemporaryDirectory() as d:
        dd = Path(d)
        (dd / "model.json").write_text(json.dumps(model_json()))
        for name, arr in [("candidate.u32", cand), ("competency.u32", comp), ("method.u32", method),
                          ("rater.u32", rater), ("level.f64", level)]:
            arr.tofile(dd / name)
        (dd / "meta.txt").write_text(f"{N} 41\n")
        out = subprocess.run([str(build / "bench" / "bench_evidence"), str(dd / "model.json"), d, "3"],
                             check=True, capture_output=True, text=True).stdout.split()
        n_obs, merit_s = int(out[0]), float(out[1])
        m_scores = np.fromfile(dd / "merit_scores.f64").reshape(N, C)
        m_se = np.fromfile(dd / "merit_se.f64").reshape(N, C)
        m_k = np.fromfile(dd / "merit_ratings.i32", dtype=np.int32).reshape(N, C)

    df = pd.DataFrame({"candidate": cand, "competency": comp, "method": method, "rater": rater, "level": level})
    best = 1e300
    for _ in range(3):
        t0 = time.perf_counter()
        score, count, se = pandas_aggregate(df)
        best = min(best, time.perf_counter() - t0)
    idx = (score.index.get_level_values(0).to_numpy(), score.index.get_level_values(1).to_numpy())
    p_scores = np.full((N, C), np.nan)
    p_scores[idx] = score.to_numpy()
    p_k = np.zeros((N, C), dtype=np.int64)
    p_k[idx] = count.reindex(score.index).to_numpy()
    p_se = np.full((N, C), np.nan)
    p_se[idx] = se.reindex(score.index).to_numpy()
    assert np.allclose(m_scores, p_scores, atol=1e-9, rtol=0), "scores differ"
    assert (m_k == p_k).all(), "rating counts differ"
    assert np.allclose(m_se, p_se, atol=1e-9, rtol=0, equal_nan=True), "standard errors differ"

    print(f"machine: {os.cpu_count()} cores; numpy {np.__version__}, pandas {pd.__version__}")
    print(f"{n_obs:,} observations, {N:,} candidates x {C} competencies; results agree (1e-9)")
    print(f"{'contender':<22}{'seconds':>10}{'ratio':>10}")
    print(f"{'merit (1 core)':<22}{merit_s:>10.3f}{1.0:>10.1f}")
    print(f"{'pandas groupby':<22}{best:>10.3f}{best / merit_s:>10.1f}")
    ok = merit_s <= 1.0 and best / merit_s >= 10
    print(f"targets (merit <= 1 s, >= 10x pandas): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
