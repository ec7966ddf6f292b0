"""merit.icc and merit.cronbach_alpha: tidy tables like pingouin's, checked against
pingouin.intraclass_corr / pingouin.cronbach_alpha and R psych (ICC, alpha).

R is run through ``Rscript`` when it is installed (Debian: r-cran-psych); the
Shrout & Fleiss values are also recorded below with the R command that
produced them, so that table is checked on a machine without R too. Shared
reference data are read from $MERIT_SHARED_DIR/data (skipped when unset).
"""
from __future__ import annotations

import io
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

pg = pytest.importorskip("pingouin")

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHROUT_FLEISS = ROOT / "examples" / "ratings_shrout_fleiss_1979.csv"
CLI = os.environ.get("MERIT_CLI")
TOL = 1e-9
TYPES = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]

# Rscript -e 'library(psych); x <- read.csv("examples/ratings_shrout_fleiss_1979.csv", row.names=1);
#   options(digits=15); print(ICC(x, lmer=FALSE)$results)'   (psych 2.2.9)
# columns: ICC, F, df1, df2, p, lower bound, upper bound
PSYCH_SHROUT_FLEISS = {
    "ICC1": (0.165741768405476, 1.79467849223947, 5, 18, 0.164768808344639611, -0.1329323248747509, 0.722560062328121),
    "ICC2": (0.289763779527559, 11.02724795640327, 5, 15, 0.000134566516484337, 0.0187865133747120, 0.761084369648953),
    "ICC3": (0.714840714840715, 11.02724795640327, 5, 15, 0.000134566516484337, 0.3424647650339254, 0.945858259955360),
    "ICC1k": (0.442797133679269, 1.79467849223947, 5, 18, 0.164768808344639611, -0.8844421552381190, 0.912415420340776),
    "ICC2k": (0.620050547598989, 11.02724795640327, 5, 15, 0.000134566516484337, 0.0711368153025035, 0.927232040167722),
    "ICC3k": (0.909315542377069, 11.02724795640327, 5, 15, 0.000134566516484337, 0.6756747138163047, 0.985891678169062),
}
COLUMNS = ["icc", "f", "df1", "df2", "p", "lower", "upper"]


