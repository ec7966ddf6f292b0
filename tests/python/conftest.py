"""Shared fixtures of the Python suite: the shipped model and example pool."""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest

import merit

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL_PATH = ROOT / "competency_models" / "sales_enablement.json"
POOL_PATH = ROOT / "examples" / "pool.csv"
PROFILES = ("sales_enablement", "sales_operations", "head_of_sales_enablement")


@pytest.fixture(scope="session")
def model() -> merit.Model:
    return merit.load_model(MODEL_PATH)


@pytest.fixture(scope="session")
def pool() -> pd.DataFrame:
    """The 30-candidate example pool, indexed by candidate id."""
    return pd.read_csv(POOL_PATH, index_col="candidate_id", dtype={"candidate_id": str})


def random_scores(model: merit.Model, n: int, seed: int = 7, missing: float = 0.05) -> np.ndarray:
    """n candidates on the model scale (half-levels), a share of cells missing."""
    rng = np.random.default_rng(seed)
    x = rng.integers(2, 2 * model.levels + 1, size=(n, len(model.competency_ids))) / 2.0
    x[rng.random(x.shape) < missing] = np.nan
    return x
