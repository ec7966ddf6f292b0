"""merit.audit as an analyst uses it: who counts as selected, the join's
errors and warnings, the result's by_group/overall (as fairlearn's
MetricFrame), and the tables against an independent pandas (and fairlearn)
computation on a large random sample."""
from __future__ import annotations

import html
import math
import warnings

import numpy as np
import pandas as pd
import pytest

import merit

# Ranked by fit alone (the ranking before qualified-first): c2 is incomplete
# and c3 screened out, both inside the top 3.
BY_FIT = pd.DataFrame({
    "rank": [1, 2, 3, 4, 5, 6],
    "candidate_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
    "fit": [95.0, 90.0, 85.0, 80.0, 70.0, np.nan],
    "status": ["qualified", "incomplete", "screened_out", "qualified", "qualified", "incomplete"],
})
# The same candidates ranked qualified first, then incomplete, then screened out.
QUALIFIED_FIRST = BY_FIT.assign(rank=[1, 4, 6, 2, 3, 5])
GROUPS = pd.DataFrame({
    "candidate_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
    "sex": ["female", "female", "male", "male", "female", "male"],
})


def selected_ids(results: pd.DataFrame, k: int) -> set[str]:
    """Independently: rank <= k and status qualified."""
    keep = (results["rank"] <= k) & (results["status"] == "qualified")
    return set(results.loc[keep, "candidate_id"])


@pytest.mark.parametrize("results", [BY_FIT, QUALIFIED_FIRST], ids=["by-fit", "qualified-first"])
@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 6, 10])
def test_top_k_selects_only_the_qualified(results: pd.DataFrame, k: int) -> None:
    table = merit.audit(results, GROUPS, by="sex", top=k)
    chosen = selected_ids(results, k)
    sex = GROUPS.set_index("candidate_id")["sex"]
    for name in ("female", "male"):
        row = table[table["name"] == name].iloc[0]
        assert row["selected"] == sum(sex[c] == name for c in chosen)
    assert table.overall["selected"] == len(chosen) == table.attrs["selection"]["selected"]


def test_fewer_than_k_qualified_is_said() -> None:
    table = merit.audit(BY_FIT, GROUPS, by="sex", top=3)
    assert table.attrs["selection"] == {
        "method": "top", "k": 3, "rule": "rank <= k and status qualified", "in_top_k": 3, "not_qualified": 2,
        "selected": 1}
    assert table.overall["summary"] == (
        "6 applicants, 1 selected by top 3 (rank <= K and qualified) (fewer than 3: ranks 1..3 hold 3 "
        "candidates, 2 of them not qualified); unknown category: 0")
    # qualified first: the top 3 are all qualified, nothing to say
    table = merit.audit(QUALIFIED_FIRST, GROUPS, by="sex", top=3)
    assert table.overall["summary"] == "6 applicants, 3 selected by top 3 (rank <= K and qualified); unknown category: 0"


def test_top_needs_status_and_a_whole_k() -> None:
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT.drop(columns="status"), GROUPS, by="sex", top=2)
    assert e.value.detail == ("missing column 'status' needed by top= (only qualified candidates are selected); "
                              "columns are: rank, candidate_id, fit")
    with pytest.raises(ValueError) as v:
        merit.audit(BY_FIT, GROUPS, by="sex", top=-1)
    assert str(v.value) == "audit: top must be a whole number >= 0, got -1"


def test_an_unknown_status_is_refused() -> None:
    for rule in ({"top": 2}, {"threshold": 50.0}):
        with pytest.raises(merit.InputError) as e:
            merit.audit(BY_FIT.assign(status=["qualified", "Qualified", *BY_FIT["status"][2:]]), GROUPS, by="sex",
                        **rule)  # type: ignore[arg-type]
        assert str(e.value) == ("row 1, column 'status': unknown status 'Qualified' "
                                "(expected one of qualified, screened_out, incomplete)")
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT.assign(status=[*BY_FIT["status"][:5], None]), GROUPS, by="sex", top=2)
    assert str(e.value) == ("row 5, column 'status': unknown status '' "
                            "(expected one of qualified, screened_out, incomplete)")


def test_a_rank_that_is_no_rank_is_refused() -> None:
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT.assign(rank=[1, 2, 2.5, 4, 5, 6]), GROUPS, by="sex", top=2)
    assert str(e.value) == "row 2, column 'rank': rank '2.5' is not a whole number >= 1"
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT.assign(rank=[0, 2, 3, 4, 5, 6]), GROUPS, by="sex", top=2)
    assert str(e.value) == "row 0, column 'rank': rank '0' is not a whole number >= 1"
    # no rank (NaN) is allowed, and never selected, as an empty cell in merit audit
    table = merit.audit(BY_FIT.assign(rank=[np.nan, 2, 3, 4, 5, 6]), GROUPS, by="sex", top=6)
    assert table.overall["selected"] == 2  # c4, c5


def test_ids_of_different_types_refused() -> None:
    numeric = GROUPS.assign(candidate_id=range(1, 7))
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT, numeric, by="sex", top=2)
    assert e.value.code == "schema"
    assert e.value.location == "results column 'candidate_id'; groups column 'candidate_id'"
    assert e.value.detail == ("the ids differ in type: string in results (e.g. 'c1'), numeric in groups (e.g. 1); "
                              "no row can join. Give both the same ids as the same type")


