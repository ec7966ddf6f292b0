"""Scoring a PySpark DataFrame across executors with merit's core.

    from merit import spark as merit_spark
    scored = merit_spark.score(candidates, "sales_enablement.json", "sales_enablement")
    ranked = scored.orderBy(F.desc("rank_key"), F.asc("candidate_id"))

The model file is read and validated once on the driver and shipped to the
executors once, as a broadcast variable; each Python worker parses it once
and keeps the compiled profile for every batch it scores. Batches travel as
Arrow record batches (``mapInPandas``) and are scored by the same C++ code as
``merit.score``, so the fits are bitwise the same as in a single process.

Every executor needs the ``merit`` package (and pyarrow) in its Python.
"""

from __future__ import annotations

import os as _os
import re as _re
import typing as _typing

import numpy as _np
import pandas as _pd

import merit as _merit
from merit import _core

del annotations  # the __future__ feature's name: not API

if _typing.TYPE_CHECKING:  # names of annotations only: the module shows just score()
    from typing import Any, Iterator, Union

    from pyspark.sql import DataFrame

__all__ = ["score"]

# Per Python worker: model content hash -> (model, {profile id: plan}).
_compiled: dict[str, tuple[_merit.Model, dict[str, _merit.ScoringPlan]]] = {}


def score(
    df: "DataFrame",
    model_path: Union[str, "_os.PathLike[str]"],
    profile: Union[_merit.Profile, str],
    id_col: str = "candidate_id",
    explain: bool = False,
    check_duplicates: bool = False,
) -> "DataFrame":
    """Score every row of a Spark DataFrame against a profile, on the executors.

    Parameters
    ----------
    df:
        One row per candidate: ``id_col`` (converted to string) and one numeric
        column per observed competency, named by competency id, on the model
        scale 1..L (null/NaN = not observed). Columns of competencies outside
        the profile are allowed; any other column raises InputError on the
        driver, before a job starts.
    model_path:
        The competency model file, readable on the driver (only the driver
        reads it; executors get its text by broadcast).
    profile:
        A profile of the model, or its id.
    explain:
        Add ``contrib_<id>`` and ``gap_<id>`` columns, as ``merit.score`` does.
    check_duplicates:
        Refuse a DataFrame in which a candidate id appears more than once
        (InputError code 'duplicate' naming up to five of them) instead of
        scoring each row. It runs one Spark job on the driver before the
        scoring is planned (a group-by count of ``id_col``: a shuffle of the
        ids), so it is opt-in: it measured +30% (100k rows) to +81% (1M
        rows) on a local run (bindings/README.md, bench/bench_spark_duplicates.py).

    Returns
    -------
    A DataFrame, not ranked, with ``id_col`` (string), ``fit`` (double, 0..100,
    null when no weighted competency was observed), ``status`` (string:
    qualified, screened_out or incomplete), ``coverage`` (double, 0..1) and
    ``rank_key`` (long: merit's ranking rule as one number - the status tier,
    qualified above incomplete above screened_out, then the fit as printed
    with 6 decimals; the smallest long when there is no fit), plus the
    explained columns. Rank with ``orderBy(desc("rank_key"), asc(id_col))``:
    Spark compares strings by their UTF-8 bytes, as merit does, so this is
    merit's ranking rule.

    Errors name the candidate, never a row number inside an Arrow batch: a
    value off the scale raises InputError located ``candidate '<id>', column
    '<competency>'``; a row without an id (null) or with an empty id raises
    InputError naming ``id_col``. A boolean or an unknown column is refused on
    the driver, before a job starts.
    """
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    path = _os.fspath(model_path)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    source = _os.path.basename(path)
    model = _merit.parse_model(text, source)  # fail fast on the driver
    plan = _merit.compile(model, profile)
    competency_columns = [c for c in df.columns if c != id_col]
    if id_col not in df.columns:
        raise _merit._input_error(
            "schema", "", f"the DataFrame has no id column '{id_col}'; pass id_col= the column that holds the "
            "candidate ids (columns: " + ", ".join(df.columns) + ")")
    _core.match_columns(model, competency_columns)
    types = dict(df.dtypes)
    if types[id_col] == "boolean":
        raise _merit._input_error("value", f"column '{id_col}'", f"boolean candidate ids in column '{id_col}'; "
                                  "ids are text or whole numbers")
    for name in competency_columns:
        if types[name] == "boolean":
            raise _merit._input_error("value", f"column '{name}'", _merit._boolean_scores(f"competency '{name}'"))
    if check_duplicates:
        _refuse_duplicate_ids(df, id_col)

    fields = [
        StructField(id_col, StringType(), False),
        StructField("fit", DoubleType(), True),
        StructField("status", StringType(), False),
        StructField("coverage", DoubleType(), False),
        StructField("rank_key", LongType(), False),
    ]
    if explain:
        fields += [StructField(f"contrib_{c}", DoubleType(), False) for c in plan.competency_ids]
        fields += [StructField(f"gap_{c}", DoubleType(), False) for c in plan.competency_ids]
    schema = StructType(fields)

    shipped = df.sparkSession.sparkContext.broadcast(text)
    profile_id = plan.profile_id
    key = model.content_hash

    def score_batches(batches: Iterator[_pd.DataFrame]) -> Iterator[_pd.DataFrame]:
        # Module state is reached through module functions only: the closure
        # itself is pickled by value, its globals with it.
        worker_model, worker_plan = _plan_on_worker(key, shipped, source, profile_id)
        for batch in batches:
            yield _score_batch(worker_model, worker_plan, batch, id_col, explain)

    return df.select(id_col, *competency_columns).mapInPandas(score_batches, schema)


