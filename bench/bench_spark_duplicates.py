"""What merit.spark.score(..., check_duplicates=True) costs, in local mode.

    python bench/bench_spark_duplicates.py [--n 1000000] [--repeat 3] [--master local[2]]

Input: n candidates x the 26 competencies of competency_models/sales_enablement.json,
levels 1..5 in half steps, ~5% missing, unique ids "C%08d", written once as
Parquet (what a Spark user reads) to a temporary folder. Timed (wall clock,
best of --repeat, after one warm-up run of each): scoring every row and
materialising the result (`write.format("noop")`), with and without
check_duplicates. The check is one more Spark job before the scoring (a
group-by count of the ids); the figure is (with - without) / without.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile
import time

import numpy as np
import pandas as pd

ROOT = pathlib.Path(__file__).resolve().parents[1]
MODEL = ROOT / "competency_models" / "sales_enablement.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    from pyspark.sql import SparkSession

    import merit
    from merit import spark as merit_spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (SparkSession.builder.master(args.master).appName("merit-bench")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.sql.shuffle.partitions", "4")
             .config("spark.driver.memory", "3g").getOrCreate())
    model = merit.load_model(MODEL)
    rng = np.random.default_rng(1)
    x = rng.integers(2, 11, size=(args.n, len(model.competency_ids))) / 2.0
    x[rng.random(x.shape) < 0.05] = np.nan
    frame = pd.DataFrame(x, columns=model.competency_ids)
    frame.insert(0, "candidate_id", [f"C{i:08d}" for i in rng.permutation(args.n)])
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pool.parquet")
        frame.to_parquet(path, row_group_size=250_000)
        del frame, x
        df = spark.read.parquet(path)

        def run(check: bool) -> float:
            t0 = time.perf_counter()
            merit_spark.score(df, MODEL, "sales_enablement", check_duplicates=check).write.format("noop").mode(
                "overwrite").save()
            return time.perf_counter() - t0

        run(False), run(True)  # warm-up: JVM, Python workers, file cache
        without, with_check = [], []
        for _ in range(args.repeat):
            without.append(run(False))
            with_check.append(run(True))
    load = os.getloadavg()
    print(f"merit {merit.__version__}; {args.n:,} candidates x {len(model.competency_ids)} competencies, "
          f"Spark {spark.version} {args.master}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"without check_duplicates: best {min(without):.2f} s  (all: {', '.join(f'{t:.2f}' for t in without)})")
    print(f"with check_duplicates:    best {min(with_check):.2f} s  (all: {', '.join(f'{t:.2f}' for t in with_check)})")
    print(f"cost of the check: {100 * (min(with_check) - min(without)) / min(without):+.1f}%")
    spark.stop()


if __name__ == "__main__":
    main()
