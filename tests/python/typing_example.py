"""A small script using merit's API; mypy --strict must accept it (test_typing.py)."""

from __future__ import annotations

from typing import Any, Optional
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
    order: npt.NDArray[np.int64] = merit.rank_order(list(result.index), result["fit"].to_numpy(), result["status"])
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
    forms: pd.DataFrame = merit.icc(ratings, wide=True, confidence=0.9)
    icc2 = float(forms.loc[forms["type"] == "ICC2", "icc"].iloc[0])
    alphas: pd.DataFrame = merit.cronbach_alpha(ratings, missing="listwise", confidence=0.95)
    alpha = float(alphas["alpha"].iloc[0])
    table: pd.DataFrame = merit.audit(results, groups, by=["sex"], top=5)
    audit: merit.AuditResult = merit.audit(results, groups, by=["sex", "race"], threshold=60.0)
    by_group: pd.DataFrame = audit.by_group
    overall: pd.Series[Any] = audit.overall
    rate: float = float(overall["selection_rate"])
    assert list(by_group.columns) == list(merit.AUDIT_COLUMNS) and 0 <= rate <= 1
    assert audit.to_frame().shape == by_group.shape and audit._repr_html_().startswith("<div")
    width: float = merit.band_width(float(results["fit"].std()), alpha)
    sem: float = merit.sem(10.0, alpha)
    sed: float = merit.sed(10.0, alpha)
    assert sem <= sed
    bands: npt.NDArray[np.int32] = merit.fixed_bands(results["fit"].to_numpy(), width)
    assert bands.shape == (len(results),) and len(table) >= 0
    return icc2


def notebook(model: merit.Model, evidence: pd.DataFrame) -> str:
    competencies: pd.DataFrame = model.to_frame(lang="zh-CN")
    targets: pd.DataFrame = model.profiles[0].to_frame()
    assert len(targets) <= len(competencies)
    scores = merit.aggregate(model, evidence)
    return model._repr_html_() + model.profiles[0]._repr_html_() + scores._repr_html_() + repr(scores)


def the_rest(model_path: str, model_text: str, pool: pd.DataFrame, judgments: str) -> list[str]:
    model = merit.parse_model(model_text, source=model_path)
    plan: merit.ScoringPlan = merit.compile(model, model.profiles[0])
    assert plan.levels == model.levels and plan.fit_model in ("attainment", "match")
    roles: pd.DataFrame = merit.roles(model, pool)
    summary: dict[str, Any] = merit.score_file(model, "pool.csv", "ranked.csv", profile=plan.profile_id, top=10)
    greenhouse: merit.CompetencyScores = merit.read_greenhouse(model, "scorecards.json")
    priorities: pd.Series[float] = merit.ahp_priorities(np.array([[1.0, 3.0], [1 / 3, 1.0]]))
    weights: pd.Series[float] = merit.ahp_weights(judgments, method="geometric")
    statuses: tuple[str, str, str] = merit.STATUSES
    columns: tuple[str, ...] = merit.EVIDENCE_COLUMNS
    assert len(priorities) and len(weights) and len(summary) and len(columns) == 5 and greenhouse.observations >= 0
    return [str(r) for r in roles["best_profile"]] + list(statuses) + [merit.__version__]


def reliability_long(ratings: pd.DataFrame) -> pd.DataFrame:
    """pingouin's long layout: one row per (target, rater) rating."""
    return merit.icc(ratings, targets="candidate", raters="interviewer", ratings="score", lang="zh-CN")


def weights(judgments_path: str, matrix: pd.DataFrame) -> dict[str, float]:
    try:
        local: pd.Series[float] = merit.ahp_priorities(matrix, method="geometric", ri_table="saaty2005")
    except merit.JudgmentError as e:
        raise SystemExit(describe(e)) from e
    cr: Optional[float] = local.attrs["cr"]
    group: pd.Series[float] = merit.ahp_weights(judgments_path, aggregate="aip")
    assert cr is None or cr >= 0
    return {str(k): float(v) for k, v in group.items()}


