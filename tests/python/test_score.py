"""merit.score: inputs (arrays, DataFrames), the result frame and its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import PROFILES, random_scores


def test_result_columns_and_dtypes(model: merit.Model, pool: pd.DataFrame) -> None:
    r = merit.score(model, "sales_enablement", pool)
    assert list(r.columns) == ["rank", "candidate_id", "fit", "status", "coverage"]
    assert r["rank"].dtype == np.int64
    assert r["rank"].tolist() == list(range(1, len(pool) + 1))
    assert r["fit"].dtype == np.float64 and r["coverage"].dtype == np.float64
    assert isinstance(r["status"].dtype, pd.CategoricalDtype)
    assert list(r["status"].cat.categories) == list(merit.STATUSES)
    assert sorted(r["candidate_id"]) == sorted(pool.index)
    assert all(isinstance(c, str) for c in r["candidate_id"])
    assert isinstance(r.index, pd.RangeIndex)
    assert r.attrs["merit"]["profile"] == "sales_enablement"
    assert r.attrs["merit"]["model_hash"] == model.content_hash


def test_sorted_by_the_ranking_rule(model: merit.Model) -> None:
    x = random_scores(model, 2000, seed=3, missing=0.3)
    x[:50] = np.nan  # no fit at all: ranked last
    r = merit.score(model, "sales_enablement", x)
    fits = r["fit"].to_numpy()
    has = ~np.isnan(fits)
    assert has[: has.sum()].all() and not has[has.sum():].any()
    # Qualified, then incomplete, then screened_out; each by rounded fit, ties by id.
    tier = r["status"].astype(str).map({"qualified": 0, "incomplete": 1, "screened_out": 2}).to_numpy()[has]
    assert (np.diff(tier) >= 0).all()
    rounded = np.round(fits[has], 6)
    ties = pd.DataFrame({"t": tier, "k": rounded, "id": r["candidate_id"][has].to_numpy()})
    for _, group in ties.groupby("t"):
        assert (np.diff(group["k"].to_numpy()) <= 0).all()
    for _, group in ties.groupby(["t", "k"]):
        assert list(group["id"]) == sorted(group["id"], key=lambda s: s.encode())
    assert (r["status"][~has] == "incomplete").all()


def test_default_ids_are_row_numbers(model: merit.Model) -> None:
    x = random_scores(model, 5)
    r = merit.score(model, "sales_enablement", x)
    assert sorted(r["candidate_id"]) == ["0", "1", "2", "3", "4"]
    ids = ["z", "y", "x", "w", "v"]
    r2 = merit.score(model, "sales_enablement", x, ids=ids)
    assert r2["fit"].tolist() == r["fit"].tolist() or np.allclose(r2["fit"], r["fit"], equal_nan=True)
    by_id = r2.set_index("candidate_id")["fit"]
    by_row = r.set_index("candidate_id")["fit"]
    for row, cid in enumerate(ids):
        assert by_id[cid] == by_row[str(row)] or (np.isnan(by_id[cid]) and np.isnan(by_row[str(row)]))


def test_frame_and_array_agree(model: merit.Model, pool: pd.DataFrame) -> None:
    x = pool[model.competency_ids].to_numpy(dtype=np.float64)
    from_frame = merit.score(model, "sales_operations", pool)
    from_array = merit.score(model, "sales_operations", np.ascontiguousarray(x), ids=list(pool.index))
    pd.testing.assert_frame_equal(from_frame, from_array)


def test_column_order_and_extra_model_columns_change_nothing(model: merit.Model, pool: pd.DataFrame) -> None:
    profile = model.profile("sales_operations")
    only_profile = pool[list(reversed(profile.competency_ids))]
    a = merit.score(model, profile, pool)
    b = merit.score(model, profile, only_profile)
    pd.testing.assert_frame_equal(a, b)


def test_missing_columns_are_missing_competencies(model: merit.Model, pool: pd.DataFrame) -> None:
    profile = model.profile("sales_enablement")
    dropped = pool.drop(columns=[profile.competency_ids[0]])
    full = merit.score(model, profile, pool).set_index("candidate_id")
    r = merit.score(model, profile, dropped).set_index("candidate_id").loc[full.index]
    assert (r["coverage"] <= full["coverage"]).all()
    observed = pool.loc[full.index, profile.competency_ids[0]].notna()
    assert (r["coverage"][observed] < full["coverage"][observed]).all()
    below = r["coverage"] < profile.min_coverage - 1e-12
    assert (r["status"][below] == "incomplete").all()


def test_nullable_and_integer_columns(model: merit.Model, pool: pd.DataFrame) -> None:
    ints = pool.round().astype("Int64")
    ints.iloc[0, 0] = pd.NA
    floats = pool.round().astype(np.float64)
    floats.iloc[0, 0] = np.nan
    pd.testing.assert_frame_equal(merit.score(model, "sales_enablement", ints),
                                  merit.score(model, "sales_enablement", floats))


def test_non_conforming_arrays_are_converted(model: merit.Model) -> None:
    x = random_scores(model, 300, seed=11)
    expected = merit.score(model, "head_of_sales_enablement", x)
    for other in (np.asfortranarray(x), x.astype(np.float32).astype(np.float64), x.tolist()):
        pd.testing.assert_frame_equal(merit.score(model, "head_of_sales_enablement", other), expected)
    whole = np.round(np.nan_to_num(x, nan=3.0)).astype(np.int64)
    assert merit.score(model, "head_of_sales_enablement", whole)["fit"].notna().all()


def test_row_strided_views_are_accepted(model: merit.Model) -> None:
    x = random_scores(model, 400, seed=5)
    every_other = x[::2]
    assert not every_other.flags.c_contiguous
    backwards = x[::-1]
    pd.testing.assert_frame_equal(
        merit.score(model, "sales_enablement", backwards),
        merit.score(model, "sales_enablement", np.ascontiguousarray(backwards)),
    )
    pd.testing.assert_frame_equal(
        merit.score(model, "sales_enablement", every_other),
        merit.score(model, "sales_enablement", np.ascontiguousarray(every_other)),
    )


@pytest.mark.parametrize("profile_id", PROFILES)
def test_contributions_sum_to_fit(model: merit.Model, profile_id: str) -> None:
    x = random_scores(model, 500, seed=1, missing=0.1)
    r = merit.score(model, profile_id, x, explain=True)
    profile = model.profile(profile_id)
    contrib = r[[f"contrib_{c}" for c in profile.competency_ids]].to_numpy()
    gaps = r[[f"gap_{c}" for c in profile.competency_ids]].to_numpy()
    has = r["fit"].notna().to_numpy()
    np.testing.assert_allclose(contrib[has].sum(axis=1), r["fit"][has], rtol=0, atol=1e-9)
    assert (gaps >= 0).all() and (contrib >= 0).all()
    assert list(r.columns[5:]) == [f"contrib_{c}" for c in profile.competency_ids] + [
        f"gap_{c}" for c in profile.competency_ids]


def test_hurdle_screens_out(model: merit.Model) -> None:
    profile = model.profile("sales_enablement")
    hurdles = [(c, m) for c, m in zip(profile.competency_ids, profile.minimums) if not np.isnan(m)]
    if not hurdles:
        pytest.skip("profile has no hurdle")
    c, minimum = hurdles[0]
    x = np.full((2, len(model.competency_ids)), float(model.levels))
    x[1, model.competency_ids.index(c)] = minimum - 1 if minimum > 1 else np.nan
    r = merit.score(model, profile, x).set_index("candidate_id")
    assert r.loc["0", "status"] == "qualified"
    assert r.loc["1", "status"] in ("screened_out", "incomplete")


def test_empty_pool(model: merit.Model) -> None:
    r = merit.score(model, "sales_enablement", np.empty((0, len(model.competency_ids))))
    assert len(r) == 0
    assert list(r.columns) == ["rank", "candidate_id", "fit", "status", "coverage"]


def test_rank_order_matches_score(model: merit.Model) -> None:
    x = random_scores(model, 1000, seed=9)
    ids = [f"c{i:04d}" for i in range(1000)]
    r = merit.score(model, "sales_enablement", x, ids=ids)
    unranked = merit.score(model, "sales_enablement", x, ids=ids).set_index("candidate_id").loc[ids]
    order = merit.rank_order(ids, unranked["fit"].to_numpy(), unranked["status"])
    assert [ids[i] for i in order] == r["candidate_id"].tolist()
