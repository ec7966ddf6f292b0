"""merit.validity, merit.utility, merit.criterion_360 and merit.cut: R's
reference values (tests/validity, tests/criterion), the CLI on the same data
(needs the merit binary in $MERIT_CLI; those tests skip without it), an
independent pandas computation of the cuts, and the typed errors."""

from __future__ import annotations

import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import ROOT

CLI = os.environ.get("MERIT_CLI")
needs_cli = pytest.mark.skipif(not CLI, reason="set MERIT_CLI to the merit binary")
WEIGHTS = {"salespeople": 0.5, "manager": 0.3, "peer": 0.2}


def reference(folder: str) -> dict[str, float]:
    table = pd.read_csv(ROOT / "tests" / folder / "reference_values.csv")
    return dict(zip(table["name"], table["value"]))


@pytest.fixture(scope="module")
def scores(model: merit.Model, pool: pd.DataFrame) -> pd.DataFrame:
    return merit.score(model, "sales_enablement", pool)


@pytest.fixture(scope="module")
def outcomes() -> pd.DataFrame:
    return pd.read_csv(ROOT / "examples" / "outcomes.csv", index_col="candidate_id", dtype={"candidate_id": str})


@pytest.fixture(scope="module")
def groups() -> pd.DataFrame:
    return pd.read_csv(ROOT / "examples" / "groups.csv", dtype={"candidate_id": str})


def run(*args: str) -> subprocess.CompletedProcess[str]:
    assert CLI
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=ROOT)


def test_validity_matches_r_continuous() -> None:
    data = pd.read_csv(ROOT / "tests" / "validity" / "continuous.csv")
    ref = reference("validity")
    v = merit.validity(data, "y", "x", criterion_reliability=0.52, applicant_sd=0.9)
    assert v.kind == "continuous" and v.expectancy is None and v.dropped == 0
    assert list(v.statistics.index) == list(merit.VALIDITY_CONTINUOUS_KEYS)
    for key, name in [("r", "pearson_r"), ("r_lower", "pearson_lower"), ("p", "pearson_p"), ("spearman", "spearman"),
                      ("r_corrected_range", "r_corrected_range"), ("r_operational", "r_operational")]:
        assert v.statistics[key] == pytest.approx(ref[name], abs=1e-10), key


def test_validity_matches_r_binary() -> None:
    data = pd.read_csv(ROOT / "tests" / "validity" / "binary.csv")
    ref = reference("validity")
    v = merit.validity(data, "y", "x")
    assert v.kind == "binary" and v.expectancy is not None
    assert v.statistics["auc"] == pytest.approx(ref["auc"], abs=1e-10)
    assert v.statistics["odds_ratio_per_10"] == pytest.approx(ref["odds_ratio_per_10"], rel=1e-6)
    assert v.expectancy["rate"].iloc[0] == pytest.approx(ref["band1_rate"], abs=1e-12)


def test_utility_matches_r() -> None:
    ref = reference("validity")
    u = merit.utility(0.35, 0.2, 0.5, sd_performance=40000, hires=10, cost_per_applicant=300)
    assert list(u.index) == ["success_ratio", "mean_z_selected", "utility"]
    assert u["success_ratio"] == pytest.approx(ref["tr1_success_ratio"], abs=1e-10)
    assert u["utility"] == pytest.approx(ref["bcg_utility"], rel=1e-10)
    assert math.isnan(merit.utility(0.35, 0.2, 0.5)["utility"])
    with pytest.raises(merit.InputError, match="sd_performance, hires and cost_per_applicant go together"):
        merit.utility(0.35, 0.2, 0.5, hires=10)
    with pytest.raises(merit.MeritError, match="the validity must lie strictly between -1 and 1"):
        merit.utility(1.0, 0.2, 0.5)


