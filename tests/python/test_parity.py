"""The Python result equals the CLI's, byte for byte, on the same input bytes.

Needs the CLI: set MERIT_CLI to the built `merit` executable
(cmake --build build; MERIT_CLI=build/merit pytest tests/python).
"""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, POOL_PATH, PROFILES, random_scores

CLI = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit executable) is not set")


def cli_csv(profile: str, candidates: os.PathLike[str] | str, explain: bool) -> str:
    assert CLI
    cmd = [CLI, "score", "--model", str(MODEL_PATH), "--profile", profile, "--candidates", str(candidates),
           "--csv", "--no-band", "--out", "-"]
    if explain:
        cmd.append("--explain")
    return subprocess.run(cmd, check=True, capture_output=True).stdout.decode("utf-8")


def read_pool(path: os.PathLike[str] | str) -> pd.DataFrame:
    return pd.read_csv(path, index_col="candidate_id", dtype={"candidate_id": str}, keep_default_na=False,
                       na_values=[""])


@pytest.mark.parametrize("explain", [False, True])
@pytest.mark.parametrize("profile", PROFILES)
def test_example_pool(model: merit.Model, profile: str, explain: bool) -> None:
    result = merit.score(model, profile, read_pool(POOL_PATH), explain=explain)
    assert merit.to_csv(result, model) == cli_csv(profile, POOL_PATH, explain)


def test_random_pool_with_missing_cells_and_ties(model: merit.Model, tmp_path: os.PathLike[str]) -> None:
    x = random_scores(model, 3000, seed=17, missing=0.15)
    x[:40] = x[40:80]  # equal fits: ties broken by id
    x[80:90] = np.nan  # no fit
    ids = [f"cand-{i:05d}" if i % 7 else f"Z{i}" for i in range(len(x))]
    frame = pd.DataFrame(x, index=pd.Index(ids, name="candidate_id"), columns=model.competency_ids)
    path = os.path.join(tmp_path, "pool.csv")
    frame.to_csv(path)
    for profile in PROFILES:
        result = merit.score(model, profile, read_pool(path), explain=True)
        assert merit.to_csv(result, model, profile) == cli_csv(profile, path, True)


@pytest.mark.parametrize("profile", PROFILES)
def test_rows_in_any_order_print_the_cli_bytes(model: merit.Model, profile: str) -> None:
    # A result is in input order; to_csv prints it in rank order, whatever
    # order its rows are in, and a shortlist prints what `--top K` prints.
    result = merit.score(model, profile, read_pool(POOL_PATH), explain=True)
    shuffled = result.sample(frac=1.0, random_state=1)
    assert merit.to_csv(shuffled, model) == cli_csv(profile, POOL_PATH, True)
    assert merit.to_csv(shuffled.reset_index(), model) == cli_csv(profile, POOL_PATH, True)
    assert CLI
    top = subprocess.run([CLI, "score", "--model", str(MODEL_PATH), "--profile", profile, "--candidates",
                          str(POOL_PATH), "--csv", "--no-band", "--top", "5", "--out", "-"],
                         check=True, capture_output=True).stdout.decode("utf-8")
    assert merit.to_csv(merit.shortlist(result.drop(columns=[c for c in result.columns
                                                             if c.startswith(("contrib_", "gap_"))]), 5), model) == top
