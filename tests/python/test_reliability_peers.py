"""Cross-check `merit reliability` against pingouin on random data.

Set MERIT_CLI to the built `merit` binary; without it the tests are skipped.
pingouin rounds the ICC intervals to 2 decimals by default (option
'round.column.CI95'); the tests switch that rounding off and compare every
ICC and interval to 1e-9, and each form's F test (F and p to 1e-9 relative,
df exactly). pingouin.cronbach_alpha rounds its interval to 3
decimals inside the function, so the Feldt interval is compared to 5e-4
against it and to 1e-9 against the same formula evaluated with scipy.
"""
import json
import os
import subprocess

import numpy as np
import pytest

pg = pytest.importorskip("pingouin")
pd = pytest.importorskip("pandas")
scipy_stats = pytest.importorskip("scipy.stats")

CLI = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")

FORMS = {"ICC1": "icc1", "ICC2": "icc2", "ICC3": "icc3", "ICC1k": "icc1k", "ICC2k": "icc2k", "ICC3k": "icc3k"}
TOL = 1e-9


def run_merit(*args):
    done = subprocess.run([CLI, "reliability", *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def write_wide(path, x, prefix):
    cols = [f"{prefix}{j + 1}" for j in range(x.shape[1])]
    df = pd.DataFrame(x, columns=cols)
    df.insert(0, "id", [f"t{i}" for i in range(x.shape[0])])
    df.to_csv(path, index=False, na_rep="")
    return df


def random_ratings(rng, n, k):
    target = rng.normal(0, 1.0, size=(n, 1))
    judge = rng.normal(0, 0.7, size=(1, k))
    noise = rng.normal(0, 0.8, size=(n, k))
    return np.round(3 + target + judge + noise, 1)


def pingouin_icc(df):
    long = df.melt(id_vars="id", var_name="judge", value_name="rating")
    saved = pg.options.get("round.column.CI95")
    pg.options["round.column.CI95"] = None
    try:
        out = pg.intraclass_corr(long, targets="id", raters="judge", ratings="rating", nan_policy="omit")
    finally:
        pg.options["round.column.CI95"] = saved
    return out.set_index("Type")


def compare_icc(mine, peer):
    # pingouin's row order: ICC(1,1), ICC(A,1), ICC(C,1), ICC(1,k), ICC(A,k), ICC(C,k)
    worst = 0.0
    for row, key in zip(range(6), FORMS.values()):
        value = peer["ICC"].iloc[row]
        lower, upper = peer["CI95"].iloc[row]
        for got, want in ((mine[key]["value"], value), (mine[key]["lower"], lower), (mine[key]["upper"], upper)):
            assert got == pytest.approx(want, abs=TOL), key
            worst = max(worst, abs(got - want))
        # the F test of each form (relative: F grows with n)
        assert (mine[key]["df1"], mine[key]["df2"]) == (peer["df1"].iloc[row], peer["df2"].iloc[row]), key
        assert mine[key]["f"] == pytest.approx(peer["F"].iloc[row], rel=TOL), key
        assert mine[key]["p"] == pytest.approx(peer["pval"].iloc[row], rel=TOL, abs=1e-300), key
    return worst


@pytest.mark.parametrize("n,k,seed", [(5, 2, 1), (12, 3, 2), (30, 4, 3), (200, 7, 4), (50, 10, 5), (1000, 3, 6)])
def test_icc_matches_pingouin(tmp_path, n, k, seed):
    rng = np.random.default_rng(seed)
    x = random_ratings(rng, n, k)
    df = write_wide(tmp_path / "wide.csv", x, "J")
    mine = run_merit("icc", "--wide", str(tmp_path / "wide.csv"))
    assert mine["n_targets"] == n and mine["n_judges"] == k
    worst = compare_icc(mine, pingouin_icc(df))
    print(f"icc n={n} k={k}: max |merit - pingouin| = {worst:.3g}")


def test_icc_missing_targets_left_out_as_pingouin(tmp_path):
    rng = np.random.default_rng(7)
    x = random_ratings(rng, 40, 4)
    x[rng.random(x.shape) < 0.05] = np.nan
    complete = int((~np.isnan(x)).all(axis=1).sum())
    df = write_wide(tmp_path / "wide.csv", x, "J")
    mine = run_merit("icc", "--wide", str(tmp_path / "wide.csv"))
    assert mine["n_targets"] == complete < 40
    compare_icc(mine, pingouin_icc(df))


def random_items(rng, n, k):
    trait = rng.normal(0, 1, size=(n, 1))
    return np.clip(np.round(3.5 + trait * rng.uniform(0.3, 1.0, size=(1, k)) + rng.normal(0, 1, size=(n, k))), 1, 6)


def feldt(alpha, n, k):
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (1 - (1 - alpha) * scipy_stats.f.isf(0.025, df1, df2), 1 - (1 - alpha) * scipy_stats.f.isf(0.975, df1, df2))


@pytest.mark.parametrize("n,k,seed", [(10, 2, 11), (60, 5, 12), (500, 8, 13), (3000, 4, 14)])
@pytest.mark.parametrize("policy", ["pairwise", "listwise"])
def test_alpha_matches_pingouin(tmp_path, n, k, seed, policy):
    rng = np.random.default_rng(seed)
    x = random_items(rng, n, k)
    x[rng.random(x.shape) < 0.03] = np.nan
    df = write_wide(tmp_path / "items.csv", x, "Q")
    mine = run_merit("alpha", "--wide", str(tmp_path / "items.csv"), "--missing", policy)
    items = df.drop(columns="id")
    if policy == "listwise":
        # pingouin 0.7 takes n before it drops incomplete rows; give it the complete rows.
        items = items.dropna()
    value, ci = pg.cronbach_alpha(items, nan_policy="pairwise")
    assert mine["n"] == len(items)
    assert mine["alpha"] == pytest.approx(value, abs=TOL)
    assert mine["lower"] == pytest.approx(ci[0], abs=5e-4 + 1e-12)
    assert mine["upper"] == pytest.approx(ci[1], abs=5e-4 + 1e-12)
    lower, upper = feldt(value, len(items), k)
    assert mine["lower"] == pytest.approx(lower, abs=TOL)
    assert mine["upper"] == pytest.approx(upper, abs=TOL)
    # Standardised alpha from the item correlations (cov2cor of the same covariances).
    c = items.cov().to_numpy()
    r = c / np.sqrt(np.outer(np.diag(c), np.diag(c)))
    assert mine["std_alpha"] == pytest.approx(k / (k - 1) * (1 - k / r.sum()), abs=TOL)
    print(f"alpha {policy} n={n} k={k}: |merit - pingouin| = {abs(mine['alpha'] - value):.3g}, "
          f"CI vs scipy Feldt = {max(abs(mine['lower'] - lower), abs(mine['upper'] - upper)):.3g}")


def test_bfi_agreeableness_matches_pingouin():
    shared = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "psychometrics", "bfi.csv")
    if not os.path.exists(shared):
        pytest.skip("shared data not beside the tree")
    mine = run_merit("alpha", "--wide", shared, "--items", "A1,A2,A3,A4,A5", "--reverse", "A1", "--reverse-max", "6")
    items = pd.read_csv(shared)[["A1", "A2", "A3", "A4", "A5"]]
    items["A1"] = 7 - items["A1"]
    value, _ = pg.cronbach_alpha(items)
    assert mine["alpha"] == pytest.approx(value, abs=TOL)
    assert mine["alpha"] == pytest.approx(0.7030184, abs=1e-6)


def test_out_file_holds_the_same_json(tmp_path):
    rng = np.random.default_rng(21)
    write_wide(tmp_path / "wide.csv", random_ratings(rng, 8, 3), "J")
    printed = run_merit("icc", "--wide", str(tmp_path / "wide.csv"))
    subprocess.run([CLI, "reliability", "icc", "--wide", str(tmp_path / "wide.csv"), "--json",
                    "--out", str(tmp_path / "icc.json")], check=True)
    assert json.loads((tmp_path / "icc.json").read_text()) == printed
    assert list(printed) == ["icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k", "n_targets", "n_judges"]