def shared(*parts: str) -> pathlib.Path:
    root = os.environ.get("MERIT_SHARED_DIR")
    if not root:
        pytest.skip("MERIT_SHARED_DIR (the reference data folder) is not set")
    path = pathlib.Path(root, "data", *parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def r_psych_icc(wide: pd.DataFrame) -> pd.DataFrame:
    """psych::ICC(x, lmer = FALSE)$results of a targets x raters table, by Rscript."""
    if not shutil.which("Rscript"):
        pytest.skip("Rscript (r-cran-psych) is not installed")
    script = ("suppressMessages(library(psych)); x <- read.csv(file('stdin'));"
              "r <- ICC(x, lmer = FALSE)$results;"
              "write.csv(data.frame(type = r$type, icc = r$ICC, f = r$F, df1 = r$df1, df2 = r$df2, p = r$p,"
              " lower = r[['lower bound']], upper = r[['upper bound']]), stdout(), row.names = FALSE)")
    done = subprocess.run(["Rscript", "-e", f"options(digits = 17); {script}"], input=wide.to_csv(index=False),
                          capture_output=True, text=True, check=True)
    return pd.read_csv(io.StringIO(done.stdout)).set_index("type")


def pingouin_icc(long: pd.DataFrame, targets: str, raters: str, ratings: str) -> pd.DataFrame:
    saved = pg.options.get("round.column.CI95")
    pg.options["round.column.CI95"] = None  # pingouin rounds the intervals to 2 decimals by default
    try:
        out = pg.intraclass_corr(long, targets=targets, raters=raters, ratings=ratings)
    finally:
        pg.options["round.column.CI95"] = saved
    # pingouin's rows are ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k in that order (labelled ICC(1,1), ICC(A,1), ...)
    return pd.DataFrame({"icc": out["ICC"].to_numpy(), "f": out["F"].to_numpy(), "df1": out["df1"].to_numpy(),
                         "df2": out["df2"].to_numpy(), "p": out["pval"].to_numpy(),
                         "lower": [c[0] for c in out["CI95"]], "upper": [c[1] for c in out["CI95"]]},
                        index=TYPES)


def compare(mine: pd.DataFrame, peer: pd.DataFrame, rel: float = TOL) -> float:
    """Every number of the six forms; returns the largest absolute difference."""
    assert list(mine["type"]) == TYPES
    got = mine.set_index("type")[COLUMNS].astype(float)
    want = peer.loc[TYPES, COLUMNS].astype(float)
    np.testing.assert_allclose(got.to_numpy(), want.to_numpy(), rtol=rel, atol=TOL)
    return float((got - want).abs().to_numpy().max())


@pytest.fixture(scope="module")
def sf_wide() -> pd.DataFrame:
    return pd.read_csv(SHROUT_FLEISS, index_col="target")


@pytest.fixture(scope="module")
def sf_long(sf_wide: pd.DataFrame) -> pd.DataFrame:
    return sf_wide.reset_index().melt(id_vars="target", var_name="rater", value_name="rating")


def test_icc_table_layout(sf_long: pd.DataFrame) -> None:
    t = merit.icc(sf_long, "target", "rater", "rating")
    assert list(t.columns) == ["type", "description", "icc", "f", "df1", "df2", "p", "lower", "upper"]
    assert list(t["type"]) == TYPES
    assert t["description"].iloc[1] == "ICC(2,1) = ICC(A,1): two-way random, absolute agreement, single judge"
    assert t["description"].iloc[5] == "ICC(3,k) = ICC(C,k): two-way mixed, consistency, mean of 4 judges"
    assert t.attrs == {"n_targets": 6, "n_raters": 4, "n_dropped": 0, "confidence": 0.95}
    zh = merit.icc(sf_long, "target", "rater", "rating", lang="zh-CN")
    assert zh["description"].iloc[1] == "ICC(2,1) = ICC(A,1)：双向随机，绝对一致性，单个评分者"
    assert zh["description"].iloc[3] == "ICC(1,k) = ICC(k)：单向随机，4 名评分者的平均"
    pd.testing.assert_frame_equal(zh.drop(columns="description"), t.drop(columns="description"))
    with pytest.raises(ValueError, match="lang must be 'en' or 'zh-CN', got 'fr'"):
        merit.icc(sf_long, "target", "rater", "rating", lang="fr")  # type: ignore[arg-type]


def test_icc_shrout_fleiss_matches_recorded_psych(sf_long: pd.DataFrame) -> None:
    recorded = pd.DataFrame.from_dict(PSYCH_SHROUT_FLEISS, orient="index", columns=COLUMNS)
    compare(merit.icc(sf_long, targets="target", raters="rater", ratings="rating"), recorded, rel=1e-12)


def test_icc_shrout_fleiss_matches_r_and_pingouin(sf_wide: pd.DataFrame, sf_long: pd.DataFrame) -> None:
    mine = merit.icc(sf_long, targets="target", raters="rater", ratings="rating")
    print(f"\nShrout & Fleiss: max |merit - R psych| {compare(mine, r_psych_icc(sf_wide)):.3g}, "
          f"max |merit - pingouin| {compare(mine, pingouin_icc(sf_long, 'target', 'rater', 'rating')):.3g}")


def test_long_frame_gives_the_wide_numbers(sf_wide: pd.DataFrame, sf_long: pd.DataFrame) -> None:
    """The case that was misread: a numeric long frame is no longer taken as n x 3 wide data."""
    numeric = sf_long.assign(target=sf_long["target"].str[1:].astype(int), rater=sf_long["rater"].str[1:].astype(int))
    long = merit.icc(numeric, targets="target", raters="rater", ratings="rating")
    assert long.loc[long["type"] == "ICC2", "icc"].item() == pytest.approx(0.289763779527559, abs=1e-12)
    for wide in (merit.icc(sf_wide, wide=True), merit.icc(sf_wide.to_numpy(), wide=True)):
        pd.testing.assert_frame_equal(long, wide, rtol=1e-13, atol=1e-13)
    # the row order of a long frame does not matter
    shuffled = numeric.sample(frac=1, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(merit.icc(shuffled, "target", "rater", "rating"), long, rtol=1e-13, atol=1e-13)


def test_icc_confidence_changes_only_the_interval(sf_long: pd.DataFrame) -> None:
    t90 = merit.icc(sf_long, "target", "rater", "rating", confidence=0.90)
    t95 = merit.icc(sf_long, "target", "rater", "rating")
    assert t90.attrs["confidence"] == 0.90
    pd.testing.assert_frame_equal(t90.drop(columns=["lower", "upper"]), t95.drop(columns=["lower", "upper"]))
    assert (t90["lower"] > t95["lower"]).all() and (t90["upper"] < t95["upper"]).all()


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_icc_equals_the_cli(sf_long: pd.DataFrame) -> None:
    out = subprocess.run([CLI, "reliability", "icc", "--wide", str(SHROUT_FLEISS), "--json"],
                         capture_output=True, text=True, check=True)
    cli = json.loads(out.stdout)
    mine = merit.icc(sf_long, "target", "rater", "rating").set_index("type")
    for t in TYPES:
        row = cli[t.lower()]
        for col, key in (("icc", "value"), ("f", "f"), ("df1", "df1"), ("df2", "df2"), ("p", "p"),
                         ("lower", "lower"), ("upper", "upper")):
            assert mine.loc[t, col] == pytest.approx(row[key], abs=1e-12), (t, col)


def test_icc_gleser_matches_r_and_pingouin() -> None:
    """A real 12 x 12 table (psych's Gleser generalizability example)."""
    wide = pd.read_csv(shared("psychometrics", "gleser.csv"), index_col=0)
    long = wide.rename_axis("person").reset_index().melt(id_vars="person", var_name="judge", value_name="score")
    mine = merit.icc(long, targets="person", raters="judge", ratings="score")
    pd.testing.assert_frame_equal(mine, merit.icc(wide, wide=True), rtol=1e-12, atol=1e-12)
    print(f"\nGleser 12 x 12: max |merit - R psych| {compare(mine, r_psych_icc(wide)):.3g}, "
          f"max |merit - pingouin| {compare(mine, pingouin_icc(long, 'person', 'judge', 'score')):.3g}")


@pytest.mark.parametrize("n,k,seed", [(5, 2, 1), (30, 4, 3), (200, 7, 4)])
def test_icc_random_designs_match_pingouin(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.round(3 + rng.normal(0, 1, (n, 1)) + rng.normal(0, .7, (1, k)) + rng.normal(0, .8, (n, k)), 1)
    long = pd.DataFrame(x, columns=[f"r{j}" for j in range(k)]).rename_axis("t").reset_index().melt(
        id_vars="t", var_name="r", value_name="y")
    compare(merit.icc(long, "t", "r", "y"), pingouin_icc(long, "t", "r", "y"))


# ---- refusals: each names the argument, column or row to fix ------------------------------


def input_error(call: object) -> merit.InputError:
    with pytest.raises(merit.InputError) as e:
        call()  # type: ignore[operator]
    return e.value


def test_icc_refuses_unnamed_long_data(sf_long: pd.DataFrame) -> None:
    e = input_error(lambda: merit.icc(sf_long))
    assert str(e) == ("targets: long data needs the columns of targets, raters, ratings: name them "
                      "(icc(data, targets=..., raters=..., ratings=...)), or pass wide=True for a "
                      "targets x raters table")
    assert (e.code, e.location) == ("invalid_argument", "targets")
    e = input_error(lambda: merit.icc(sf_long, targets="target", raters="rater"))
    assert e.detail.startswith("long data needs the columns of ratings: name them") and e.location == "ratings"
    e = input_error(lambda: merit.icc(np.ones((4, 3))))
    assert str(e) == ("data: long data must be a DataFrame, got ndarray; for a targets x raters array "
                      "pass wide=True")


def test_icc_refuses_unknown_columns(sf_long: pd.DataFrame) -> None:
    e = input_error(lambda: merit.icc(sf_long, targets="target", raters="judge", ratings="rating"))
    assert str(e) == "raters: raters='judge' is not a column of the frame (columns: 'target', 'rater', 'rating')"
    assert e.code == "not_found"


def test_icc_refuses_ambiguous_columns(sf_long: pd.DataFrame) -> None:
    e = input_error(lambda: merit.icc(sf_long, targets="target", raters="target", ratings="rating"))
    assert str(e) == ("targets: targets, raters and ratings must name three different columns, got "
                      "targets='target', raters='target', ratings='rating'")
    twice = pd.concat([sf_long, sf_long[["rating"]]], axis=1)
    e = input_error(lambda: merit.icc(twice, targets="target", raters="rater", ratings="rating"))
    assert str(e) == "ratings: column 'rating' appears more than once in the frame"
    assert e.code == "duplicate"


def test_icc_refuses_column_names_with_wide(sf_wide: pd.DataFrame) -> None:
    e = input_error(lambda: merit.icc(sf_wide, ratings="J1", wide=True))
    assert str(e) == ("ratings: ratings name columns of long data; with wide=True the rows are the targets "
                      "and the columns the raters, so leave them out")


def test_icc_refuses_duplicate_pairs(sf_long: pd.DataFrame) -> None:
    doubled = pd.concat([sf_long, sf_long.iloc[[7]]], ignore_index=True)
    e = input_error(lambda: merit.icc(doubled, "target", "rater", "rating"))
    assert str(e) == ("rows 7, 24: target 'S2' is rated by rater 'J2' 2 times; icc needs one rating per "
                      "target and rater (average the repeats or keep one)")
    assert e.code == "duplicate"


def test_icc_refuses_missing_cells(sf_long: pd.DataFrame) -> None:
    unbalanced = sf_long.drop(index=9)  # S4 by J2
    e = input_error(lambda: merit.icc(unbalanced, "target", "rater", "rating"))
    assert str(e) == ("target 'S4': target 'S4' has no rating by rater 'J2' (1 missing cell(s) in all); icc "
                      "needs every target rated by every rater: add the rating or drop the target")
    nan = sf_long.copy()
    nan.loc[2, "rating"] = np.nan  # S3 by J1
    assert "target 'S3' has no rating by rater 'J1'" in str(input_error(lambda: merit.icc(nan, "target", "rater", "rating")))
    no_id = sf_long.astype({"rater": object})
    no_id.loc[5, "rater"] = None
    assert str(input_error(lambda: merit.icc(no_id, "target", "rater", "rating"))) == \
        "row 5: raters column 'rater' is missing (None or NaN)"


def test_icc_refuses_non_numeric_ratings(sf_long: pd.DataFrame, sf_wide: pd.DataFrame) -> None:
    text = sf_long.assign(rating=sf_long["rating"].astype(str).astype(object))
    e = input_error(lambda: merit.icc(text, "target", "rater", "rating"))
    assert str(e) == "column 'rating': ratings must be numbers, got dtype object"
    assert e.code == "parse"
    flags = sf_long.assign(rating=sf_long["rating"] > 5)
    assert "got dtype bool" in str(input_error(lambda: merit.icc(flags, "target", "rater", "rating")))
    with_ids = sf_wide.reset_index()
    e = input_error(lambda: merit.icc(with_ids, wide=True))
    assert str(e) == (f"column 'target': ratings must be numbers, got dtype {with_ids['target'].dtype}; every "
                      "column is one of the raters (set the ids as the index)")


def test_icc_wide_missing_ratings_drop_the_target_with_a_warning(sf_wide: pd.DataFrame) -> None:
    holed = sf_wide.astype(float)
    holed.iloc[0, 0] = np.nan
    with pytest.warns(UserWarning, match="icc: 1 target.s. with a missing rating left out"):
        t = merit.icc(holed, wide=True)
    assert t.attrs["n_targets"] == 5 and t.attrs["n_dropped"] == 1
    pd.testing.assert_frame_equal(t, merit.icc(sf_wide.iloc[1:], wide=True), check_like=False)


def test_icc_core_errors() -> None:
    with pytest.raises(merit.MeritError) as e:
        merit.icc(np.ones((5, 1)), wide=True)
    assert e.value.code == "invalid_argument"
    assert e.value.detail == "icc: needs at least 2 judges (columns), got 1"


# ---- Cronbach's alpha --------------------------------------------------------------------


def bfi_agreeableness() -> pd.DataFrame:
    bfi = pd.read_csv(shared("psychometrics", "bfi.csv"), index_col=0)
    items = bfi[["A1", "A2", "A3", "A4", "A5"]].astype(float)
    items["A1"] = 7 - items["A1"]
    return items


def test_alpha_bfi_matches_r_psych_and_pingouin() -> None:
    items = bfi_agreeableness()
    r = merit.cronbach_alpha(items)
    assert list(r.columns) == ["alpha", "std_alpha", "n", "k", "lower", "upper"] and list(r.index) == ["alpha"]
    row = r.loc["alpha"]
    # Rscript -e 'library(psych); x <- read.csv("bfi.csv", row.names=1)[, c("A1","A2","A3","A4","A5")];
    #   x$A1 <- 7 - x$A1; options(digits=15); print(alpha(x)$total);
    #   print(unlist(alpha.ci(0.703018446057304, 2800, p.val=.05, n.var=5)))'      (psych 2.2.9)
    assert row["alpha"] == pytest.approx(0.703018446057304, abs=1e-12)
    assert row["std_alpha"] == pytest.approx(0.713028578671272, abs=1e-12)
    assert row["lower"] == pytest.approx(0.685264325886398, abs=1e-12)
    assert row["upper"] == pytest.approx(0.720063389899432, abs=1e-12)
    assert (row["n"], row["k"]) == (2800, 5) and r.attrs["confidence"] == 0.95
    alpha, ci = pg.cronbach_alpha(items)  # pingouin rounds its interval to 3 decimals
    assert row["alpha"] == pytest.approx(alpha, abs=1e-12)
    assert row[["lower", "upper"]].to_numpy(dtype=float) == pytest.approx(ci, abs=5e-4)
    listwise = merit.cronbach_alpha(items, missing="listwise").loc["alpha"]
    alpha_lw, _ = pg.cronbach_alpha(items, nan_policy="listwise")
    assert listwise["alpha"] == pytest.approx(alpha_lw, abs=1e-12) and listwise["n"] == 2709


def test_alpha_confidence_against_pingouin() -> None:
    rng = np.random.default_rng(5)
    x = np.round(rng.normal(0, 1, (60, 1)) + rng.normal(0, 1, (60, 6)), 1)
    mine = merit.cronbach_alpha(x, confidence=0.90).loc["alpha"]
    alpha, ci = pg.cronbach_alpha(pd.DataFrame(x), ci=0.90)
    assert mine["alpha"] == pytest.approx(alpha, abs=1e-12)
    assert mine[["lower", "upper"]].to_numpy(dtype=float) == pytest.approx(ci, abs=5e-4)
    assert (mine["n"], mine["k"]) == (60, 6)


def test_alpha_errors_name_the_item() -> None:
    x = pd.DataFrame({"q1": [1.0, 2, 3], "q2": [2.0, 2, 2]})
    with pytest.raises(merit.MeritError) as e:
        merit.cronbach_alpha(x)
    assert e.value.detail == "cronbach_alpha: item 'q2' has zero variance"
    with pytest.raises(ValueError, match="pairwise"):
        merit.cronbach_alpha(x, missing="all")  # type: ignore[arg-type]
    e2 = input_error(lambda: merit.cronbach_alpha(x.assign(q3=pd.Series(["a", "b", "c"], dtype=object))))
    assert str(e2) == ("column 'q3': items must be numbers, got dtype object; every column is one of the items "
                       "(set the ids as the index)")