def from_path(model_path: str, pool: pd.DataFrame) -> pd.DataFrame:
    result: pd.DataFrame = merit.score(model_path, "sales_enablement", pool)
    roles: pd.DataFrame = merit.roles(pathlib.Path(model_path), pool)
    assert list(roles.index) == list(result.index)
    csv: str = merit.to_csv(merit.shortlist(result, 3), model_path)
    assert csv.startswith("rank,")
    return result


def title(model_path: str) -> Optional[str]:
    answer: dict[str, Any] = merit.match_title(model_path, "Sales Enablement Manager, Shanghai")
    profile: Optional[str] = answer["profile"]
    return profile


def features(model_path: str, pool: pd.DataFrame) -> npt.NDArray[np.float64]:
    from merit.sklearn import FitTransformer

    transformer = FitTransformer(model_path, "sales_enablement", explain=True)
    out: npt.NDArray[np.float64] = transformer.fit(pool).transform(pool)
    names: npt.NDArray[np.object_] = transformer.get_feature_names_out()
    assert out.shape == (len(pool), len(names))
    return out


def percentiles(model: merit.Model, past: pd.DataFrame, new: pd.DataFrame) -> "pd.Series[float]":
    norms: dict[str, Any] = merit.norms_build(past, model, "sales_enablement", column="fit", by=None)
    assert norms["model"]["scoring_hash"] == model.profile("sales_enablement").scoring_hash
    out: pd.DataFrame = merit.norms_apply(new, norms, model, column="fit")
    pct: "pd.Series[float]" = out["percentile"]
    return pct


def reports(model: merit.Model, pool_path: str) -> tuple[str, str]:
    one: merit.Report = merit.report_candidate(model, pool_path, "C001", "sales_enablement", lang="zh-CN")
    many: merit.Report = merit.report_pool(model, pool_path, "sales_enablement", top=10)
    return one._repr_html_(), str(many)


def describe(error: merit.MeritError) -> tuple[str, str, str]:
    if isinstance(error, merit.InputError):
        return error.code, error.location, "input: " + error.detail
    return error.code, error.location, error.detail


if __name__ == "__main__":
    try:
        merit.load_model("missing.json")
    except merit.ModelError as e:
        print(describe(e))


def after_the_hire(hires: pd.DataFrame, ratings: pd.DataFrame, pool: pd.DataFrame, groups: pd.DataFrame) -> float:
    result: merit.ValidityResult = merit.validity(hires, "performance", criterion_reliability=0.52, applicant_sd=20.0)
    stats: pd.Series[Any] = result.statistics
    assert list(stats.index) in (list(merit.VALIDITY_CONTINUOUS_KEYS), list(merit.VALIDITY_BINARY_KEYS))
    table: Optional[pd.DataFrame] = result.expectancy
    worth: pd.Series[Any] = merit.utility(float(stats["r"]), 0.2, 0.5, sd_performance=40000.0, hires=10,
                                          cost_per_applicant=300.0)
    criterion: merit.Criterion360Result = merit.criterion_360(
        ratings, {"salespeople": 0.5, "manager": 0.3, "peer": 0.2}, group_reliability={"manager": 0.52},
        missing_group="renormalise")
    assert list(criterion.groups.columns) == list(merit.CRITERION_GROUP_COLUMNS)
    composite: pd.DataFrame = criterion.scores
    cuts: merit.CutResult = merit.cut(pool, outcomes=hires, criterion="left_within_year", success_value=0,
                                      target_success=0.8, selection_ratio=0.3, groups=groups, by="sex")
    assert list(cuts.cuts.columns) == list(merit.CUT_COLUMNS) and table is None or table is not None
    impact: Optional[pd.DataFrame] = cuts.impact
    return float(worth["success_ratio"]) + len(composite) + (0 if impact is None else len(impact))
