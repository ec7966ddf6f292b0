"""What happened after the hire, on DataFrames: ``merit.validity``,
``merit.utility``, ``merit.criterion_360`` and ``merit.cut``.

The numbers come from merit's C++ core (``merit/validity.hpp``,
``merit/utility.hpp``, ``merit/criterion.hpp``, ``merit/cut.hpp``), the same
functions as ``merit validity``, ``merit utility``, ``merit criterion 360`` and
``merit cut``; adverse impact is ``merit.audit``. docs/validity.md,
docs/criterion.md and docs/cut.md give the formulas.
"""

from __future__ import annotations

import math as _math
import typing as _typing
from dataclasses import dataclass as _dataclass

import numpy as _np
import pandas as _pd

from . import _core, _errors
from ._audit import audit as _audit

if _typing.TYPE_CHECKING:
    from typing import Any, Literal, Mapping, Optional, Sequence, Union

_error = _errors.input_error

#: The statistics of ``merit.validity`` for a continuous criterion, in order (``merit validity --json``).
VALIDITY_CONTINUOUS_KEYS: tuple[str, ...] = (
    "n", "r", "r_lower", "r_upper", "p", "spearman", "r_corrected_criterion", "r_corrected_range", "r_operational")
#: The statistics of ``merit.validity`` for a 0/1 criterion, in order (the expectancy table apart).
VALIDITY_BINARY_KEYS: tuple[str, ...] = ("n", "point_biserial", "odds_ratio_per_10", "auc")


def _column(frame: _pd.DataFrame, name: str, what: str) -> "_pd.Series[Any]":
    if name not in frame.columns:
        raise _error("not_found", what, f"no column {name!r} in the frame (columns: {', '.join(map(str, frame.columns))})")
    column = frame[name]
    if not _pd.api.types.is_numeric_dtype(column) or _pd.api.types.is_bool_dtype(column):
        raise _error("parse", f"column {name!r}", f"{what} must be numbers, got dtype {column.dtype}")
    return column.astype(_np.float64)


def _optional(value: Optional[float]) -> float:
    return _math.nan if value is None else float(value)


@_dataclass(frozen=True)
class ValidityResult:
    """The result of ``merit.validity``.

    Attributes
    ----------
    kind:
        ``"continuous"`` or ``"binary"`` (every criterion value 0 or 1).
    statistics:
        A Series with ``VALIDITY_CONTINUOUS_KEYS`` (a correction is NaN when
        its input was not given) or ``VALIDITY_BINARY_KEYS``.
    expectancy:
        For a binary criterion, the expectancy table: one row per predictor
        quintile with ``band, score_min, score_max, n, successes, rate, lower,
        upper`` (Wilson 95% interval); None for a continuous criterion.
    dropped:
        Rows left out for a missing predictor or criterion.
    """

    kind: str
    statistics: "_pd.Series[Any]"
    expectancy: Optional[_pd.DataFrame]
    dropped: int