def test_criterion_360_matches_r() -> None:
    ratings = pd.read_csv(ROOT / "tests" / "criterion" / "ratings.csv")
    ref = reference("criterion")
    r = merit.criterion_360(ratings, WEIGHTS, group_reliability={"manager": 0.52})
    assert list(r.groups.columns) == list(merit.CRITERION_GROUP_COLUMNS)
    assert r.groups.loc["peer", "icc1k"] == pytest.approx(ref["peer_icc1k"], abs=1e-10)
    assert r.groups.loc["peer", "icc1_lower"] == pytest.approx(ref["peer_icc1_lower"], abs=1e-10)
    assert r.groups.loc["salespeople", "icc1"] == pytest.approx(ref["sales_icc1"], abs=1e-10)
    assert r.groups.loc["salespeople", "k"] == pytest.approx(ref["sales_k0"], abs=1e-12)
    assert math.isnan(r.groups.loc["manager", "icc1"])
    assert r.groups.loc["manager", "reliability_source"] == "given"
    assert r.composite["reliability"] == pytest.approx(ref["mosier"], abs=1e-10)
    assert r.scores.loc["E17", "composite"] == pytest.approx(ref["composite_E17"], abs=1e-12)
    # The composite from pandas: the weighted group means.
    means = ratings.groupby(["candidate_id", "rater_group"])["rating"].mean().unstack()
    expected = sum(w * means[g] for g, w in WEIGHTS.items())
    np.testing.assert_allclose(r.scores["composite"].to_numpy(), expected.loc[r.scores.index].to_numpy(), atol=1e-12)


def test_criterion_360_refusals() -> None:
    ratings = pd.read_csv(ROOT / "examples" / "ratings_360.csv")
    with pytest.raises(merit.MeritError, match=r"the rater-group weights sum to 1.1, not 1"):
        merit.criterion_360(ratings, {"salespeople": 0.5, "manager": 0.3, "peer": 0.3})
    missing = ratings[~((ratings["candidate_id"] == "C005") & (ratings["rater_group"] == "manager"))]
    with pytest.raises(merit.MeritError, match="'C005' has no rating from rater group 'manager'"):
        merit.criterion_360(missing, WEIGHTS)
    r = merit.criterion_360(missing, WEIGHTS, missing_group="renormalise")
    assert r.scores.loc["C005", "missing_groups"] == "manager" and r.composite["incomplete"] == 1
    with pytest.raises(merit.InputError, match="no column 'score' in the ratings"):
        merit.criterion_360(ratings, WEIGHTS, rating="score")


@needs_cli
def test_criterion_360_equals_the_cli(tmp_path: object) -> None:
    out = os.path.join(str(tmp_path), "c.csv")
    done = run("criterion", "360", "--ratings", "examples/ratings_360.csv", "--weights",
               "salespeople=0.5,manager=0.3,peer=0.2", "--out", out, "--json")
    assert done.returncode == 0, done.stderr
    cli = pd.read_csv(out, index_col="candidate_id", keep_default_na=False)
    summary = json.loads(done.stdout)
    py = merit.criterion_360(pd.read_csv(ROOT / "examples" / "ratings_360.csv"), WEIGHTS)
    np.testing.assert_allclose(py.scores["composite"].to_numpy(), cli["composite"].to_numpy(), atol=5e-7)
    assert list(py.scores.columns) == list(cli.columns)
    for g in summary["groups"]:
        value = g["icc1k"]["value"]
        assert (math.isnan(py.groups.loc[g["group"], "icc1k"]) if value is None
                else py.groups.loc[g["group"], "icc1k"] == value)


def independent_cuts(scores: pd.DataFrame, outcomes: pd.DataFrame, groups: pd.DataFrame) -> dict[str, object]:
    """The expectancy cut (target .8, success = not leaving), the ratio cut (.3) and the impact ratios by sex, in pandas."""
    hires = outcomes.join(scores["fit"]).dropna(subset=["fit"])
    hires["success"] = (hires["left_within_year"] == 0).astype(int)
    exp_cut = next(c for c in sorted(hires["fit"].unique()) if hires.loc[hires["fit"] >= c, "success"].mean() >= 0.8)
    eligible = scores.loc[scores["status"] == "qualified", "fit"].dropna().sort_values(ascending=False)
    m = math.ceil(round(0.3 * len(scores), 9))
    ratio_cut = eligible.iloc[m - 1]
    sex = groups.set_index("candidate_id")["sex"]
    ratios = {}
    for rule, c in (("expectancy", exp_cut), ("ratio", ratio_cut)):
        selected = (scores["fit"] >= c) & (scores["status"] == "qualified")
        rate = selected.groupby(sex.reindex(scores.index)).mean()
        ratios[rule] = (rate / rate.max()).to_dict()
    return {"expectancy": exp_cut, "ratio": ratio_cut, "ratios": ratios}


