"""merit.audit and the score bands against the published reference values and
the CLI (merit.icc and merit.cronbach_alpha: test_stats.py)."""
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
RESUMES = DATA / "fairness" / "resume_names.csv"
CLI = os.environ.get("MERIT_CLI")


def need(path: pathlib.Path) -> None:
    if not path.exists():
        pytest.skip(f"shared data {path} not present")


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
