"""merit.norms_build / merit.norms_apply and the scoring hash: percentiles
against scipy.stats.percentileofscore(kind='mean') to 1e-9, the same numbers
as merit norms apply and merit score --norms (when $MERIT_CLI is set), and
the exact message of each error."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, ROOT

scipy_stats = pytest.importorskip("scipy.stats")

MERIT = os.environ.get("MERIT_CLI")
PAST = ROOT / "examples" / "past_pool.csv"


@pytest.fixture(scope="module")
def past(model: merit.Model) -> pd.DataFrame:
    return merit.score(model, "sales_enablement", pd.read_csv(PAST, index_col="candidate_id", dtype={"candidate_id": str}))


def rounded(x: np.ndarray) -> np.ndarray:
    """Scores as merit compares them: at 6 decimals."""
    return np.round(x, 6)


def test_percentiles_equal_scipy_mean_kind(model: merit.Model, past: pd.DataFrame, pool: pd.DataFrame) -> None:
    norms = merit.norms_build(past, model, "sales_enablement")
    assert norms["groups"][0]["n"] == int(past["fit"].notna().sum()) == 400
    new = merit.score(model, "sales_enablement", pool)
    out = merit.norms_apply(new, norms, model)
    sample = rounded(past["fit"].dropna().to_numpy())
    for cid, row in out.iterrows():
        if np.isnan(row["fit"]):
            assert np.isnan(row["percentile"]), cid
        else:
            expected = scipy_stats.percentileofscore(sample, round(row["fit"], 6), kind="mean")
            assert abs(row["percentile"] - expected) < 1e-9, cid
    assert list(out.columns) == [*new.columns, "percentile"]
    assert out.index.equals(new.index)


def test_random_sample_with_ties_and_groups_equals_scipy(model: merit.Model) -> None:
    # seed 20261202: 3 regions, scores on a coarse grid (many ties), some off the sample's range.
    rng = np.random.default_rng(20261202)
    n = 3000
    frame = pd.DataFrame({"fit": rng.integers(0, 400, n) / 4.0, "region": rng.choice(["east", "north", "west"], n)})
    frame.loc[rng.random(n) < 0.02, "fit"] = np.nan
    norms = merit.norms_build(frame, model, column="fit", by="region")
    assert [g["group"] for g in norms["groups"]] == ["east", "north", "west"]
    probe = pd.DataFrame({"fit": np.concatenate([rng.uniform(-5, 105, 500), frame["fit"].dropna().to_numpy()[:500]]),
                          "region": rng.choice(["east", "north", "west"], 1000)})
    out = merit.norms_apply(probe, norms, model)
    for region, rows in out.groupby("region"):
        sample = frame.loc[frame["region"] == region, "fit"].dropna().to_numpy()
        expected = [scipy_stats.percentileofscore(sample, v, kind="mean") for v in rounded(rows["fit"].to_numpy())]
        np.testing.assert_allclose(rows["percentile"].to_numpy(), expected, rtol=0, atol=1e-9)


def test_scoring_hash_in_norms_and_profile(model: merit.Model, past: pd.DataFrame) -> None:
    norms = merit.norms_build(past, model)
    assert norms["model"] == {"id": model.id, "version": model.version,
                              "scoring_hash": model.profile("sales_enablement").scoring_hash}
    assert len({p.scoring_hash for p in model.profiles}) == len(model.profiles)
    doc = json.loads(MODEL_PATH.read_text())
    doc["competencies"][0]["definition"]["en"] = "Reworded."
    assert merit.parse_model(json.dumps(doc)).profile("sales_enablement").scoring_hash == norms["model"]["scoring_hash"]
    doc["profiles"][0]["targets"]["content_clarity"]["minimum"] = 4
    edited = merit.parse_model(json.dumps(doc))
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(past[["fit"]], norms, edited)
    h = edited.profile("sales_enablement").scoring_hash
    assert str(e.value) == (
        f"norms: these norms were built with scoring hash {norms['model']['scoring_hash'][:12]} (model "
        f"sales_enablement {model.version}), but profile 'sales_enablement' now scores with {h[:12]}: a target, "
        "weight, hurdle, scale mapping or evidence weight changed, so the norms no longer describe its scores; "
        "rebuild them with 'merit norms build'")


def test_errors(model: merit.Model, past: pd.DataFrame) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.norms_build(past.assign(sex="x"), model, by="sex")
    assert e.value.code == "protected_attribute"
    assert str(e.value) == (
        "by: norm groups by 'sex' would norm by a protected characteristic ('sex'): norming scores by race, color, "
        "religion, sex or national origin is unlawful in the US (42 U.S.C. 2000e-2(l)); group by job, level or region")
    with pytest.raises(merit.InputError) as e:
        merit.norms_build(past.head(99), model)
    assert str(e.value) == "fit: group 'all' has 99 scores; norms need at least 100 per group (docs/norms.md)"
    with pytest.raises(merit.InputError) as e:
        merit.norms_build(past, model, column="nope")
    assert str(e.value) == "nope: no column 'nope' in the frame"
    regions = past.assign(region=["east", "west"] * 200)
    norms = merit.norms_build(regions, model, by="region")
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(regions.assign(region="north"), norms, model)
    assert e.value.code == "not_found"
    assert str(e.value) == "region (row 0): no norms for group 'north' (the norms have: east, west)"
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(past, norms, model)
    assert str(e.value) == "region: no column 'region' in the frame (the norms are grouped by it)"
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(regions.assign(region=[None] + ["east"] * 399), norms, model)
    assert str(e.value) == "region['P001']: empty norm group in column 'region'; every row needs its group"
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(past.assign(percentile=1.0), norms, model)
    assert str(e.value) == "percentile: the frame already has a 'percentile' column"
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(regions, norms, model, column="coverage")
    assert str(e.value) == "norms: these norms are for column 'fit', not 'coverage'"
    with pytest.raises(merit.InputError) as e:
        merit.norms_apply(past.assign(fit="high"), merit.norms_build(past, model), model)
    assert str(e.value) == "fit['P001']: 'high' in column 'fit' is not a number"


@pytest.mark.skipif(not MERIT, reason="set MERIT_CLI to the merit binary")
def test_same_as_the_cli(model: merit.Model, past: pd.DataFrame, pool: pd.DataFrame, tmp_path: pathlib.Path) -> None:
    assert MERIT is not None
    run = lambda *a: subprocess.run([MERIT, *map(str, a)], capture_output=True, text=True, cwd=ROOT, check=True)
    run("score", "--model", MODEL_PATH, "--candidates", PAST, "--out", tmp_path / "past.csv")
    run("norms", "build", "--model", MODEL_PATH, "--scores", tmp_path / "past.csv", "--out", tmp_path / "norms.json")
    cli_norms = json.loads((tmp_path / "norms.json").read_text())
    py_norms = merit.norms_build(past, model)
    for key in ("model", "profile", "column", "by", "min_n", "groups"):
        assert cli_norms[key] == py_norms[key], key
    run("score", "--model", MODEL_PATH, "--candidates", ROOT / "examples" / "pool.csv", "--norms", tmp_path / "norms.json",
        "--out", tmp_path / "scored.csv")
    cli = pd.read_csv(tmp_path / "scored.csv", index_col="candidate_id", dtype={"candidate_id": str})
    # The CLI's norms file, read by path, on the Python scores.
    py = merit.norms_apply(merit.score(model, "sales_enablement", pool), tmp_path / "norms.json", model)
    both = cli[["percentile"]].join(py["percentile"].rename("percentile_py"))
    np.testing.assert_allclose(both["percentile"], both["percentile_py"], rtol=0, atol=5e-7)
    assert both["percentile"].isna().equals(both["percentile_py"].isna())
