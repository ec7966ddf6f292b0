"""Python overhead of merit.score over the C++ core, and a numpy baseline.

    python bench/bench_python.py [--n 1000000] [--repeat 5] [--skip-frame]

Input: n candidates x 12 competencies, levels 1..5 in half steps, ~2% NaN,
fixed seed, scored against a synthetic 12-competency attainment profile
(with hurdles) written by this script.

Timings (best of --repeat, wall clock, one thread):
- core:      the C++ work merit.score asks of the core - merit::score (fit,
             coverage, status) then merit::rank_order - on the same array,
             the ids already in C++ form (`_core._bench_core`, GIL released).
- merit:     merit.score(model, profile, x) end to end: input checks (ids,
             scale 1..L), scoring, ranking, and building the result DataFrame
             (input order, indexed by candidate_id: rank, fit, status, coverage).
- overhead:  (merit - core) / core: what the Python package adds.
- numpy:     the attainment arithmetic (fit, coverage, status) written as
             idiomatic vectorised numpy, compared with the core's scoring step
             alone (no ranking); its fits are checked against the core's.

Frame (the in-memory pandas path): the same kind of pool written as a CSV
file of 13 columns (candidate_id "C00012345" in shuffled order, then the 12
competencies, ~2% empty cells) and read back with `pandas.read_csv(path,
index_col="candidate_id")` - what a pandas user holds. Timed:
- core:      `_core._bench_core` on the model-order matrix and the ids as
             an object array of str (both made outside the timing).
- first:     the first merit.score(model, profile, frame) on a freshly read
             frame (pandas and merit cache nothing yet), one sample per read.
- warm:      further calls on the same frame, best of --repeat.
The ratio merit.score / core is the figure of issue 13 (target <= 1.2).
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
    """the attainment fit, coverage and status, vectorised."""
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


def loadavg() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def write_pool_csv(path: str, n: int, seed: int) -> None:
    """candidate_id (shuffled "C%08d") + the C competencies, ~2% empty cells."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    comps = [f"c{k:02d}" for k in range(C)]
    rng = np.random.default_rng(seed)
    ids = np.char.add("C", np.char.zfill(rng.permutation(n).astype(str), 8))
    cols = [pa.array(ids)]
    for _ in comps:
        cols.append(pa.array(rng.integers(2, 2 * LEVELS + 1, n) / 2.0, mask=rng.random(n) < 0.02))
    schema = pa.schema([("candidate_id", pa.string())] + [(c, pa.float64()) for c in comps])
    with pcsv.CSVWriter(path, schema, write_options=pcsv.WriteOptions(quoting_style="none")) as w:
        w.write_table(pa.table(cols, names=["candidate_id"] + comps))


def bench_frame(model: merit.Model, profile: merit.Profile, n: int, repeat: int) -> None:
    import pandas as pd

    plan = merit.compile(model, profile)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "pool.csv")
        write_pool_csv(path, n, 20240602)
        frame = pd.read_csv(path, index_col="candidate_id")
        firsts = []
        for _ in range(max(1, min(repeat, 3))):
            fresh = pd.read_csv(path, index_col="candidate_id")
            t = time.perf_counter()
            merit.score(model, profile, fresh)
            firsts.append(time.perf_counter() - t)
            del fresh
    x = np.ascontiguousarray(frame[model.competency_ids].to_numpy(dtype=np.float64))
    ids = np.asarray(frame.index.to_numpy(dtype=object))
    core_parts = [_core._bench_core(plan, x, ids) for _ in range(repeat)]
    core_score = min(p[0] for p in core_parts)
    core_total = min(p[0] + p[1] for p in core_parts)
    merit.score(model, profile, frame)
    t_warm = best(lambda: merit.score(model, profile, frame), repeat)
    t_first = min(firsts)
    print(f"frame: pandas {pd.__version__}, read_csv(index_col='candidate_id'): {frame.shape[0]:,} x {frame.shape[1]} "
          f"float64 columns, index dtype {frame.index.dtype}")
    print(f"core   score            {core_score * 1e3:9.1f} ms")
    print(f"core   score + rank     {core_total * 1e3:9.1f} ms")
    print(f"merit.score first call {t_first * 1e3:9.1f} ms   ({t_first / core_total:.2f} x core; "
          f"best of {len(firsts)} fresh reads)")
    print(f"merit.score warm        {t_warm * 1e3:9.1f} ms   ({t_warm / core_total:.2f} x core)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-frame", action="store_true", help="skip the DataFrame (CSV) part")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; load: {loadavg()}")

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
    if not args.skip_frame:
        bench_frame(model, profile, args.n, args.repeat)
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
