"""merit.aggregate and merit.read_greenhouse: evidence to competency scores.

The numbers are the core's (merit::aggregate); the hand values are those of
tests/cpp/test_evidence.cpp, and the Greenhouse fixture is the one the C ABI
tests score (tests/c/test_capi.c).
"""
from __future__ import annotations

import json
import math
import pathlib

import numpy as np
import pandas as pd
import pytest

import merit

ROOT = pathlib.Path(__file__).resolve().parents[2]
EVIDENCE = ROOT / "tests" / "data" / "evidence"
MINI = ROOT / "tests" / "data" / "models" / "mini.json"
SALES = ROOT / "competency_models" / "sales_enablement.json"
SHARED = pathlib.Path(__file__).parents[2].parent / "shared"
SHROUT_FLEISS = SHARED / "data" / "psychometrics" / "shrout_fleiss_1979.csv"


@pytest.fixture(scope="module")
def mini() -> merit.Model:
    return merit.load_model(MINI)


@pytest.fixture(scope="module")
def sales() -> merit.Model:
    return merit.load_model(SALES)


def read_long(name: str) -> pd.DataFrame:
    # value as text, as the file has it ("75", "no_decision", ""): an object column
    return pd.read_csv(EVIDENCE / name, dtype=str, keep_default_na=False)


def test_long_csv_by_hand(mini: merit.Model) -> None:
    result = merit.aggregate(mini, read_long("long_good.csv"))
    assert isinstance(result, merit.CompetencyScores)
    s = result.scores
    assert list(s.index) == ["A1", "B2"] and s.index.name == "candidate_id"
    assert list(s.columns) == ["alpha", "beta", "gamma"]  # model order
    # interview mean (4 + 5) / 2 = 4.5 weight 1; work sample 75 of 0..100 = level 4, weight 2
    assert s.loc["A1", "alpha"] == pytest.approx((4.5 + 2 * 4) / 3, abs=1e-12)
    assert result.ratings.loc["A1", "alpha"] == 3
    assert result.rater_sd.loc["A1", "alpha"] == pytest.approx(math.sqrt(1 / 3), abs=1e-12)  # SD of 4, 5, 4
    assert result.se.loc["A1", "alpha"] == pytest.approx(math.sqrt(1 / 3) / math.sqrt(3), abs=1e-12)
    assert math.isnan(s.loc["A1", "beta"])  # only no_decision and a blank
    assert result.ratings.loc["A1", "beta"] == 0
    assert s.loc["A1", "gamma"] == 4.0 and math.isnan(result.se.loc["A1", "gamma"])
    assert s.loc["B2", "alpha"] == 3.0
    assert result.missing == 2 and result.observations == 5 and result.duplicates == 0
    assert result.calibration == "none" and result.unmapped == {}
    assert result.ratings.dtypes.unique().tolist() == [np.dtype(np.int64)]
    raters = result.raters
    assert list(raters.index) == ["r1", "r2", "ws"] and list(raters.columns) == ["ratings", "mean", "sd", "leniency"]
    assert raters.loc["r1", "ratings"] == 3  # A1 alpha 4, A1 gamma yes = 4, B2 alpha 3
    assert raters.loc["r1", "mean"] == pytest.approx(11 / 3)


def test_value_column_types_give_the_same_scores(mini: merit.Model) -> None:
    text = read_long("long_good.csv")
    want = merit.aggregate(mini, text).scores
    # pandas' own reading: value is an object column mixing numbers' text and names, NaN for blanks
    default = merit.aggregate(mini, pd.read_csv(EVIDENCE / "long_good.csv")).scores
    pd.testing.assert_frame_equal(default, want)
    numbers = text[text["method"] != "scorecard"].copy()
    numbers["value"] = numbers["value"].astype(float)
    mixed = text.copy()
    mixed["value"] = [4, 5.0, np.int64(75), "no_decision", None, "yes", 3]
    pd.testing.assert_frame_equal(merit.aggregate(mini, mixed).scores, want)
    only_numbers = merit.aggregate(mini, numbers).scores
    assert only_numbers.loc["A1", "alpha"] == want.loc["A1", "alpha"]


def test_scores_feed_merit_score(mini: merit.Model) -> None:
    result = merit.aggregate(mini, read_long("long_good.csv"))
    ranked = merit.score(mini, "p", result.scores)
    direct = merit.score(mini, "p", result.scores.to_numpy(), ids=list(result.scores.index))
    pd.testing.assert_frame_equal(ranked, direct)


def test_duplicates_mean_or_error(mini: merit.Model) -> None:
    ev = read_long("long_duplicate.csv")
    result = merit.aggregate(mini, ev)
    assert result.scores.loc["A1", "alpha"] == 4.0  # r1: 4 and 2 -> 3; r2: 5
    assert result.duplicates == 1
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, ev, duplicates="error")
    assert e.value.code == "duplicate"
    assert e.value.detail == ("duplicate observation: candidate 'A1', competency 'alpha', method 'interview', "
                              "rater 'r1' (first at row 0)")
    assert e.value.location == "row 2"


