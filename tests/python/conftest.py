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
PROFILES = ("sales_enablement", "sales_operations", "head_of_sales_enablement", "vp_sales_enablement_and_operations")


@pytest.fixture(scope="session")
def model() -> merit.Model:
    return merit.load_model(MODEL_PATH)


@pytest.fixture(scope="session")
def pool() -> pd.DataFrame:
    """The 31-candidate example pool, indexed by candidate id."""
    return pd.read_csv(POOL_PATH, index_col="candidate_id", dtype={"candidate_id": str})


def random_scores(model: merit.Model, n: int, seed: int = 7, missing: float = 0.05) -> np.ndarray:
    """n candidates on the model scale (half-levels), a share of cells missing."""
    rng = np.random.default_rng(seed)
    x = rng.integers(2, 2 * model.levels + 1, size=(n, len(model.competency_ids))) / 2.0
    x[rng.random(x.shape) < missing] = np.nan
    return x


def synthetic_model_json(n_competencies: int, levels: int = 5) -> str:
    """A valid model with n competencies and one attainment profile 'role' over all of them."""
    import json

    ids = [f"c{k:03d}" for k in range(n_competencies)]
    anchors = [{"level": lv, "en": f"level {lv}"} for lv in range(1, levels + 1)]
    doc = {
        "format": "merit.competency-model/1",
        "id": "synthetic",
        "version": "1",
        "name": {"en": "Synthetic"},
        "scale": {"levels": levels},
        "clusters": [{"id": "all", "name": {"en": "All"}}],
        "competencies": [
            {"id": c, "cluster": "all", "name": {"en": f"Competency {c}"}, "definition": {"en": "d"},
             "ownership": "primary", "source": {"quote": "q"}, "levels": anchors}
            for c in ids
        ],
        "methods": [{"id": "interview", "name": {"en": "Interview"}, "scale": {"type": "numeric", "min": 1, "max": levels}}],
        "evidence_matrix": {"interview": {c: 1 for c in ids}},
        "profiles": [{
            "id": "role", "name": {"en": "Role"}, "min_coverage": 0.5,
            "targets": {c: {"target": 2 + k % (levels - 1), "weight": 1 + k % 3,
                            **({"minimum": 2} if k % 4 == 0 else {})} for k, c in enumerate(ids)},
        }],
    }
    return json.dumps(doc)
