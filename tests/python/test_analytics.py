"""merit.icc, merit.cronbach_alpha, merit.audit and the score bands against
the published reference values (../shared/REFERENCE_VALUES.md) and the CLI."""
from __future__ import annotations

import json
import math
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

SHARED = pathlib.Path(__file__).parents[2].parent / "shared"
DATA = SHARED / "data"
SHROUT_FLEISS = DATA / "psychometrics" / "shrout_fleiss_1979.csv"
BFI = DATA / "psychometrics" / "bfi.csv"
RESUMES = DATA / "fairness" / "resume_names.csv"
CLI = os.environ.get("MERIT_CLI")


def need(path: pathlib.Path) -> None:
    if not path.exists():
        pytest.skip(f"shared data {path} not present")


def test_icc_shrout_fleiss() -> None:
    need(SHROUT_FLEISS)
    ratings = pd.read_csv(SHROUT_FLEISS, index_col=0)
    r = merit.icc(ratings)
    want = {"icc1": .1657418, "icc2": .2897638, "icc3": .7148407,
            "icc1k": .4427971, "icc2k": .6200505, "icc3k": .9093155}
    for key, value in want.items():
        assert r[key]["value"] == pytest.approx(value, abs=1e-6), key
    assert r["icc2"]["lower"] == pytest.approx(.0187865, abs=1e-6)
    assert r["icc2"]["upper"] == pytest.approx(.7610844, abs=1e-6)
    assert r["icc3"]["lower"] == pytest.approx(.3424648, abs=1e-6)
    assert r["icc3"]["upper"] == pytest.approx(.9458583, abs=1e-6)
    assert r["n_targets"] == 6 and r["n_judges"] == 4 and r["n_dropped"] == 0
    # an array gives the same; a missing rating drops its target
    assert merit.icc(ratings.to_numpy())["icc2"] == r["icc2"]
    holed = ratings.to_numpy(dtype=float)
    holed[0, 0] = np.nan
    assert merit.icc(holed)["n_targets"] == 5


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_icc_has_the_cli_keys(tmp_path: pathlib.Path) -> None:
    need(SHROUT_FLEISS)
    wide = pd.read_csv(SHROUT_FLEISS, index_col=0).rename_axis("id").reset_index()
    wide.to_csv(tmp_path / "w.csv", index=False)
    out = subprocess.run([CLI, "reliability", "icc", "--wide", str(tmp_path / "w.csv"), "--json"],
                         capture_output=True, text=True, check=True)
    cli = json.loads(out.stdout)
    mine = merit.icc(wide.drop(columns="id"))
    assert set(cli) <= set(mine)
    for key in cli:
        assert mine[key] == pytest.approx(cli[key], abs=1e-12) if not isinstance(cli[key], dict) else True
        if isinstance(cli[key], dict):
            for k in ("value", "lower", "upper"):
                assert mine[key][k] == pytest.approx(cli[key][k], abs=1e-12)


def test_icc_errors() -> None:
    with pytest.raises(merit.MeritError) as e:
        merit.icc(np.ones((5, 1)))
    assert e.value.code == "invalid_argument"
    assert "needs at least 2 judges" in e.value.detail


def test_alpha_bfi_agreeableness() -> None:
    need(BFI)
    bfi = pd.read_csv(BFI, index_col=0)
    items = bfi[["A1", "A2", "A3", "A4", "A5"]].astype(float)
    items["A1"] = 7 - items["A1"]
    r = merit.cronbach_alpha(items)
    assert set(r) == {"alpha", "std_alpha", "lower", "upper", "n"}
    assert r["alpha"] == pytest.approx(.7030184, abs=1e-6)
    assert r["std_alpha"] == pytest.approx(.7130286, abs=1e-6)
    assert r["lower"] == pytest.approx(.6852643, abs=1e-6)
    assert r["upper"] == pytest.approx(.7200634, abs=1e-6)
    assert r["n"] == 2800
    listwise = merit.cronbach_alpha(items, missing="listwise")
    assert listwise["alpha"] == pytest.approx(.7037559, abs=1e-6) and listwise["n"] == 2709


def test_alpha_errors_name_the_item() -> None:
    x = pd.DataFrame({"q1": [1.0, 2, 3], "q2": [2.0, 2, 2]})
    with pytest.raises(merit.MeritError) as e:
        merit.cronbach_alpha(x)
    assert e.value.detail == "cronbach_alpha: item 'q2' has zero variance"
    with pytest.raises(ValueError, match="pairwise"):
        merit.cronbach_alpha(x, missing="all")  # type: ignore[arg-type]


def test_audit_resume_experiment() -> None:
    need(RESUMES)
    resumes = pd.read_csv(RESUMES)
    table = merit.audit(resumes, by="ethnicity", selected="call")
    assert list(table.columns) == list(merit.AUDIT_COLUMNS)
    rows = table.set_index("name")
    assert rows.loc["cauc", "selected"] == 235 and rows.loc["cauc", "applicants"] == 2435
    assert rows.loc["afam", "selected"] == 157 and rows.loc["afam", "applicants"] == 2435
    assert bool(rows.loc["cauc", "reference"])
    assert rows.loc["afam", "impact_ratio"] == pytest.approx(.6681, abs=1e-4)
    assert bool(rows.loc["afam", "four_fifths_flag"])
    assert rows.loc["afam", "fisher_p"] == pytest.approx(4.759e-05, abs=1e-7)
    # the exact conditional MLE; R prints .6452727 (uniroot's tolerance), see docs/fairness.md
    assert rows.loc["afam", "odds_ratio"] == pytest.approx(.6452670382, abs=1e-9)
    assert rows.loc["afam", "odds_ratio"] == pytest.approx(.6452727, abs=1e-5)
    assert table.attrs["n"] == 4870 and table.attrs["unknown"] == 0
    assert math.isnan(table.attrs["median_fit"]) and math.isnan(rows.loc["afam", "scoring_rate"])
    # booleans select the same
    flags = resumes.assign(call=resumes["call"] == "yes")
    pd.testing.assert_frame_equal(merit.audit(flags, by=["ethnicity"], selected="call"), table)