def test_unknown_method_is_an_input_error(mini: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_unknown_method.csv"))
    assert e.value.code == "reference"
    assert e.value.location == "row 1, column 'method'"
    assert e.value.detail == "unknown method 'astrology' (the model has: interview, work_sample, scorecard)"
    assert str(e.value) == e.value.location + ": " + e.value.detail


def test_bad_level_is_an_input_error(mini: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_unknown_level.csv"))
    assert e.value.code == "value"
    assert e.value.location == "row 1, column 'value'"
    assert e.value.detail == ("unknown level 'maybe' for method 'scorecard' (expected one of: definitely_not, no, "
                              "mixed, yes, strong_yes, no_decision)")


def test_other_bad_input(mini: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_value_outside.csv"))
    assert e.value.detail == "value 120 is outside the scale of method 'work_sample' (0..100)"
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_missing_rater.csv"))
    assert e.value.detail == "missing rater: every rating needs its rater" and e.value.location.endswith("'rater'")
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_not_measured.csv"))
    assert e.value.code == "reference" and e.value.location == "row 1"
    assert e.value.detail == "method 'work_sample' does not measure competency 'beta' in the model's evidence matrix"
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_good.csv").drop(columns="rater"))
    assert e.value.code == "schema" and "missing column 'rater'" in e.value.detail
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, read_long("long_good.csv").assign(gender="f"))
    assert e.value.code == "protected_attribute"
    bad = read_long("long_good.csv")
    bad["value"] = [True] + [4] * (len(bad) - 1)
    with pytest.raises(merit.InputError) as e:
        merit.aggregate(mini, bad)
    assert e.value.location == "row 0, column 'value'"
    with pytest.raises(ValueError, match="calibration must be"):
        merit.aggregate(mini, read_long("long_good.csv"), calibration="median")  # type: ignore[arg-type]


def test_greenhouse_matches_the_core_and_the_c_abi(sales: merit.Model) -> None:
    path = EVIDENCE / "greenhouse_scorecards.json"
    result = merit.read_greenhouse(sales, path)
    assert list(result.scores.index) == ["36987001", "36987002"]
    # strong_yes, yes and "content clarity" yes (test_evidence.cpp, test_capi.c)
    assert result.scores.loc["36987001", "content_clarity"] == pytest.approx(13 / 3, abs=1e-12)
    assert result.scores.loc["36987001", "sales_training"] == pytest.approx(13 / 3, abs=1e-12)  # incl. 销售培训
    assert result.ratings.loc["36987001", "content_clarity"] == 3
    assert result.scores.loc["36987002", "content_clarity"] == pytest.approx(1.5)  # no, definitely_not
    assert result.unmapped == {"Culture Add": 1, "Excel Modelling": 1}
    assert result.missing == 1
    # the same from parsed JSON
    parsed = merit.read_greenhouse(sales, json.loads(path.read_text(encoding="utf-8")))
    pd.testing.assert_frame_equal(parsed.scores, result.scores)
    # the fit of the aggregated scores is the fit the C ABI reports for the
    # candidate's Greenhouse document (test_capi.c compares those two).
    fits = merit.score(sales, "sales_enablement", result.scores)["fit"]
    one = result.scores.loc[["36987001"]]
    assert merit.score(sales, "sales_enablement", one)["fit"].iloc[0] == fits["36987001"]


def test_greenhouse_errors_name_their_place(sales: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.read_greenhouse(sales, EVIDENCE / "gh_unknown_level.json")
    assert e.value.location == str(EVIDENCE / "gh_unknown_level.json") + "#/0/attributes/1/rating"
    assert e.value.detail.startswith("unknown level 'maybe' for source 'greenhouse'")
    cards = json.loads((EVIDENCE / "gh_no_candidate.json").read_text(encoding="utf-8"))
    with pytest.raises(merit.InputError) as e:
        merit.read_greenhouse(sales, cards)
    assert e.value.location == "/1"
    assert e.value.detail == "scorecard names no candidate (candidate_id is missing or null)"
    with pytest.raises(merit.InputError) as e:
        merit.read_greenhouse(merit.load_model(MINI), EVIDENCE / "greenhouse_scorecards.json")
    assert e.value.code == "reference" and "no method 'greenhouse_scorecard'" in e.value.detail


def ten_point_model() -> merit.Model:
    """The mini model with a 1..10 scale and a 1..10 interview."""
    doc = json.loads(MINI.read_text(encoding="utf-8"))
    doc["id"] = "mini10"
    doc["scale"]["levels"] = 10
    for c in doc["competencies"]:
        c["levels"] = [{"level": lv, "en": f"level {lv} anchor"} for lv in range(1, 11)]
    for m in doc["methods"]:
        if m["id"] == "interview":
            m["scale"]["max"] = 10
    for p in doc["profiles"]:
        for t in p["targets"].values():
            t["target"] = min(10, t["target"] * 2)
    return merit.parse_model(json.dumps(doc), "mini10")


@pytest.mark.skipif(not SHROUT_FLEISS.exists(), reason="shared data (../shared) not present")
def test_leniency_recovers_the_shrout_fleiss_judges() -> None:
    model = ten_point_model()
    wide = pd.read_csv(SHROUT_FLEISS, index_col=0)
    long = wide.rename_axis("candidate_id").reset_index().melt(
        id_vars="candidate_id", var_name="rater", value_name="value")
    long["competency_id"] = "alpha"
    long["method"] = "interview"
    result = merit.aggregate(model, long, calibration="leniency")
    grand = 5.291667
    means = {"J1": 7.666667, "J2": 2.5, "J3": 4.333333, "J4": 6.666667}
    for judge, mean in means.items():
        assert result.raters.loc[judge, "mean"] == pytest.approx(mean, abs=1e-6)
        assert result.raters.loc[judge, "leniency"] == pytest.approx(mean - grand, abs=1e-6)
        assert result.raters.loc[judge, "ratings"] == 6
    targets = [6, 3, 6.5, 4, 7.5, 4.75]
    np.testing.assert_allclose(result.scores["alpha"].to_numpy(), targets, atol=1e-9)
    assert result.calibration == "leniency"
    # without calibration nothing is applied, and the offsets are not estimated (NaN)
    raw = merit.aggregate(model, long)
    np.testing.assert_allclose(raw.scores["alpha"].to_numpy(), wide.mean(axis=1).to_numpy(), atol=1e-12)
    assert raw.raters["leniency"].isna().all()