def test_no_row_joins_refused() -> None:
    other = GROUPS.assign(candidate_id=[f"C{i:03d}" for i in range(1, 7)]).set_index("candidate_id")
    with pytest.raises(merit.InputError) as e:
        merit.audit(BY_FIT.set_index("candidate_id"), other, by="sex", top=2)
    assert e.value.code == "reference"
    assert e.value.location == "results index 'candidate_id'; groups column 'candidate_id'"
    assert e.value.detail == ("no row joins: no result id (e.g. 'c1') is among the groups ids (e.g. 'C001'). "
                              "Check that both name the same candidates")


def test_unmatched_rows_warn_and_count_as_unknown() -> None:
    with pytest.warns(UserWarning) as record:
        table = merit.audit(BY_FIT, GROUPS.iloc[:4], by="sex", top=6)
    assert [str(w.message) for w in record] == [
        "merit.audit: 2 of 6 results have no row in groups (e.g. 'c5'); they count as unknown"]
    assert table.attrs["unknown"] == 2 and table["applicants"].sum() == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a full join warns nothing
        merit.audit(BY_FIT, GROUPS, by="sex", top=6)


def test_results_indexed_by_candidate_id_join_the_same() -> None:
    old = merit.audit(BY_FIT, GROUPS, by="sex", top=4)
    new = merit.audit(BY_FIT.set_index("candidate_id"), GROUPS, by="sex", top=4)
    pd.testing.assert_frame_equal(new.by_group, old.by_group)
    assert new.attrs == old.attrs


def test_numeric_ids_join() -> None:
    results = BY_FIT.assign(candidate_id=range(1, 7))
    groups = GROUPS.assign(candidate_id=np.arange(1.0, 7.0))  # 1.0 joins 1
    table = merit.audit(results, groups, by="sex", top=6)
    assert table.attrs["unknown"] == 0 and table["applicants"].sum() == 6


def test_result_is_a_frame_with_by_group_and_overall() -> None:
    table = merit.audit(BY_FIT, GROUPS, by="sex", top=4)
    assert isinstance(table, merit.AuditResult) and isinstance(table, pd.DataFrame)
    assert list(table.columns) == list(merit.AUDIT_COLUMNS)
    assert type(table.by_group) is pd.DataFrame and type(table.to_frame()) is pd.DataFrame
    assert type(table.set_index("name")) is pd.DataFrame  # derived frames are plain
    pd.testing.assert_frame_equal(table.by_group, pd.DataFrame(table))
    overall = table.overall
    # c1 (female) and c4 (male) of 6 applicants
    assert overall["n"] == 6 and overall["selected"] == 2
    assert overall["selection_rate"] == pytest.approx(2 / 6, abs=1e-15)
    assert overall["rule"] == "top 4 (rank <= K and qualified)"
    assert overall["median_fit"] == 85.0  # of 95, 90, 85, 80, 70


def test_repr_html_escapes_labels() -> None:
    groups = GROUPS.assign(sex=["<b>f&m</b>", "x", "x", "y", "y", "x"])
    text = merit.audit(BY_FIT, groups, by="sex", top=4)._repr_html_()
    assert "<b>f&m</b>" not in text and html.escape("<b>f&m</b>") in text
    assert text.startswith("<div class=\"merit-audit\"><p><b>merit.audit</b>: 6 applicants, 2 selected by top 4")


def test_large_random_sample_equals_pandas_groupby_and_fairlearn() -> None:
    rng = np.random.default_rng(14)
    n = 200_000
    sex = rng.choice(["female", "male", "nonbinary"], n, p=[.48, .49, .03])
    race = rng.choice(["afam", "asian", "cauc", "hisp", "other"], n, p=[.15, .1, .5, .2, .05])
    status = rng.choice(["qualified", "screened_out", "incomplete"], n, p=[.7, .2, .1])
    fit = rng.uniform(0, 100, n)
    frame = pd.DataFrame({"candidate_id": [f"x{i}" for i in range(n)], "fit": fit, "status": status,
                          "rank": pd.Series(-fit).rank(method="first").astype(int), "sex": sex, "race": race})
    frame.loc[rng.choice(n, 500, replace=False), "race"] = None  # unknown
    table = merit.audit(frame, by=["sex", "race"], top=50_000)

    chosen = (frame["rank"] <= 50_000) & (frame["status"] == "qualified")
    frame = frame.assign(chosen=chosen, inter=frame["sex"] + "/" + frame["race"])
    for dim, col in (("sex", "sex"), ("race", "race"), ("sex/race", "inter")):
        mine = table[table["dimension"] == dim].set_index("name")
        want = frame.groupby(col)["chosen"].agg(["size", "sum", "mean"])
        assert list(mine.index) == sorted(want.index)
        assert (mine["applicants"] == want["size"]).all() and (mine["selected"] == want["sum"]).all()
        np.testing.assert_allclose(mine["selection_rate"], want["mean"], rtol=1e-15)
        eligible = want["size"] >= 0.02 * n
        np.testing.assert_allclose(mine["impact_ratio"], want["mean"] / want["mean"][eligible].max(), rtol=1e-14)
    assert table.attrs["unknown_by"] == {"sex": 0, "race": 500, "sex/race": 500}
    assert table.overall["selection_rate"] == pytest.approx(chosen.mean(), abs=1e-15)

    metrics = pytest.importorskip("fairlearn.metrics")
    known = frame[frame["race"].notna()]
    mf = metrics.MetricFrame(metrics=metrics.selection_rate, y_true=known["chosen"], y_pred=known["chosen"],
                             sensitive_features=known[["sex", "race"]])
    inter = table[table["dimension"] == "sex/race"].set_index("name")["selection_rate"]
    for (s, r), rate in mf.by_group.items():
        assert inter[f"{s}/{r}"] == pytest.approx(rate, abs=1e-15)
