"""Ids and inputs are checked once, the same way, in every path that takes
them (issue 14, part 5): score, rank_order, roles, aggregate, to_csv and
merit.sklearn.FitTransformer (merit.spark: test_spark.py).

- a missing id (None, NaN) is an error naming its row; a boolean id is refused;
- a boolean score column (True would read as level 1) is refused;
- a model file's path is accepted where a Model is expected, anything else
  is refused with a plain message;
- a frame whose ids are a column rather than its index (a CSV read without
  ``index_col``) gets the hint to make it the index.
"""

from __future__ import annotations

import os
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, POOL_PATH, random_scores

NO_ID = "row 1 has no candidate id ({!r}); every candidate needs one"
BOOLEAN_ID = "row 0 has a boolean candidate id (True); ids are text or whole numbers"
HINT = ("column 0 ('candidate_id'): column 'candidate_id' names no competency of model 'sales_enablement'; "
        "if it holds the candidate ids, make it the index: pd.read_csv(..., index_col='candidate_id') "
        "or frame.set_index('candidate_id')")
BOOLEAN_COLUMN = ("column 1 ('sales_training'): boolean values for competency 'sales_training': "
                  "scores are levels on the model scale (True would read as level 1)")
BOOLEAN_ARRAY = "boolean values for the scores array: scores are levels on the model scale (True would read as level 1)"


def fit_transformer(model: Any, scores: Any) -> Any:
    sklearn = pytest.importorskip("merit.sklearn")
    return sklearn.FitTransformer(model, "sales_enablement").fit(scores).transform(scores)


#: Every path that takes candidate scores with ids: f(model, scores, ids).
ID_PATHS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "score": lambda m, x, ids: merit.score(m, "sales_enablement", x, ids=ids),
    "roles": lambda m, x, ids: merit.roles(m, x, ids=ids),
    "rank_order": lambda m, x, ids: merit.rank_order(ids, np.zeros(len(ids)), ["qualified"] * len(ids)),
}

#: Every path that takes candidate scores: f(model, scores).
SCORE_PATHS: dict[str, Callable[[Any, Any], Any]] = {
    "score": lambda m, x: merit.score(m, "sales_enablement", x),
    "roles": lambda m, x: merit.roles(m, x),
    "FitTransformer": fit_transformer,
}


@pytest.mark.parametrize("path", sorted(ID_PATHS))
@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
def test_a_missing_id_is_an_error_naming_its_row(model: merit.Model, path: str, missing: object) -> None:
    x = random_scores(model, 3)
    with pytest.raises(merit.InputError) as e:
        ID_PATHS[path](model, x, ["a", missing, "c"])
    assert (e.value.code, e.value.location, e.value.detail) == ("value", "ids/1", NO_ID.format(missing))
    assert str(e.value) == "ids/1: " + NO_ID.format(missing)


@pytest.mark.parametrize("path", sorted(ID_PATHS))
def test_a_boolean_id_is_refused(model: merit.Model, path: str) -> None:
    x = random_scores(model, 3)
    with pytest.raises(merit.InputError) as e:
        ID_PATHS[path](model, x, [True, "b", "c"])
    assert str(e.value) == "ids/0: " + BOOLEAN_ID


def evidence() -> pd.DataFrame:
    return pd.DataFrame({
        "candidate_id": ["A1", "A2", "A3"],
        "competency_id": ["sales_training", "sales_training", "sales_training"],
        "method": ["structured_interview"] * 3,
        "rater": ["r1", "r1", "r1"],
        "value": [4, 3, 5],
    })


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_aggregate_refuses_a_missing_id_the_same_way(model: merit.Model, missing: object) -> None:
    ev = evidence().astype({"candidate_id": object})
    ev.loc[1, "candidate_id"] = missing
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(model, ev)
    assert str(e.value) == "row 1, column 'candidate_id': " + NO_ID.format(missing)


