"""Python overhead of merit.score over the C++ core, and a numpy baseline.

    python bench/bench_python.py [--n 1000000] [--repeat 5]

Input: n candidates x 12 competencies, levels 1..5 in half steps, ~2% NaN,
fixed seed, scored against a synthetic 12-competency attainment profile
(with hurdles) written by this script.

Timings (best of --repeat, wall clock, one thread):
- core:      the C++ work merit.score asks of the core - merit::score (fit,
             coverage, status) then merit::rank_order - on the same array,
             the ids already in C++ form (`_core._bench_core`, GIL released).
- merit:     merit.score(model, profile, x) end to end: input checks (ids,
             scale 1..L), scoring, ranking, and building the ranked DataFrame
             (rank, candidate_id, fit, status, coverage).
- overhead:  (merit - core) / core: what the Python package adds.
- numpy:     the attainment arithmetic (fit, coverage, status) written as
             idiomatic vectorised numpy, compared with the core's scoring step
             alone (no ranking); its fits are checked against the core's.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from typing import Callable

import numpy as np

import merit
from merit import _core

C = 12
LEVELS = 5


def model_json() -> str:
    ids = [f"c{k:02d}" for k in range(C)]
    anchors = [{"level": lv, "en": f"level {lv}"} for lv in range(1, LEVELS + 1)]
    return json.dumps({
        "format": "merit.competency-model/1", "id": "bench", "version": "1", "name": {"en": "Bench"},
        "scale": {"levels": LEVELS}, "clusters": [{"id": "all", "name": {"en": "All"}}],
        "competencies": [{"id": c, "cluster": "all", "name": {"en": c}, "definition": {"en": c},
                          "ownership": "primary", "source": {"quote": c}, "levels": anchors} for c in ids],
        "methods": [{"id": "interview", "name": {"en": "Interview"},
                     "scale": {"type": "numeric", "min": 1, "max": LEVELS}}],
        "evidence_matrix": {"interview": {c: 1 for c in ids}},
        "profiles": [{"id": "role", "name": {"en": "Role"}, "min_coverage": 0.8,
                      "targets": {c: {"target": 3 + k % 3, "weight": 1 + k % 4,
                                      **({"minimum": 2} if k % 5 == 0 else {})}
                                  for k, c in enumerate(ids)}}],
    })


def numpy_attainment(x: np.ndarray, profile: merit.Profile, columns: list[int], levels: int,
                     min_coverage: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """DESIGN.md's attainment fit, coverage and status, vectorised."""
    w, tn = profile.weights, (profile.targets - 1) / (levels - 1)
    mins = profile.minimums
    v = x[:, columns]
    observed = ~np.isnan(v)
    xn = (v - 1) / (levels - 1)
    ow = np.where(observed, w, 0.0)
    sum_w = ow.sum(axis=1)
    sum_wt = ow @ tn
    num = np.where(observed, w * np.minimum(xn, tn), 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.where(sum_w > 0, np.where(sum_wt > 0, 100 * num / sum_wt, 100.0), np.nan)
    coverage = sum_wt / (w @ tn)
    has_min = ~np.isnan(mins)
    failed = (observed & has_min & (v < mins)).any(axis=1)
    missing = (~observed & has_min).any(axis=1)
    status = np.where(missing | (coverage < min_coverage - 1e-12) | np.isnan(fit), 2, np.where(failed, 1, 0))
    return fit, coverage, status.astype(np.int8)


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "bench.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(model_json())
        model = merit.load_model(path)
    profile = model.profile("role")
    plan = merit.compile(model, profile)

    rng = np.random.default_rng(20240601)
    x = rng.integers(2, 2 * LEVELS + 1, size=(args.n, C)) / 2.0
    x[rng.random(x.shape) < 0.02] = np.nan
    ids = _core.row_ids(args.n)

    core_parts = [_core._bench_core(plan, x, ids) for _ in range(args.repeat)]
    core_score = min(p[0] for p in core_parts)
    core_total = min(p[0] + p[1] for p in core_parts)
    t_merit = best(lambda: merit.score(model, profile, x), args.repeat)
    columns = [model.competency_ids.index(c) for c in profile.competency_ids]
    t_numpy = best(lambda: numpy_attainment(x, profile, columns, model.levels, profile.min_coverage), args.repeat)

    fit_np, cov_np, st_np = numpy_attainment(x, profile, columns, model.levels, profile.min_coverage)
    fit_core, cov_core, st_core, _, _ = _core.evaluate(plan, x)
    assert np.allclose(fit_np, fit_core, rtol=0, atol=1e-9, equal_nan=True)
    assert np.allclose(cov_np, cov_core, rtol=0, atol=1e-12) and np.array_equal(st_np, st_core)

    print(f"merit {merit.__version__}, numpy {np.__version__}; {args.n:,} candidates x {C} competencies, "
          f"~2% missing, best of {args.repeat}")
    print(f"core   score            {core_score * 1e3:9.1f} ms")
    print(f"core   score + rank     {core_total * 1e3:9.1f} ms")
    print(f"merit.score end to end  {t_merit * 1e3:9.1f} ms")
    print(f"Python overhead         {100 * (t_merit - core_total) / core_total:9.1f} %   (merit.score / core score+rank - 1)")
    print(f"numpy  score            {t_numpy * 1e3:9.1f} ms")
    print(f"numpy / core (scoring)  {t_numpy / core_score:9.2f} x")


if __name__ == "__main__":
    main()
