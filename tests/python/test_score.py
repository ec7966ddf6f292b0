"""merit.score: inputs (arrays, DataFrames), the result frame and its invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import PROFILES, random_scores


def test_result_columns_and_dtypes(model: merit.Model, pool: pd.DataFrame) -> None:
    r = merit.score(model, "sales_enablement", pool)
    assert list(r.columns) == ["rank", "fit", "status", "coverage"]
    assert r["rank"].dtype == np.int64
    assert sorted(r["rank"]) == list(range(1, len(pool) + 1))
    assert r["fit"].dtype == np.float64 and r["coverage"].dtype == np.float64
    assert isinstance(r["status"].dtype, pd.CategoricalDtype)
    assert list(r["status"].cat.categories) == list(merit.STATUSES)
    # Indexed by candidate id, in input order.
    assert r.index.name == "candidate_id" and r.index.dtype == object
    assert list(r.index) == list(pool.index)
    assert all(isinstance(c, str) for c in r.index)
    assert r.attrs["merit"]["profile"] == "sales_enablement"
    assert r.attrs["merit"]["model_hash"] == model.content_hash


def test_rank_column_orders_by_the_ranking_rule(model: merit.Model) -> None:
    # The ranking rule: qualified, then incomplete, then screened_out; within
    # one status, fit descending after rounding to 6 decimals, ties by id in
    # byte order; no fit last.
    x = random_scores(model, 2000, seed=3, missing=0.3)
    x[:50] = np.nan  # no fit at all: ranked last
    r = merit.score(model, "sales_enablement", x)
    ranked = r.sort_values("rank")
    assert ranked["rank"].tolist() == list(range(1, len(x) + 1))
    fits = ranked["fit"].to_numpy()
    has = ~np.isnan(fits)
    assert has[: has.sum()].all() and not has[has.sum():].any()
    # Qualified, then incomplete, then screened_out; each by rounded fit, ties by id.
    tier = ranked["status"].astype(str).map({"qualified": 0, "incomplete": 1, "screened_out": 2}).to_numpy()[has]
    assert (np.diff(tier) >= 0).all()
    for _, within in ranked[has].groupby("status", observed=True):
        rounded = np.round(within["fit"].to_numpy(), 6)
        assert (np.diff(rounded) <= 0).all()
        ties = pd.DataFrame({"k": rounded, "id": within.index.to_numpy()})
        for _, group in ties.groupby("k"):
            assert list(group["id"]) == sorted(group["id"], key=lambda s: s.encode())
    assert (ranked["status"][~has] == "incomplete").all()


def test_rows_stay_in_input_order(model: merit.Model) -> None:
    # The issue-14 case: ids x0, x1, x2 come back as x0, x1, x2, each with its own scores.
    x = random_scores(model, 300, seed=14, missing=0.1)
    ids = [f"x{i}" for i in range(len(x))]
    r = merit.score(model, "sales_enablement", x, ids=ids, explain=True)
    assert list(r.index) == ids
    one_by_one = [merit.score(model, "sales_enablement", x[i : i + 1], ids=[ids[i]]) for i in range(0, 300, 37)]
    for single in one_by_one:
        cid = single.index[0]
        assert single.loc[cid, "fit"] == r.loc[cid, "fit"] or (np.isnan(single.loc[cid, "fit"]) and np.isnan(r.loc[cid, "fit"]))
        assert single.loc[cid, "coverage"] == r.loc[cid, "coverage"]
        assert single.loc[cid, "status"] == r.loc[cid, "status"]


def test_shortlist_is_the_first_k_by_rank(model: merit.Model, pool: pd.DataFrame) -> None:
    r = merit.score(model, "sales_enablement", pool)
    top = merit.shortlist(r, 5)
    assert top["rank"].tolist() == [1, 2, 3, 4, 5]
    pd.testing.assert_frame_equal(top, r.sort_values("rank").head(5))
    assert top.attrs == r.attrs
    assert len(merit.shortlist(r, 100)) == len(r)
    assert merit.shortlist(r, 0).empty
    with pytest.raises(TypeError, match=r"^shortlist: k must be a whole number >= 0, got -1$"):
        merit.shortlist(r, -1)
    with pytest.raises(TypeError, match=r"^shortlist: k must be a whole number >= 0, got True$"):
        merit.shortlist(r, True)
    with pytest.raises(merit.InputError) as e:
        merit.shortlist(r.drop(columns="rank"), 3)
    assert str(e.value) == "shortlist needs the 'rank' column of a merit.score result; columns are: fit, status, coverage"


def test_default_ids_are_row_numbers(model: merit.Model) -> None:
    x = random_scores(model, 5)
    r = merit.score(model, "sales_enablement", x)
    assert list(r.index) == ["0", "1", "2", "3", "4"]
    ids = ["z", "y", "x", "w", "v"]
    r2 = merit.score(model, "sales_enablement", x, ids=ids)
    assert list(r2.index) == ids
    np.testing.assert_array_equal(r2["fit"].to_numpy(), r["fit"].to_numpy())


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
    full = merit.score(model, profile, pool)
    r = merit.score(model, profile, dropped)
    assert list(r.index) == list(full.index)
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
    assert list(r.columns[4:]) == [f"contrib_{c}" for c in profile.competency_ids] + [
        f"gap_{c}" for c in profile.competency_ids]


def test_hurdle_screens_out(model: merit.Model) -> None:
    profile = model.profile("sales_enablement")
    hurdles = [(c, m) for c, m in zip(profile.competency_ids, profile.minimums) if not np.isnan(m)]
    if not hurdles:
        pytest.skip("profile has no hurdle")
    c, minimum = hurdles[0]
    x = np.full((2, len(model.competency_ids)), float(model.levels))
    x[1, model.competency_ids.index(c)] = minimum - 1 if minimum > 1 else np.nan
    r = merit.score(model, profile, x)
    assert r.loc["0", "status"] == "qualified"
    assert r.loc["1", "status"] in ("screened_out", "incomplete")


def test_empty_pool(model: merit.Model) -> None:
    r = merit.score(model, "sales_enablement", np.empty((0, len(model.competency_ids))))
    assert len(r) == 0
    assert list(r.columns) == ["rank", "fit", "status", "coverage"] and r.index.name == "candidate_id"


def test_rank_order_matches_score(model: merit.Model) -> None:
    x = random_scores(model, 1000, seed=9)
    ids = [f"c{i:04d}" for i in range(1000)]
    r = merit.score(model, "sales_enablement", x, ids=ids)
    order = merit.rank_order(ids, r["fit"].to_numpy(), r["status"])
    assert [ids[i] for i in order] == list(r.sort_values("rank").index)


def test_audit_takes_a_score_result_as_it_is(model: merit.Model, pool: pd.DataFrame) -> None:
    result = merit.score(model, "sales_enablement", pool)
    rng = np.random.default_rng(2)
    groups = pd.DataFrame({"candidate_id": list(pool.index), "group": rng.choice(["a", "b"], size=len(pool))})
    indexed = merit.audit(result, groups, by="group", top=10)
    as_column = merit.audit(result.reset_index(), groups, by="group", top=10)
    pd.testing.assert_frame_equal(indexed, as_column)
    assert indexed["selected"].sum() == 10 and indexed.attrs["unknown"] == 0