def test_aggregate_refuses_a_boolean_id_the_same_way(model: merit.Model) -> None:
    ev = evidence().astype({"candidate_id": object})
    ev.loc[0, "candidate_id"] = True
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(model, ev)
    assert str(e.value) == "row 0, column 'candidate_id': " + BOOLEAN_ID
    ev["candidate_id"] = [True, False, True]  # a bool column
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(model, ev)
    assert str(e.value) == "row 0, column 'candidate_id': " + BOOLEAN_ID


def test_aggregate_keeps_the_evidence_order(model: merit.Model) -> None:
    ev = evidence()
    ev["candidate_id"] = ["Z9", "B2", "Z9"]
    scores = merit.aggregate(model, ev).scores
    assert scores.index.name == "candidate_id" and list(scores.index) == ["Z9", "B2"]


@pytest.mark.parametrize("path", sorted(SCORE_PATHS))
def test_a_boolean_score_column_is_refused(model: merit.Model, pool: pd.DataFrame, path: str) -> None:
    for flags in (pool["sales_training"] > 3, (pool["sales_training"] > 3).astype(object),
                  (pool["sales_training"] > 3).astype("boolean")):
        frame = pool.assign(sales_training=flags)
        with pytest.raises(merit.InputError) as e:
            SCORE_PATHS[path](model, frame)
        assert str(e.value) == BOOLEAN_COLUMN and e.value.code == "value"


@pytest.mark.parametrize("path", sorted(SCORE_PATHS))
def test_a_boolean_array_is_refused(model: merit.Model, path: str) -> None:
    flags = random_scores(model, 4) > 3
    with pytest.raises(merit.InputError) as e:
        SCORE_PATHS[path](model, flags)
    assert str(e.value) == BOOLEAN_ARRAY


@pytest.mark.parametrize("path", sorted(SCORE_PATHS))
def test_ids_in_a_column_get_the_index_hint(model: merit.Model, path: str) -> None:
    unindexed = pd.read_csv(POOL_PATH, dtype={"candidate_id": str})  # no index_col
    with pytest.raises(merit.InputError) as e:
        SCORE_PATHS[path](model, unindexed)
    assert str(e.value) == HINT and e.value.code == "reference"
    # A numeric column of another name is not taken for ids: no hint.
    with pytest.raises(merit.InputError) as e:
        SCORE_PATHS[path](model, pd.read_csv(POOL_PATH, index_col="candidate_id").assign(charisma=3.0))
    assert e.value.detail == "column 'charisma' names no competency of model 'sales_enablement'"


@pytest.mark.parametrize("path", sorted(SCORE_PATHS))
def test_a_model_path_is_accepted_where_a_model_is(model: merit.Model, pool: pd.DataFrame, path: str) -> None:
    given = SCORE_PATHS[path](model, pool)
    for as_path in (str(MODEL_PATH), MODEL_PATH, os.fspath(MODEL_PATH)):
        got = SCORE_PATHS[path](as_path, pool)
        if isinstance(given, pd.DataFrame):
            pd.testing.assert_frame_equal(got, given)
        else:
            np.testing.assert_array_equal(got, given)


def test_other_paths_take_a_model_path(model: merit.Model, pool: pd.DataFrame) -> None:
    result = merit.score(model, "sales_enablement", pool)
    assert merit.to_csv(result, MODEL_PATH) == merit.to_csv(result, model)
    assert merit.compile(MODEL_PATH, "sales_enablement").profile_id == "sales_enablement"
    pd.testing.assert_frame_equal(merit.aggregate(MODEL_PATH, evidence()).scores,
                                  merit.aggregate(model, evidence()).scores)


@pytest.mark.parametrize("path", sorted(SCORE_PATHS))
def test_anything_else_is_not_a_model(pool: pd.DataFrame, path: str) -> None:
    with pytest.raises(TypeError) as e:
        SCORE_PATHS[path](42, pool)
    assert str(e.value) == "model must be a merit.Model or the path of a model file, got int"
    with pytest.raises(merit.ModelError) as missing:
        SCORE_PATHS[path]("no/such/model.json", pool)
    assert missing.value.code == "io" and "no/such/model.json" in str(missing.value)
