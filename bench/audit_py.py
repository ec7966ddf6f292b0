"""merit.audit against a pandas groupby of the selection rates (issue 14: same speed class, within 2x).

    python bench/audit_py.py [--n 1000000] [--repeat 3] [--k 100000]

Input (fixed seed): n scored candidates as merit.score returns them
(candidate_id "C0000123" str, rank, fit, status with 70% qualified) and a
groups frame (candidate_id in another order, sex of 3 values, race of 5,
0.5% unknown race). The selection is top K (rank <= K and qualified).

Timed, best of --repeat, wall clock:
- one frame: the by columns in the results frame:
  merit:  merit.audit(frame, by=["sex", "race"], top=K) - the tables of sex,
          race and sex/race with every figure (rates, impact ratios, Fisher,
          z-tests, scoring rates);
  pandas: the selection (rank <= K & status == "qualified") and, per table,
          groupby(...)["selected"].agg(["size", "sum", "mean"]) - rates only.
- joined: results and groups as two frames (ids of pandas' str dtype on
  both sides; "joined, object ids": the results' ids an object column, as
  merit.score 0.1 returns them):
  merit:  merit.audit(results, groups, by=["sex", "race"], top=K);
  pandas: results.merge(groups, on="candidate_id", how="left"), then as above.
The ratio is merit / pandas (target: <= 2). The machine and its load are
printed, since the figures depend on both.
"""

from __future__ import annotations

import argparse
import os
import platform

import numpy as np
import pandas as pd

import merit
from bench_python import best, loadavg  # bench/ is on sys.path when this script runs


def make(n: int, seed: int = 14) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    fit = rng.uniform(0, 100, n)
    ids = np.array([f"C{i:07d}" for i in range(n)], dtype=object)
    order = np.argsort(-fit, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    status = pd.Categorical.from_codes(rng.choice(3, n, p=[.7, .2, .1]), categories=list(merit.STATUSES))
    results = pd.DataFrame({"rank": rank[order], "candidate_id": ids[order], "fit": fit[order],
                            "status": status[order]})
    race = rng.choice(["afam", "asian", "cauc", "hisp", "other"], n, p=[.15, .1, .5, .2, .05]).astype(object)
    race[rng.choice(n, n // 200, replace=False)] = None
    groups = pd.DataFrame({"candidate_id": pd.array(ids, dtype="str"),
                           "sex": pd.array(rng.choice(["female", "male", "nonbinary"], n, p=[.48, .49, .03]),
                                           dtype="str"),
                           "race": pd.array(race, dtype="str")}).sample(frac=1, random_state=1)
    results["candidate_id"] = results["candidate_id"].astype("str")
    return results, groups


def pandas_rates(frame: pd.DataFrame, k: int) -> list[pd.DataFrame]:
    frame = frame.assign(selected=(frame["rank"] <= k) & (frame["status"] == "qualified"))
    return [frame.groupby(cols, observed=True)["selected"].agg(["size", "sum", "mean"])
            for cols in (["sex"], ["race"], ["sex", "race"])]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--k", type=int, default=100_000)
    o = ap.parse_args()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
          f"{platform.python_version()}; numpy {np.__version__}, pandas {pd.__version__}, merit {merit.__version__}")
    print(f"load average at start: {loadavg()}")
    results, groups = make(o.n)
    one = results.merge(groups, on="candidate_id", how="left")
    # merit.score 0.1 returns candidate_id as an object column of str
    results_obj = results.assign(candidate_id=results["candidate_id"].astype(object))

    # the same numbers first: merit's rates are pandas'
    table = merit.audit(one, by=["sex", "race"], top=o.k)
    for rates, dim in zip(pandas_rates(one, o.k), ("sex", "race", "sex/race")):
        mine = table[table["dimension"] == dim]["selection_rate"].to_numpy()
        assert np.allclose(mine, rates["mean"].to_numpy(), rtol=1e-15, atol=0), dim

    print(f"{'case':<18} {'merit s':>9} {'pandas s':>9} {'ratio':>6}")
    for case, run_merit, run_pandas in (
        ("one frame", lambda: merit.audit(one, by=["sex", "race"], top=o.k), lambda: pandas_rates(one, o.k)),
        ("joined", lambda: merit.audit(results, groups, by=["sex", "race"], top=o.k),
         lambda: pandas_rates(results.merge(groups, on="candidate_id", how="left"), o.k)),
        ("joined, object ids", lambda: merit.audit(results_obj, groups, by=["sex", "race"], top=o.k),
         lambda: pandas_rates(results_obj.merge(groups, on="candidate_id", how="left"), o.k)),
    ):
        m = best(run_merit, o.repeat)
        p = best(run_pandas, o.repeat)
        print(f"{case:<18} {m:9.3f} {p:9.3f} {m / p:6.2f}")
    print(f"load average at end: {loadavg()}")


if __name__ == "__main__":
    main()