def _refuse_duplicate_ids(df: "DataFrame", id_col: str) -> None:
    """InputError naming up to five ids that appear more than once (one Spark job)."""
    from pyspark.sql import functions as F

    repeated = (df.where(F.col(id_col).isNotNull()).groupBy(id_col).count()
                .where(F.col("count") > 1).limit(5).collect())
    if repeated:
        named = ", ".join(f"'{r[id_col]}' ({r['count']} rows)" for r in sorted(repeated, key=lambda r: str(r[id_col])))
        raise _merit._input_error("duplicate", f"column '{id_col}'", f"duplicate candidate ids: {named}")


def _plan_on_worker(
    key: str, shipped: Any, source: str, profile_id: str
) -> tuple[_merit.Model, _merit.ScoringPlan]:
    """The model and compiled profile, parsed from the broadcast text once per Python worker."""
    entry = _compiled.get(key)
    if entry is None:
        entry = (_merit.parse_model(shipped.value, source), {})
        _compiled[key] = entry
    model, plans = entry
    if profile_id not in plans:
        plans[profile_id] = _merit.compile(model, profile_id)
    return model, plans[profile_id]


_STATUS_NAMES = _np.array(_merit.STATUSES, dtype=object)


def _score_batch(
    model: _merit.Model, plan: _merit.ScoringPlan, batch: _pd.DataFrame, id_col: str, explain: bool
) -> _pd.DataFrame:
    # The checks of merit.score's ids, worded for Spark: a row of a batch has
    # no number the user knows, and a missing id is a null there. Boolean ids
    # were refused on the driver (the column's type).
    raw_ids = batch[id_col]
    if raw_ids.isna().any():
        raise _merit._input_error("value", f"column '{id_col}'", _merit._no_id("a row", "null"))
    ids = raw_ids.astype(str).to_numpy(dtype=object)
    if ids.size and (ids == "").any():
        raise _merit._input_error("value", f"column '{id_col}'", "a row has an empty candidate id; every candidate needs one")
    try:
        matrix, _ = _merit._as_model_matrix(model, batch.drop(columns=[id_col]))
        fit, coverage, status, contributions, gaps = _core.evaluate(plan, matrix, explain, True)
    except _merit.InputError as e:
        raise _by_candidate(e, ids) from None
    columns: dict[str, Any] = {
        id_col: ids,
        "fit": fit,
        "status": _STATUS_NAMES.take(status.astype(_np.intp)),
        "coverage": coverage,
        "rank_key": _core.rank_key(status, fit),
    }
    if contributions is not None and gaps is not None:
        for k, c in enumerate(plan.competency_ids):
            columns[f"contrib_{c}"] = contributions[:, k]
        for k, c in enumerate(plan.competency_ids):
            columns[f"gap_{c}"] = gaps[:, k]
    return _pd.DataFrame(columns)


_ROW = _re.compile(r"row (\d+)(.*)", _re.S)


def _by_candidate(error: _merit.InputError, ids: Any) -> _merit.InputError:
    """The same error, located by the candidate's id instead of its row in the batch."""
    found = _ROW.fullmatch(error.location)
    if found is None:
        return error
    return _merit._input_error(error.code, f"candidate '{ids[int(found.group(1))]}'{found.group(2)}", error.detail)