def validity(
    data: _pd.DataFrame,
    criterion: str,
    predictor: str = "fit",
    *,
    criterion_reliability: Optional[float] = None,
    applicant_sd: Optional[float] = None,
    applicants: Optional["Union[_pd.Series[Any], Sequence[float]]"] = None,
) -> ValidityResult:
    """Criterion-related validity of a score, as ``merit validity`` computes it.

    ``data`` has one row per hire with the ``predictor`` column (default
    ``fit``, or any competency) and the ``criterion`` column; join your scores
    and outcomes first (``scores.join(outcomes)``). Rows with a missing
    predictor or criterion are left out (``dropped`` counts them).

    A continuous criterion gives Pearson r with its Fisher-z interval and p,
    Spearman's rho, and with ``criterion_reliability`` (the criterion's
    reliability among the hires) and ``applicant_sd`` (or ``applicants``, the
    applicant pool's scores) the corrections for criterion unreliability and
    direct range restriction (Thorndike Case II) and the operational validity
    (Hunter & Schmidt's order). A 0/1 criterion gives the point-biserial r,
    the odds ratio per 10 predictor points, the AUC and the expectancy table.

    Raises MeritError (code 'invalid_argument') for fewer than 30 cases, a
    predictor or criterion that does not vary, or corrections that do not
    apply; InputError for a missing or non-numeric column.

    >>> data = scores.join(outcomes.set_index("candidate_id"), how="inner")  # doctest: +SKIP
    >>> merit.validity(data, "performance", criterion_reliability=0.52, applicant_sd=20).statistics["r_operational"]  # doctest: +SKIP
    """
    x = _column(data, predictor, "the predictor")
    y = _column(data, criterion, "the criterion")
    if applicant_sd is not None and applicants is not None:
        raise _error("invalid_argument", "applicants", "give applicants or applicant_sd, not both")
    keep = x.notna() & y.notna()
    xs, ys = x[keep].tolist(), y[keep].tolist()
    sd = applicant_sd
    if applicants is not None:
        pool = _pd.Series(applicants, dtype=_np.float64).dropna().tolist()
        sd = float(_core.applicant_sd(pool))
    if _core.is_binary(ys):
        raw = _core.validity_binary(xs, ys)
        expectancy = _pd.DataFrame(raw.pop("expectancy"),
                                   columns=["band", "score_min", "score_max", "n", "successes", "rate", "lower", "upper"])
        stats = _pd.Series({k: raw[k] for k in VALIDITY_BINARY_KEYS}, dtype=object)
        return ValidityResult("binary", stats, expectancy, int((~keep).sum()))
    raw = _core.validity_continuous(xs, ys, _optional(criterion_reliability), _optional(sd))
    stats = _pd.Series({k: (_math.nan if raw[k] is None else raw[k]) for k in VALIDITY_CONTINUOUS_KEYS}, dtype=object)
    return ValidityResult("continuous", stats, None, int((~keep).sum()))


def utility(
    validity: float,
    selection_ratio: float,
    base_rate: float,
    *,
    sd_performance: Optional[float] = None,
    hires: Optional[float] = None,
    cost_per_applicant: Optional[float] = None,
) -> "_pd.Series[Any]":
    """Taylor-Russell success ratio and Brogden-Cronbach-Gleser utility, as ``merit utility``.

    Returns a Series ``success_ratio`` (the share of those selected who
    succeed, from the bivariate normal), ``mean_z_selected`` (phi(z)/SR) and
    ``utility`` (N r SD_y phi(z)/SR - C N/SR; NaN unless ``sd_performance``,
    ``hires`` and ``cost_per_applicant`` are all given).

    Raises MeritError (code 'invalid_argument') for a validity outside
    (-1, 1), a ratio or base rate outside (0, 1), or only some of the three
    money arguments (InputError).

    >>> merit.utility(0.35, 0.2, 0.5)["success_ratio"]  # doctest: +SKIP
    0.6965...
    """
    money = [sd_performance, hires, cost_per_applicant]
    if any(v is not None for v in money) and not all(v is not None for v in money):
        raise _error("invalid_argument", "sd_performance",
                     "sd_performance, hires and cost_per_applicant go together (the utility needs all three)")
    raw = _core.utility(float(validity), float(selection_ratio), float(base_rate), _optional(sd_performance),
                        _optional(hires), _optional(cost_per_applicant))
    return _pd.Series({"success_ratio": raw["success_ratio"], "mean_z_selected": raw["mean_z_selected"],
                       "utility": _math.nan if raw["utility"] is None else raw["utility"]}, dtype=_np.float64)


#: The columns of ``Criterion360Result.groups``, in order.
CRITERION_GROUP_COLUMNS: tuple[str, ...] = (
    "weight", "persons", "ratings", "raters_min", "raters_max", "balanced", "k", "icc1", "icc1_lower", "icc1_upper",
    "icc1k", "icc1k_lower", "icc1k_upper", "f", "df1", "df2", "p", "reliability", "reliability_source", "note")


