"""A small script using merit's API; mypy --strict must accept it (test_typing.py)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

import merit


def shortlist(model_path: str, profile_id: str, pool: pd.DataFrame, k: int) -> list[str]:
    model: merit.Model = merit.load_model(model_path)
    profile: merit.Profile = model.profile(profile_id)
    weights: npt.NDArray[np.float64] = profile.weights
    assert weights.shape == (len(profile.competency_ids),)
    result: pd.DataFrame = merit.score(model, profile, pool, explain=True)
    qualified = result[result["status"] == "qualified"]
    return [str(c) for c in qualified["candidate_id"].head(k)]


def score_array(model: merit.Model, x: npt.NDArray[np.float64]) -> str:
    result = merit.score(model, model.profiles[0].id, x, ids=[f"c{i}" for i in range(x.shape[0])])
    order: npt.NDArray[np.int64] = merit.rank_order(list(result["candidate_id"]), result["fit"].to_numpy())
    assert order.shape == (x.shape[0],)
    return merit.to_csv(result, model)


def describe(error: merit.MeritError) -> tuple[str, str, str]:
    return error.code, error.location, error.detail


if __name__ == "__main__":
    try:
        merit.load_model("missing.json")
    except merit.ModelError as e:
        print(describe(e))
