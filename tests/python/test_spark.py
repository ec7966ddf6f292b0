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
    expected = merit.score(model, "sales_enablement", x, ids=ids, explain=True).sort_values("rank")

    sdf = spark.createDataFrame(frame).repartition(4)  # type: ignore[attr-defined]
    scored = merit_spark.score(sdf, MODEL_PATH, "sales_enablement", explain=True)
    assert sdf.rdd.getNumPartitions() == 4
    got = scored.toPandas()

    assert len(got) == N
    # The collected rows in merit's rank order, by the core's rule.
    fit = got["fit"].to_numpy(dtype=np.float64, na_value=np.nan)
    order = merit.rank_order(got["candidate_id"].to_numpy(dtype=object), fit, got["status"])
    ranked = got.iloc[order].reset_index(drop=True)
    assert ranked["candidate_id"].tolist() == expected.index.tolist()
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
    assert spark_order["candidate_id"].tolist() == expected.index.tolist()


def test_unknown_column_fails_on_the_driver(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    frame = pd.DataFrame({"candidate_id": ["a"], "charisma": [3.0]})
    sdf = spark.createDataFrame(frame)  # type: ignore[attr-defined]
    with pytest.raises(merit.InputError, match="column 'charisma' names no competency of model 'sales_enablement'"):
        merit_spark.score(sdf, MODEL_PATH, "sales_enablement")


def small_frame(model: merit.Model, n: int = 1000) -> pd.DataFrame:
    frame = pd.DataFrame(random_scores(model, n, seed=8), columns=model.competency_ids)
    frame.insert(0, "candidate_id", [f"cand{i:04d}" for i in range(n)])
    return frame


def test_errors_name_the_candidate_not_a_batch_row(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    frame = small_frame(model)
    column = model.competency_ids[3]
    frame.loc[937, column] = 9.0
    sdf = spark.createDataFrame(frame).repartition(3)  # type: ignore[attr-defined]
    with pytest.raises(Exception) as e:
        merit_spark.score(sdf, MODEL_PATH, "sales_enablement").collect()
    expected = (f"InputError: candidate 'cand0937', column '{column}': value 9 for competency '{column}' "
                "is outside the scale 1..5")
    assert expected in str(e.value)


def test_null_and_empty_ids_are_refused(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    for bad, detail in ((None, "a row has no candidate id (null); every candidate needs one"),
                        ("", "a row has an empty candidate id; every candidate needs one")):
        frame = small_frame(model, 50).astype({"candidate_id": object})
        frame.loc[17, "candidate_id"] = bad
        sdf = spark.createDataFrame(frame)  # type: ignore[attr-defined]
        with pytest.raises(Exception) as e:
            merit_spark.score(sdf, MODEL_PATH, "sales_enablement").collect()
        assert f"InputError: column 'candidate_id': {detail}" in str(e.value)


def test_driver_refuses_boolean_and_missing_id_columns(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    frame = small_frame(model, 4)
    sdf = spark.createDataFrame(frame.assign(candidate_id=[True, False, True, False]))  # type: ignore[attr-defined]
    with pytest.raises(merit.InputError) as e:
        merit_spark.score(sdf, MODEL_PATH, "sales_enablement")
    assert str(e.value) == ("column 'candidate_id': boolean candidate ids in column 'candidate_id'; "
                            "ids are text or whole numbers")
    flags = frame.assign(sales_training=frame["sales_training"] > 3)
    with pytest.raises(merit.InputError) as e:
        merit_spark.score(spark.createDataFrame(flags), MODEL_PATH, "sales_enablement")  # type: ignore[attr-defined]
    assert str(e.value) == ("column 'sales_training': boolean values for competency 'sales_training': "
                            "scores are levels on the model scale (True would read as level 1)")
    renamed = spark.createDataFrame(frame[["candidate_id", "sales_training"]].rename(columns={"candidate_id": "id"}))  # type: ignore[attr-defined]
    with pytest.raises(merit.InputError) as e:
        merit_spark.score(renamed, MODEL_PATH, "sales_enablement")
    assert str(e.value) == ("the DataFrame has no id column 'candidate_id'; pass id_col= the column that holds "
                            "the candidate ids (columns: id, sales_training)")


def test_check_duplicates_names_the_repeated_ids(spark: object, model: merit.Model) -> None:
    from merit import spark as merit_spark

    frame = small_frame(model)
    frame.loc[600, "candidate_id"] = "cand0005"
    frame.loc[700, "candidate_id"] = "cand0005"
    frame.loc[800, "candidate_id"] = "cand0042"
    sdf = spark.createDataFrame(frame).repartition(4)  # type: ignore[attr-defined]
    with pytest.raises(merit.InputError) as e:
        merit_spark.score(sdf, MODEL_PATH, "sales_enablement", check_duplicates=True)
    assert (e.value.code, str(e.value)) == (
        "duplicate", "column 'candidate_id': duplicate candidate ids: 'cand0005' (3 rows), 'cand0042' (2 rows)")
    # Without the check each row is scored: a repeated id gives repeated rows.
    assert merit_spark.score(sdf, MODEL_PATH, "sales_enablement").count() == len(frame)
    unique = spark.createDataFrame(small_frame(model))  # type: ignore[attr-defined]
    assert merit_spark.score(unique, MODEL_PATH, "sales_enablement", check_duplicates=True).count() == 1000