@_dataclass(frozen=True)
class Criterion360Result:
    """The result of ``merit.criterion_360``.

    Attributes
    ----------
    scores:
        One row per person, indexed by ``candidate_id``: ``composite``, then
        ``<group>_mean`` and ``<group>_raters`` per group (in the weights'
        order), then ``missing_groups`` ("" when complete): the same table as
        ``merit criterion 360`` writes.
    groups:
        One row per rater group, indexed by group, with
        ``CRITERION_GROUP_COLUMNS``: the one-way ICC(1) and ICC(1,k) with
        their intervals (NaN when not estimable, ``note`` says why), and the
        ``reliability`` used for the composite with its source ("icc1k" or
        "given").
    composite:
        A Series ``n`` (persons rated by every group), ``variance`` and
        ``reliability`` (Mosier 1943; NaN with a ``note`` when it cannot be
        computed), ``dropped``, ``incomplete``.
    """

    scores: _pd.DataFrame
    groups: _pd.DataFrame
    composite: "_pd.Series[Any]"


def criterion_360(
    ratings: _pd.DataFrame,
    weights: Mapping[str, float],
    *,
    person: str = "candidate_id",
    group: str = "rater_group",
    rater: str = "rater_id",
    rating: str = "rating",
    missing_group: Literal["refuse", "renormalise", "drop"] = "refuse",
    group_reliability: Optional[Mapping[str, float]] = None,
    exclude: Sequence[str] = (),
) -> Criterion360Result:
    """A criterion from 360-degree ratings weighted by rater group, as ``merit criterion 360``.

    ``ratings`` is long: one row per rating with the columns ``person`` (the
    person rated), ``group`` (the rater group), ``rater`` and ``rating``.
    Rows with a NaN rating are left out; rows of the ``exclude`` groups too.
    ``weights`` maps every rater group to a weight > 0; they must sum to 1.
    A person's group mean is the mean of its raters' ratings, and the
    composite is sum w_group mean_group. ``missing_group`` says what to do
    with a person a weighted group did not rate: refuse (MeritError naming
    them), renormalise (the weights of the groups present rescaled to sum to
    1, ``missing_groups`` names the rest) or drop. ``group_reliability``
    gives a reliability for a group whose agreement cannot be estimated (one
    rater per person), used for the composite's.

    Raises MeritError (code 'invalid_argument') with the CLI's messages
    (weights not summing to 1, a group without a weight, a rater rating one
    person twice, ...), InputError for a missing column.

    >>> w = {"salespeople": 0.5, "manager": 0.3, "peer": 0.2}
    >>> result = merit.criterion_360(ratings, w, group_reliability={"manager": 0.52})  # doctest: +SKIP
    >>> result.composite["reliability"], result.groups.loc["peer", "icc1k"]  # doctest: +SKIP
    """
    if missing_group not in ("refuse", "renormalise", "drop"):
        raise _error("invalid_argument", "missing_group",
                     f"missing_group takes 'refuse', 'renormalise' or 'drop', got {missing_group!r}")
    for name in (person, group, rater, rating):
        if name not in ratings.columns:
            raise _error("not_found", name, f"no column {name!r} in the ratings")
    frame = ratings[~ratings[group].astype(str).isin([str(g) for g in exclude])]
    values = _pd.to_numeric(frame[rating], errors="coerce")
    bad = values.isna() & frame[rating].notna()
    if bad.any():
        raise _error("parse", f"column {rating!r}", f"rating {frame[rating][bad].iloc[0]!r} is not a number")
    frame = frame[values.notna()]
    values = values[values.notna()]
    raw = _core.criterion_360(frame[person].astype(str).tolist(), frame[group].astype(str).tolist(),
                              frame[rater].astype(str).tolist(), values.astype(_np.float64).tolist(),
                              [(str(g), float(w)) for g, w in weights.items()], missing_group,
                              [(str(g), float(r)) for g, r in (group_reliability or {}).items()])
    groups: list[str] = raw["groups"]
    columns: dict[str, Any] = {"composite": raw["composite"]}
    for j, g in enumerate(groups):
        columns[f"{g}_mean"] = _np.asarray(raw["means"][j], dtype=_np.float64)
        columns[f"{g}_raters"] = _np.asarray(raw["counts"][j], dtype=_np.int64)
    columns["missing_groups"] = [";".join(g for j, g in enumerate(groups) if raw["counts"][j][i] == 0)
                                 for i in range(len(raw["person"]))]
    scores = _pd.DataFrame(columns, index=_pd.Index(raw["person"], name="candidate_id"))
    rows = []
    for g in raw["reliability"]:
        rows.append({"weight": g["weight"], "persons": g["persons"], "ratings": g["ratings"],
                     "raters_min": g["raters_min"], "raters_max": g["raters_max"], "balanced": g["balanced"],
                     "k": g["k"], "icc1": g["icc1"]["value"], "icc1_lower": g["icc1"]["lower"],
                     "icc1_upper": g["icc1"]["upper"], "icc1k": g["icc1k"]["value"],
                     "icc1k_lower": g["icc1k"]["lower"], "icc1k_upper": g["icc1k"]["upper"], "f": g["f"],
                     "df1": g["df1"], "df2": g["df2"], "p": g["p"], "reliability": g["reliability"],
                     "reliability_source": g["reliability_source"], "note": g["note"]})
    table = _pd.DataFrame(rows, columns=list(CRITERION_GROUP_COLUMNS), index=_pd.Index(groups, name="group"))
    numeric = [c for c in CRITERION_GROUP_COLUMNS if c not in ("balanced", "reliability_source", "note",
                                                                "persons", "ratings", "raters_min", "raters_max")]
    table[numeric] = table[numeric].astype(_np.float64)
    c = raw["composite_reliability"]
    composite = _pd.Series({"n": c["n"], "variance": _math.nan if c["variance"] is None else c["variance"],
                            "reliability": _math.nan if c["reliability"] is None else c["reliability"],
                            "note": c["note"], "dropped": raw["dropped"], "incomplete": raw["incomplete"]},
                           dtype=object)
    return Criterion360Result(scores, table, composite)