def test_cut_matches_pandas(scores: pd.DataFrame, outcomes: pd.DataFrame, groups: pd.DataFrame) -> None:
    r = merit.cut(scores, outcomes=outcomes, criterion="left_within_year", success_value=0, target_success=0.8,
                  selection_ratio=0.3, groups=groups, by="sex")
    want = independent_cuts(scores, outcomes, groups)
    assert list(r.cuts.columns) == list(merit.CUT_COLUMNS)
    assert r.cuts.loc["expectancy", "cut"] == want["expectancy"]
    assert r.cuts.loc["ratio", "cut"] == want["ratio"]
    assert r.impact is not None
    for rule, ratios in want["ratios"].items():  # type: ignore[attr-defined]
        got = r.impact[r.impact["rule"] == rule].set_index("name")["impact_ratio"]
        for name, ratio in ratios.items():
            assert got[name] == pytest.approx(ratio, abs=1e-12)
    # The groups never move the cuts.
    plain = merit.cut(scores, outcomes=outcomes, criterion="left_within_year", success_value=0, target_success=0.8,
                      selection_ratio=0.3)
    pd.testing.assert_frame_equal(plain.cuts, r.cuts)
    assert plain.impact is None


@needs_cli
def test_cut_equals_the_cli(tmp_path: object, scores: pd.DataFrame, outcomes: pd.DataFrame,
                            groups: pd.DataFrame) -> None:
    path = os.path.join(str(tmp_path), "scores.csv")
    done = run("score", "--model", "competency_models/sales_enablement.json", "--candidates", "examples/pool.csv",
               "--out", path)
    assert done.returncode == 0, done.stderr
    done = run("cut", "--scores", path, "--outcomes", "examples/outcomes.csv", "--criterion", "left_within_year",
               "--success-value", "0", "--target-success", "0.8", "--selection-ratio", "0.3",
               "--groups", "examples/groups.csv", "--by", "sex", "--json")
    assert done.returncode == 0, done.stderr
    cli = json.loads(done.stdout)
    r = merit.cut(scores, outcomes=outcomes, criterion="left_within_year", success_value=0, target_success=0.8,
                  selection_ratio=0.3, groups=groups, by="sex")
    assert r.expectancy is not None and r.impact is not None
    assert r.expectancy["lower"] == cli["expectancy"]["lower"]
    for c in cli["cuts"]:
        # The CLI reads fit with 6 decimals from the CSV; the frame has the exact fit.
        assert r.cuts.loc[c["rule"], "cut"] == pytest.approx(c["cut"], abs=5e-7)
        assert r.cuts.loc[c["rule"], "selected"] == c["selected"]
        got = r.impact[r.impact["rule"] == c["rule"]]
        assert got["impact_ratio"].tolist() == pytest.approx([x["impact_ratio"] for x in c["impact"]["categories"]])


def test_cut_errors(scores: pd.DataFrame, outcomes: pd.DataFrame) -> None:
    with pytest.raises(merit.InputError, match="outcomes need criterion and target_success"):
        merit.cut(scores, outcomes=outcomes)
    with pytest.raises(merit.MeritError, match=r"the selection ratio must lie in \(0, 1\], got 0"):
        merit.cut(scores, selection_ratio=0.0)
    with pytest.raises(merit.InputError, match="the criterion must be 0 or 1 for an expectancy cut"):
        merit.cut(scores, outcomes=outcomes, criterion="performance", target_success=0.5)
    with pytest.raises(merit.InputError, match="nothing to compute"):
        merit.cut(scores)
