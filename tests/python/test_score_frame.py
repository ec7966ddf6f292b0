"""merit.score on a DataFrame reads its float64 columns and its ids in place
(issue 13); the results are identical to the matrix path it replaced.

``reference_score`` is merit.score written the slow way: the frame laid out
as a #candidates x #model competencies matrix in Python, the ids made an
object array of str, then the core's evaluate and rank_order, each rank put
in its candidate's row (the result is in input order, indexed by id).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import merit
from merit import _core

from conftest import POOL_PATH, PROFILES, random_scores


def reference_score(model: merit.Model, profile: str, frame: pd.DataFrame, explain: bool = False) -> pd.DataFrame:
    plan = _core.compile(model, profile)
    positions = _core.match_columns(model, [str(c) for c in frame.columns])
    matrix = np.full((len(frame), len(model.competency_ids)), np.nan)
    for j, c in enumerate(positions):
        matrix[:, c] = frame.iloc[:, j].to_numpy(dtype=np.float64, na_value=np.nan)
    ids = np.array([str(i) for i in frame.index], dtype=object)
    fit, coverage, status, contributions, gaps = _core.evaluate(plan, matrix, explain, True)
    order = _core.rank_order(ids, fit, status)
    rank = np.empty(len(frame), dtype=np.int64)
    rank[order] = np.arange(1, len(frame) + 1)
    index = pd.Index(ids, dtype=object, name="candidate_id")
    result = pd.DataFrame({
        "rank": rank,
        "fit": fit,
        "status": pd.Categorical.from_codes(status, categories=list(merit.STATUSES)),
        "coverage": coverage,
    }, index=index)
    if explain:
        assert contributions is not None and gaps is not None
        names = [f"contrib_{c}" for c in plan.competency_ids] + [f"gap_{c}" for c in plan.competency_ids]
        explained = np.concatenate([contributions, gaps], axis=1)
        result = pd.concat([result, pd.DataFrame(explained, index=index, columns=names)], axis=1)
    return result


def same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)  # bitwise: the same arithmetic


def random_frame(model: merit.Model, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = random_scores(model, n, seed=seed, missing=0.1)
    ids = [f"C{k:07d}" for k in rng.permutation(n)]
    ids[3] = "Ünïcode-候选人"  # non-ASCII ids cross as UTF-8
    frame = pd.DataFrame(x, columns=model.competency_ids, index=pd.Index(ids, name="candidate_id"))
    cols = list(frame.columns)
    rng.shuffle(cols)
    return frame[cols[:-2]]  # any order, two competencies missing


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("explain", [False, True])
def test_pool_csv_is_scored_as_before(model: merit.Model, profile: str, explain: bool) -> None:
    for frame in (
        pd.read_csv(POOL_PATH, index_col="candidate_id", dtype={"candidate_id": str}),
        pd.read_csv(POOL_PATH, index_col="candidate_id", dtype={"candidate_id": object}),
        pd.read_csv(POOL_PATH, index_col="candidate_id", engine="pyarrow") if _has_pyarrow() else None,
    ):
        if frame is None:
            continue
        same(merit.score(model, profile, frame, explain=explain), reference_score(model, profile, frame, explain))


@pytest.mark.parametrize("seed", [1, 2])
def test_random_frame_is_scored_as_before(model: merit.Model, seed: int) -> None:
    frame = random_frame(model, 5000, seed)
    expected = reference_score(model, "sales_enablement", frame, explain=True)
    same(merit.score(model, "sales_enablement", frame, explain=True), expected)
    # The same ids as object, Arrow-backed str, a list, a Series: the same result.
    for ids in (
        frame.index.astype(object),
        pd.Index(frame.index.to_numpy(dtype=object), dtype="string[pyarrow]") if _has_pyarrow() else None,
        list(frame.index),
        pd.Series(frame.index, dtype="str"),
    ):
        if ids is None:
            continue
        same(merit.score(model, "sales_enablement", frame, ids=ids, explain=True), expected)
        relabelled = frame.set_axis(ids if not isinstance(ids, list) else pd.Index(ids, dtype=object), axis=0)
        same(merit.score(model, "sales_enablement", relabelled, explain=True), expected)
    # Warm calls (the checked index is remembered) give the same again.
    same(merit.score(model, "sales_enablement", frame, explain=True), expected)


def test_column_kinds_are_read_or_converted(model: merit.Model) -> None:
    frame = random_frame(model, 300, 5)
    expected = reference_score(model, "sales_operations", frame)
    strided = pd.DataFrame(np.asfortranarray(frame.to_numpy()), index=frame.index, columns=frame.columns)
    mixed = frame.copy()
    first, second = mixed.columns[:2]
    mixed[first] = mixed[first].astype("Float64")  # nullable: <NA> where NaN
    mixed[second] = mixed[second].astype(np.float32)
    rows = pd.DataFrame(frame.to_numpy()[::-1], index=frame.index[::-1], columns=frame.columns).iloc[::-1]
    for variant in (strided, mixed, rows):
        same(merit.score(model, "sales_operations", variant), expected)


def test_errors_are_the_same(model: merit.Model) -> None:
    frame = random_frame(model, 50, 9)
    bad = frame.copy()
    column = bad.columns[4]
    bad.iloc[7, 4] = 9.0
    bad.iloc[30, 1] = 0.0
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", bad)
    assert e.value.code == "value"
    assert e.value.location == f"row 7, column '{column}'"
    assert str(e.value) == f"row 7, column '{column}': value 9 for competency '{column}' is outside the scale 1..{model.levels}"
    dup = frame.rename(index={frame.index[10]: frame.index[2]})
    with pytest.raises(merit.InputError, match=f"duplicate candidate id '{frame.index[2]}'") as e:
        merit.score(model, "sales_enablement", dup)
    assert e.value.code == "duplicate" and e.value.location == "ids"
    empty = frame.rename(index={frame.index[5]: ""})
    with pytest.raises(merit.InputError, match="empty candidate_id"):
        merit.score(model, "sales_enablement", empty)
    with pytest.raises(merit.InputError, match="expected 50 candidate ids"):
        merit.score(model, "sales_enablement", frame, ids=pd.Index(frame.index[:49]))
    text = frame.astype(object)
    text.iloc[0, 0] = "high"
    with pytest.raises(merit.InputError, match=r"column 0 \(.*\): non-numeric values"):
        merit.score(model, "sales_enablement", text)


def test_whole_number_ids_are_converted_with_str(model: merit.Model) -> None:
    x = random_scores(model, 3)
    expected = merit.score(model, "sales_enablement", x, ids=["1", "2", "30"])
    for ids in (pd.Index([1, 2, 30], dtype=object), [1, 2, 30], pd.Index([1, 2, 30])):
        same(merit.score(model, "sales_enablement", x, ids=ids), expected)


@pytest.mark.parametrize(
    "ids, message",
    [
        ([1, 2, None], "ids/2: row 2 has no candidate id (None); every candidate needs one"),
        (pd.Index([1, 2, None], dtype=object), "ids/2: row 2 has no candidate id (None); every candidate needs one"),
        (pd.Index(["1", None, "3"], dtype="str"), "ids/1: row 1 has no candidate id (nan); every candidate needs one"),
        ([1.0, float("nan"), 3.0], "ids/1: row 1 has no candidate id (nan); every candidate needs one"),
        ([True, False, True], "ids/0: row 0 has a boolean candidate id (True); ids are text or whole numbers"),
    ],
)
def test_missing_or_boolean_ids_are_errors_naming_the_row(model: merit.Model, ids: object, message: str) -> None:
    x = random_scores(model, 3)
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", x, ids=ids)
    assert str(e.value) == message and e.value.code == "value"


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True