RESULTS = pd.DataFrame({
    "rank": [1, 2, 3, 4, 5, 6],
    "candidate_id": ["c1", "c2", "c3", "c4", "c5", "c6"],
    "fit": [90.0, 80.0, 70.0, 60.0, 50.0, np.nan],
    "status": ["qualified", "qualified", "screened_out", "qualified", "qualified", "incomplete"],
})
GROUPS = pd.DataFrame({
    "candidate_id": ["c1", "c2", "c3", "c4", "c5", "c9"],
    "sex": ["female", "male", "female", "male", None, "female"],
    "race": ["afam", "cauc", "cauc", "", "afam", "asian"],
})


@pytest.mark.filterwarnings("ignore:merit.audit. 1 of 6 results have no row in groups:UserWarning")  # c6: test_audit_py.py
def test_audit_join_matches_the_cli_case() -> None:
    # the case of test_audit_cli.py::test_top_k_with_intersections_unknowns_and_orphans
    table = merit.audit(RESULTS, GROUPS, by=["sex", "race"], top=2)
    assert table.attrs["n"] == 6
    assert table.attrs["unknown_by"] == {"sex": 2, "race": 2, "sex/race": 3}
    assert table.attrs["unknown"] == 3 and table.attrs["groups_without_results"] == 1
    assert table.attrs["median_fit"] == 70.0
    cats = table.set_index(["dimension", "name"])
    assert cats.loc[("race", "asian"), "applicants"] == 0 and math.isnan(cats.loc[("race", "asian"), "fisher_p"])
    assert cats.loc[("sex", "female"), "selected"] == 1 and cats.loc[("sex", "female"), "applicants"] == 2
    assert cats.loc[("sex/race", "female/afam"), "selection_rate"] == 1.0
    assert cats.loc[("sex", "female"), "scoring_rate"] == 0.5
    threshold = merit.audit(RESULTS, GROUPS, by="race", threshold=65).set_index("name")
    assert threshold.loc["cauc", "selected"] == 1  # c3 has fit 70 but is screened out
    # groups indexed by candidate_id work as well
    same = merit.audit(RESULTS, GROUPS.set_index("candidate_id"), by=["sex", "race"], top=2)
    pd.testing.assert_frame_equal(same, table)


@pytest.mark.filterwarnings("ignore:merit.audit. 1 of 6 results have no row in groups:UserWarning")  # c6: test_audit_py.py
@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_audit_equals_the_cli(tmp_path: pathlib.Path) -> None:
    RESULTS.to_csv(tmp_path / "results.csv", index=False, na_rep="")
    GROUPS.to_csv(tmp_path / "groups.csv", index=False, na_rep="")
    out = subprocess.run([CLI, "audit", "--results", "results.csv", "--groups", "groups.csv", "--by", "sex,race",
                          "--top", "2", "--json"], capture_output=True, text=True, check=True, cwd=tmp_path)
    doc = json.loads(out.stdout)
    cli = pd.DataFrame(doc["categories"])
    mine = merit.audit(RESULTS, GROUPS, by=["sex", "race"], top=2)
    assert mine.attrs["selection"] == doc["selection"]
    for key in ("n", "unknown", "unknown_by", "groups_without_results", "median_fit"):
        assert mine.attrs[key] == doc[key], key
    assert list(cli.columns) == list(mine.columns)
    # JSON null reads as NaN: the same frame, number for number
    pd.testing.assert_frame_equal(mine, cli, check_exact=True)


@pytest.mark.filterwarnings("ignore:merit.audit. 1 of 6 results have no row in groups:UserWarning")  # c6: test_audit_py.py
def test_audit_arguments() -> None:
    with pytest.raises(TypeError, match="exactly one"):
        merit.audit(RESULTS, GROUPS, by="sex", top=2, threshold=50)
    with pytest.raises(merit.InputError) as e:
        merit.audit(RESULTS, GROUPS, by="religion", top=2)
    assert e.value.code == "schema" and "missing column 'religion'" in e.value.detail
    bad = RESULTS.assign(chosen=["yes", "no", "maybe", "no", "no", "no"], sex="f")
    with pytest.raises(merit.InputError) as e:
        merit.audit(bad, by="sex", selected="chosen")
    assert e.value.location == "row 2, column 'chosen'"


def test_bands_cascio() -> None:
    assert merit.sem(10, .90) == pytest.approx(3.162278, abs=1e-6)
    assert merit.sed(10, .90) == pytest.approx(4.472136, abs=1e-6)
    assert merit.band_width(10, .90) == pytest.approx(8.765386, abs=1e-6)
    assert merit.band_width(10, .90, c=1.0) == pytest.approx(4.472136, abs=1e-6)
    bands = merit.fixed_bands([90.0, 85.0, 80.0, np.nan, 70.0, 81.2], 8.765386)
    assert bands.dtype == np.int32
    assert bands.tolist() == [1, 1, 2, 0, 3, 2]  # 90 - 81.2 = 8.8 > width: 81.2 opens band 2
    with pytest.raises(merit.MeritError):
        merit.band_width(10, 1.5)
