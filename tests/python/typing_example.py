"""A small script using merit's API; mypy --strict must accept it (test_typing.py)."""

from __future__ import annotations

import pathlib

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
    top: pd.DataFrame = merit.shortlist(qualified, k)
    return [str(c) for c in top.index]


def score_array(model: merit.Model, x: npt.NDArray[np.float64]) -> str:
    result = merit.score(model, model.profiles[0].id, x, ids=[f"c{i}" for i in range(x.shape[0])])
    order: npt.NDArray[np.int64] = merit.rank_order(list(result.index), result["fit"].to_numpy())
    assert order.shape == (x.shape[0],)
    return merit.to_csv(result, model)


def from_evidence(model: merit.Model, evidence: pd.DataFrame) -> pd.DataFrame:
    aggregated: merit.CompetencyScores = merit.aggregate(model, evidence, calibration="leniency")
    uncertain: pd.DataFrame = aggregated.se
    assert uncertain.shape == aggregated.scores.shape
    lenient: list[str] = [str(r) for r in aggregated.raters.index[aggregated.raters["leniency"] > 0.5]]
    assert aggregated.duplicates >= 0 and len(lenient) <= len(aggregated.raters)
    return merit.score(model, model.profiles[0], aggregated.scores)


def analyse(ratings: npt.NDArray[np.float64], results: pd.DataFrame, groups: pd.DataFrame) -> float:
    icc2: float = merit.icc(ratings)["icc2"]["value"]
    alpha: float = merit.cronbach_alpha(ratings, missing="listwise")["alpha"]
    table: pd.DataFrame = merit.audit(results, groups, by=["sex"], top=5)
    width: float = merit.band_width(float(results["fit"].std()), alpha)
    bands: npt.NDArray[np.int32] = merit.fixed_bands(results["fit"].to_numpy(), width)
    assert bands.shape == (len(results),) and len(table) >= 0
    return icc2


def from_path(model_path: str, pool: pd.DataFrame) -> pd.DataFrame:
    result: pd.DataFrame = merit.score(model_path, "sales_enablement", pool)
    roles: pd.DataFrame = merit.roles(pathlib.Path(model_path), pool)
    assert list(roles.index) == list(result.index)
    csv: str = merit.to_csv(merit.shortlist(result, 3), model_path)
    assert csv.startswith("rank,")
    return result


def features(model_path: str, pool: pd.DataFrame) -> npt.NDArray[np.float64]:
    from merit.sklearn import FitTransformer

    transformer = FitTransformer(model_path, "sales_enablement", explain=True)
    out: npt.NDArray[np.float64] = transformer.fit(pool).transform(pool)
    names: npt.NDArray[np.object_] = transformer.get_feature_names_out()
    assert out.shape == (len(pool), len(names))
    return out


def describe(error: merit.MeritError) -> tuple[str, str, str]:
    return error.code, error.location, error.detail


if __name__ == "__main__":
    try:
        merit.load_model("missing.json")
    except merit.ModelError as e:
        print(describe(e))
