"""merit.spark.score in local[2] mode equals merit.score in one process.

Skipped when pyspark (or pyarrow) is not installed; needs a Java runtime.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Iterator

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, random_scores

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(shutil.which("java") is None and "JAVA_HOME" not in os.environ, reason="no Java runtime"),
]

N = 200_000


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("merit-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_distributed_equals_single_process(spark: object, model: merit.Model) -> None:
    from pyspark.sql import functions as F

    from merit import spark as merit_spark

    x = random_scores(model, N, seed=2024, missing=0.05)
    x[:100] = np.nan  # candidates without a fit
    ids = [f"cand{i:06d}" for i in range(N)]
    frame = pd.DataFrame(x, columns=model.competency_ids)
    frame.insert(0, "candidate_id", ids)
    expected = merit.score(model, "sales_enablement", x, ids=ids, explain=True)

    sdf = spark.createDataFrame(frame).repartition(4)  # type: ignore[attr-defined]
    scored = merit_spark.score(sdf, MODEL_PATH, "sales_enablement", explain=True)
    assert sdf.rdd.getNumPartitions() == 4
    got = scored.toPandas()

    assert len(got) == N
    # The collected rows in merit's rank order, by the core's rule.
    fit = got["fit"].to_numpy(dtype=np.float64, na_value=np.nan)
    order = merit.rank_order(got["candidate_id"].to_numpy(dtype=object), fit, got["status"])
    ranked = got.iloc[order].reset_index(drop=True)
    assert ranked["candidate_id"].tolist() == expected["candidate_id"].tolist()
    # Same fits bit for bit, same statuses, coverages and explanations.
    a = ranked["fit"].to_numpy(dtype=np.float64, na_value=np.nan)
    b = expected["fit"].to_numpy()
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.array_equal(a[~np.isnan(a)].view(np.int64), b[~np.isnan(b)].view(np.int64))
    assert ranked["status"].tolist() == expected["status"].astype(str).tolist()
    for col in ["coverage"] + [c for c in expected.columns if c.startswith(("contrib_", "gap_"))]:
        assert np.array_equal(ranked[col].to_numpy(dtype=np.float64).view(np.int64),
                              expected[col].to_numpy().view(np.int64)), col

    # Sorting by the core's key and the id in Spark gives the same order.
    spark_order = scored.orderBy(F.desc("rank_key"), F.asc("candidate_id")).select("candidate_id").toPandas()
    assert spark_order["candidate_id"].tolist() == expected["candidate_id"].tolist()


def test_unknown_column_fails_on_the_driver(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    frame = pd.DataFrame({"candidate_id": ["a"], "charisma": [3.0]})
    sdf = spark.createDataFrame(frame)  # type: ignore[attr-defined]
    with pytest.raises(merit.InputError, match="column 'charisma' names no competency of model 'sales_enablement'"):
        merit_spark.score(sdf, MODEL_PATH, "sales_enablement")