#: The columns of ``CutResult.cuts``, in order.
CUT_COLUMNS: tuple[str, ...] = ("cut", "selected", "applicants", "selection_rate")


@_dataclass(frozen=True)
class CutResult:
    """The result of ``merit.cut``.

    Attributes
    ----------
    cuts:
        One row per cut, indexed by rule (``expectancy``, ``ratio``,
        ``value``), with ``CUT_COLUMNS``: the cut and what it selects in the
        pool.
    expectancy:
        The expectancy cut's Series (``target_success, sample_n,
        sample_successes, found, cut, n, successes, success_rate, lower,
        upper``), or None without outcomes.
    ratio:
        The ratio cut's Series (``selection_ratio, applicants, eligible,
        target_count, reached, cut``), or None without a ratio.
    impact:
        Every cut's adverse-impact table (``merit.audit``'s columns with a
        ``rule`` column first), or None without groups.
    selected:
        One boolean column per cut, indexed like ``scores``: who it selects.
    """

    cuts: _pd.DataFrame
    expectancy: "Optional[_pd.Series[Any]]"
    ratio: "Optional[_pd.Series[Any]]"
    impact: Optional[_pd.DataFrame]
    selected: _pd.DataFrame


def cut(
    scores: _pd.DataFrame,
    *,
    predictor: str = "fit",
    outcomes: Optional[_pd.DataFrame] = None,
    criterion: Optional[str] = None,
    target_success: Optional[float] = None,
    success_value: Literal[0, 1] = 1,
    selection_ratio: Optional[float] = None,
    value: Optional[float] = None,
    groups: Optional[_pd.DataFrame] = None,
    by: Union[str, Sequence[str], None] = None,
) -> CutResult:
    """Cut scores side by side with their consequences, as ``merit cut``.

    ``scores`` is the applicant pool, one row per applicant, indexed by
    candidate id (a ``merit.score`` result) or with a ``candidate_id``
    column, holding ``predictor`` and optionally ``status`` (then only
    ``qualified`` applicants pass). ``outcomes`` (indexed by, or with a
    column, candidate id) holds the hires' 0/1 ``criterion`` and their
    ``predictor`` (else it is joined from ``scores``); ``success_value`` is
    the criterion value that means success.

    - expectancy cut: the lowest score c among the hires' scores such that
      the hires scoring >= c succeed at ``target_success`` or more;
    - ratio cut: the highest score c at which at least ``selection_ratio`` of
      the pool passes (ties at c pass);
    - ``value``: a cut of your own beside them.

    With ``groups`` and ``by`` (candidate id and demographic columns), each
    cut's adverse impact from ``merit.audit``; the groups are joined only
    after the cuts are computed and never move them.

    >>> r = merit.cut(scores, outcomes=outcomes, criterion="left_within_year", success_value=0,
    ...               target_success=0.8, selection_ratio=0.3, groups=groups, by="sex")  # doctest: +SKIP
    >>> r.cuts.loc["ratio", "cut"], r.impact.query("rule == 'ratio'")["impact_ratio"]  # doctest: +SKIP
    """
    pool = _by_id(scores, "scores")
    x = _column(pool, predictor, "the predictor")
    eligible: list[bool] = (pool["status"].astype(str) == "qualified").tolist() if "status" in pool.columns else []
    score = x.tolist()
    expectancy: Optional[_pd.Series[Any]] = None
    ratio: Optional[_pd.Series[Any]] = None
    rules: dict[str, float] = {}
    if outcomes is not None:
        if criterion is None or target_success is None:
            raise _error("invalid_argument", "outcomes", "outcomes need criterion and target_success")
        hires = _by_id(outcomes, "outcomes")
        y = _column(hires, criterion, "the criterion")
        hx = _column(hires, predictor, "the predictor") if predictor in hires.columns else x.reindex(hires.index)
        keep = hx.notna() & y.notna()
        bad = ~y[keep].isin([0.0, 1.0])
        if bad.any():
            raise _error("value", f"column {criterion!r}",
                         f"the criterion must be 0 or 1 for an expectancy cut, got {y[keep][bad].iloc[0]!r}")
        success = (y[keep] == float(success_value)).astype(_np.float64).tolist()
        raw = _core.expectancy_cut(hx[keep].tolist(), success, float(target_success))
        expectancy = _pd.Series({k: (_math.nan if v is None else v) for k, v in raw.items()}, dtype=object)
        if raw["found"]:
            rules["expectancy"] = float(raw["cut"])
    if selection_ratio is not None:
        raw = _core.ratio_cut(score, eligible, float(selection_ratio))
        ratio = _pd.Series(raw, dtype=object)
        rules["ratio"] = float(raw["cut"])
    if value is not None:
        rules["value"] = float(value)
    if not rules and expectancy is None:
        raise _error("invalid_argument", "selection_ratio",
                     "nothing to compute: give outcomes (expectancy cut), selection_ratio or value")
    selected = _pd.DataFrame({rule: _np.asarray(_core.select_at_cut(score, eligible, c), dtype=bool)
                              for rule, c in rules.items()}, index=pool.index)
    n = len(pool)
    cuts = _pd.DataFrame([{"cut": c, "selected": int(selected[rule].sum()), "applicants": n,
                           "selection_rate": float(selected[rule].sum()) / n if n else _math.nan}
                          for rule, c in rules.items()], columns=list(CUT_COLUMNS),
                         index=_pd.Index(list(rules), name="rule"))
    impact: Optional[_pd.DataFrame] = None
    if (groups is None) != (by is None):
        raise _error("invalid_argument", "groups", "groups and by go together")
    if groups is not None and by is not None:
        results = _pd.DataFrame({"candidate_id": pool.index.astype(str), "fit": x.to_numpy()})
        tables = []
        labels = _by_id(groups, "groups")
        labels = labels.set_index(labels.index.astype(str)).rename_axis("candidate_id").reset_index()
        for rule in rules:
            results["selected"] = selected[rule].to_numpy()
            table = _pd.DataFrame(_audit(results, labels, by=by, selected="selected").by_group)
            table.insert(0, "rule", rule)
            tables.append(table)
        impact = _pd.concat(tables, ignore_index=True) if tables else None
    return CutResult(cuts, expectancy, ratio, impact, selected)


def _by_id(frame: _pd.DataFrame, what: str) -> _pd.DataFrame:
    """``frame`` indexed by candidate id: its ``candidate_id`` column, else its index."""
    if "candidate_id" in frame.columns:
        frame = frame.set_index("candidate_id")
    if frame.index.has_duplicates:
        raise _error("duplicate", what, f"candidate id {frame.index[frame.index.duplicated()][0]!r} appears twice")
    return frame
