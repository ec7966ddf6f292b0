"""merit: recruiting competency assessment, from job analysis to explainable fit.

The arithmetic lives in merit's C++ core (``merit._core``); this package
adds the Python idiom around it: numpy arrays and pandas DataFrames in,
DataFrames out (in input order, indexed by candidate id), exceptions that are
``ValueError`` s. ``merit.sklearn`` holds a scikit-learn transformer and
``merit.spark`` the PySpark helpers (each imported on its own).

>>> import merit
>>> model = merit.load_model("competency_models/sales_enablement.json")
>>> [p.id for p in model.profiles]
['sales_enablement', 'sales_operations', 'head_of_sales_enablement']
>>> result = merit.score(model, "sales_enablement", pool)   # pool: DataFrame  # doctest: +SKIP

Copies: a float64 array whose rows are contiguous (numpy's default C order)
is read in place, never copied. So are a DataFrame's float64 columns (each
column is handed to the core as it is; no matrix is built) and its ids when
they are pandas' Arrow-backed ``str`` dtype (read from the Arrow buffers).
Other arrays (another dtype, Fortran order, a list) are converted once into
such an array of #candidates x #model competencies, 8 bytes per cell; other
DataFrame columns (ints, nullable floats, objects) once each into float64.

Threads: scoring and ranking release the GIL, so several Python threads
score in parallel.
"""

from __future__ import annotations

# Only the API is public (``__all__``; ``dir(merit)`` shows nothing else):
# modules are imported under private names, and the names used only in type
# annotations (a string at run time) are imported for type checkers only.
import json as _json
import os as _os
import weakref as _weakref
from dataclasses import dataclass as _dataclass
from dataclasses import field as _field
import typing as _typing

import numpy as _np
import pandas as _pd

from . import _core, _notebook
from ._core import InputError, JudgmentError, MeritError, Model, ModelError, Profile, ScoringPlan
from ._ahp import ahp_priorities, ahp_weights
from ._audit import AUDIT_COLUMNS, AuditResult, audit
from ._norms import norms_apply, norms_build
from ._stats import cronbach_alpha, icc
from ._outcomes import (CRITERION_GROUP_COLUMNS, CUT_COLUMNS, VALIDITY_BINARY_KEYS, VALIDITY_CONTINUOUS_KEYS,
                        Criterion360Result, CutResult, ValidityResult, criterion_360, cut, utility, validity)
from . import _errors

_input_error = _errors.input_error  # also used by merit.spark

del annotations  # the __future__ feature's name: not API

if _typing.TYPE_CHECKING:
    from typing import Any, Hashable, Literal, Mapping, Optional, Sequence, TypeGuard, Union

    import os

    import numpy.typing as npt

__all__ = [
    "MeritError",
    "ModelError",
    "InputError",
    "JudgmentError",
    "Model",
    "Profile",
    "ScoringPlan",
    "STATUSES",
    "load_model",
    "parse_model",
    "compile",
    "score",
    "shortlist",
    "rank_order",
    "roles",
    "match_title",
    "to_csv",
    "CompetencyScores",
    "EVIDENCE_COLUMNS",
    "aggregate",
    "read_greenhouse",
    "icc",
    "cronbach_alpha",
    "norms_build",
    "norms_apply",
    "audit",
    "AuditResult",
    "AUDIT_COLUMNS",
    "validity",
    "ValidityResult",
    "VALIDITY_CONTINUOUS_KEYS",
    "VALIDITY_BINARY_KEYS",
    "utility",
    "criterion_360",
    "Criterion360Result",
    "CRITERION_GROUP_COLUMNS",
    "cut",
    "CutResult",
    "CUT_COLUMNS",
    "sem",
    "sed",
    "band_width",
    "ahp_priorities",
    "ahp_weights",
    "fixed_bands",
    "score_file",
    "Report",
    "report_candidate",
    "report_pool",
    "__version__",
]

#: The package version: the C++ core's (``merit --version``).
__version__: str = _core.__version__

#: The values of the ``status`` column, in the order of the C++ enum
#: (``merit::status``): a categorical's codes are the core's codes.
STATUSES: tuple[str, str, str] = ("qualified", "screened_out", "incomplete")

_STATUS_DTYPE = _pd.CategoricalDtype(list(STATUSES))

if _typing.TYPE_CHECKING:
    ScoresLike = Union[npt.ArrayLike, _pd.DataFrame]
    #: Candidate ids: any sequence (a list, a numpy array, a pandas Index or Series).
    IdsLike = Union[Sequence[Hashable], "_pd.Index[Any]", "_pd.Series[Any]", npt.NDArray[Any]]
    ProfileLike = Union[Profile, str]
    #: A loaded model, or the path of a model file (loaded on each call).
    ModelLike = Union[Model, str, "os.PathLike[str]"]


def load_model(path: Union[str, "_os.PathLike[str]"]) -> Model:
    """Load and validate a competency model file (JSON, format merit.competency-model/1).

    Raises ModelError (``code`` 'io', 'parse', 'schema', 'reference', ...,
    ``location`` '<path>#<JSON pointer>') for the first problem found.
    """
    return _core.load_model(_os.fspath(path))


def parse_model(text: str, source: str = "") -> Model:
    """Validate a competency model given as JSON text; ``source`` names it in errors."""
    return _core.parse_model_text(text, source)


def score_file(
    model: ModelLike,
    input: Union[str, "os.PathLike[str]"],
    output: Union[str, "os.PathLike[str]"],
    profile: Optional[ProfileLike] = None,
    threads: int = 0,
    top: Optional[int] = None,
    explain: bool = False,
    rejects: Optional[Union[str, "os.PathLike[str]"]] = None,
    *,
    evidence: bool = False,
    format: Optional[str] = None,
    calibrate: Optional[str] = None,
    duplicates: Optional[str] = None,
    output_format: Optional[Literal["csv", "jsonl"]] = None,
    reliability: Optional[float] = None,
    band_c: Optional[float] = None,
    no_band: bool = False,
    audit_log: Optional[Union[str, "os.PathLike[str]"]] = None,
    overwrite_log: bool = False,
    progress: Optional[Any] = None,
) -> dict[str, Any]:
    """Stream the pool file ``input``, score and rank it, and write the results to ``output``.

    The same bytes as ``merit score`` (docs/cli-score.md): CSV
    ``rank,candidate_id,fit,status,coverage[,band]`` (``explain`` adds
    ``contrib_<id>``/``gap_<id>``) or JSON Lines (``output_format``, default by
    the extension). The file is read block by block on ``threads`` threads (0:
    every core; the output is the same for any count), with the GIL released,
    so pools larger than memory work. ``input`` holds competency scores (wide
    CSV, or a JSON array for ``.json``), or evidence with ``evidence=True``
    (``format`` long, jsonl or greenhouse; default by extension; ``calibrate``,
    ``duplicates`` as in :func:`aggregate`). ``rejects``: a path where bad rows
    are written (CSV line,column,code,reason) while the run goes on; without it
    the first bad row raises InputError. ``reliability`` (default: the
    profile's) adds the band column. ``progress(rows, bytes, total_bytes)`` is
    called after each block; returning False stops the run (MeritError code
    'interrupted'). Every file appears only when the whole run succeeded.
    An output that is the same file as ``input`` or another output raises
    MeritError 'invalid_argument' before any work, and so does an existing
    ``audit_log`` unless ``overwrite_log`` is True (a decision log is never
    replaced silently).

    Returns the summary: ``rows_read``, ``scored``, ``rejected``,
    ``rejected_by_kind``, ``missing_values``, ``written``,
    ``qualified_in_top`` (with ``top``: how many rows written are qualified -
    the rows after them are not selected; None without ``top``),
    ``ungrouped``, ``profile``, ``output_format`` and ``bands`` (None, or
    ``sd``, ``width``, ``reliability``, ``c``, ``source``).
    """
    options: dict[str, Any] = {"threads": threads if threads > 0 else (_os.cpu_count() or 1)}
    if profile is not None:
        options["profile"] = _profile_id(profile)
    if top is not None:
        options["top"] = top
    if explain:
        options["explain"] = True
    if rejects is not None:
        options["rejects"] = _os.fspath(rejects)
    if evidence:
        options["evidence"] = True
    for key, value in (("format", format), ("calibrate", calibrate), ("duplicates", duplicates),
                       ("output_format", output_format), ("reliability", reliability), ("band_c", band_c)):
        if value is not None:
            options[key] = value
    if no_band:
        options["no_band"] = True
    if audit_log is not None:
        options["audit_log"] = _os.fspath(audit_log)
    if overwrite_log:
        options["overwrite_log"] = True
    summary: dict[str, Any] = _json.loads(
        _core.score_file(_model_arg(model), _os.fspath(input), _os.fspath(output), _json.dumps(options), progress))
    return summary


class Report(str):
    """A report of ``merit report`` (docs/reports.md): the HTML text itself (a ``str``).

    Write it to a file to open, print or mail it; in Jupyter the result shows
    the report with its charts (in an isolated frame, so its print styles do
    not touch the notebook's).
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        """The report in an iframe whose document is the report."""
        import html as _html

        return ('<iframe style="width: 100%%; height: 720px; border: 1px solid #ccc" sandbox="" srcdoc="%s"></iframe>'
                % _html.escape(str(self), quote=True))


def report_candidate(
    model: ModelLike,
    input: Union[str, "os.PathLike[str]"],
    candidate_id: str,
    profile: Optional[ProfileLike] = None,
    *,
    evidence: bool = False,
    format: Optional[str] = None,
    calibrate: Optional[str] = None,
    duplicates: Optional[str] = None,
    lang: Literal["en", "zh-CN"] = "en",
    decision_log: Optional[Union[str, "os.PathLike[str]"]] = None,
) -> Report:
    """The candidate report of ``candidate_id`` in the pool file ``input``: the same HTML as ``merit report candidate``.

    ``input`` holds competency scores (wide CSV, or a JSON array for ``.json``),
    or evidence with ``evidence=True`` (``format`` long, jsonl or greenhouse;
    default by extension; ``calibrate`` and ``duplicates`` as in
    :func:`aggregate`). ``profile`` defaults to the model's first; ``lang`` is
    en or zh-CN. Raises InputError (code ``not_found``) when the id is not in the file.

    ``decision_log``: the decision log (``merit score --audit-log``) of the run
    that scored this pool, as ``--decision-log``: the report checks the
    candidate's record against what it computes (model hash, profile, fit and
    status; InputError at ``LOG:line`` when one differs or the record is
    missing) and shows the record's id in its footer (docs/reports.md).
    """
    return Report(_core.report_candidate(
        _model_arg(model), _os.fspath(input), str(candidate_id), "" if profile is None else _profile_id(profile),
        evidence, format, calibrate, duplicates, _report_lang(lang),
        None if decision_log is None else _os.fspath(decision_log)))


def report_pool(
    model: ModelLike,
    input: Union[str, "os.PathLike[str]"],
    profile: Optional[ProfileLike] = None,
    *,
    top: Optional[int] = None,
    evidence: bool = False,
    format: Optional[str] = None,
    calibrate: Optional[str] = None,
    duplicates: Optional[str] = None,
    lang: Literal["en", "zh-CN"] = "en",
    groups: Optional[Union[str, "os.PathLike[str]"]] = None,
    by: Union[str, Sequence[str], None] = None,
) -> Report:
    """The pool report of the pool file ``input``: the same HTML as ``merit report pool``.

    ``top``: the shortlist is the qualified candidates among the first ``top``
    of the ranking (default: qualified with a fit at or above the model's fit
    cut). Other arguments as in :func:`report_candidate`.

    ``groups`` and ``by``: as ``--groups G --by COL[,COL...]``, the adverse
    impact of the shortlist. ``groups`` is the path of a CSV file with
    ``candidate_id`` and demographic columns (read by the same C++ reader as
    the command, so its errors name the file's line); a DataFrame is not
    accepted: write it with ``df.to_csv(path, index=False)`` first. ``by`` is
    a column name or a list of them. One without the other raises MeritError
    (code ``invalid_argument``).
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError("top must be a whole number >= 1, got %r" % (top,))
    columns = [] if by is None else [by] if isinstance(by, str) else [str(c) for c in by]
    return Report(_core.report_pool(
        _model_arg(model), _os.fspath(input), "" if profile is None else _profile_id(profile),
        evidence, format, calibrate, duplicates, top, _report_lang(lang),
        None if groups is None else _os.fspath(groups), columns))


def _report_lang(lang: str) -> str:
    if lang not in ("en", "zh-CN"):
        raise ValueError("lang takes 'en' or 'zh-CN', got %r" % (lang,))
    return lang


def compile(model: ModelLike, profile: ProfileLike) -> ScoringPlan:
    """Compile a profile of ``model`` for scoring (raises MeritError 'not_found' for an unknown id)."""
    return _core.compile(_model_arg(model), _profile_id(profile))


def score(
    model: ModelLike,
    profile: ProfileLike,
    scores: ScoresLike,
    ids: Optional[IdsLike] = None,
    explain: bool = False,
) -> _pd.DataFrame:
    """Score candidates against a profile and rank them, as ``merit score`` does.

    Parameters
    ----------
    model:
        A loaded model (``load_model``), or the path of a model file (loaded
        on each call: load it once for repeated calls).
    profile:
        A ``Profile`` of the model or its id.
    scores:
        Competency scores on the model scale 1..L (NaN = not observed, never
        imputed). Either an array of shape (#candidates, #model competencies)
        whose columns follow ``model.competency_ids``, or a DataFrame whose
        columns are competency ids (any subset of the model's, in any order;
        competencies outside the profile are allowed and ignored) and whose
        index gives the candidate ids. A float64 array with contiguous rows and
        a DataFrame's float64 columns are read in place; other input is
        converted once (see the module docs).
    ids:
        Candidate ids, one per row (whole numbers are converted with ``str``;
        a missing id - None, NaN, NA - or a boolean is an ``InputError`` naming
        its row); default: the
        DataFrame's index, or the row numbers "0", "1", ... for an array.
    explain:
        Add ``contrib_<id>`` and ``gap_<id>`` columns, one per competency of the
        profile (model order): each competency's fit points and the fit points
        lost below its target. Contributions of a row sum to its fit.

    Returns
    -------
    A DataFrame with one row per candidate **in input order** (row i is the
    candidate of row i of ``scores``), indexed by candidate id (index name
    ``candidate_id``, object dtype holding str), with the columns

    - ``rank`` (int64, 1..n, the ranking rule of ``rank_order``: qualified
      candidates first, then incomplete, then screened_out, each by fit
      descending after rounding to 6 decimals; no fit last; ties by candidate
      id in byte order),
    - ``fit`` (float64, 0..100 points; NaN when no weighted competency was observed),
    - ``status`` (Categorical with categories ``STATUSES``: qualified, screened_out
      when a hurdle failed, incomplete when coverage is below the profile's
      min_coverage or a hurdle competency is missing),
    - ``coverage`` (float64, 0..1: the observed share of the profile's weighted targets),
    - with ``explain``: ``contrib_<id>``, then ``gap_<id>`` (float64, fit points).

    ``result.sort_values("rank")`` is the ranking and ``shortlist(result, k)``
    its first k rows; the result joins other frames of the same candidates
    by index (``labels.loc[result.index]``). ``result.attrs`` records the
    model (id, version, content hash) and profile.

    Raises
    ------
    InputError
        A column names no competency of the model (code 'reference'; a
        ``candidate_id`` column gets a hint to make it the index), a column
        appears twice ('duplicate'), a value is off the scale 1..L, not a
        number or a boolean ('value'), the array has the wrong number of
        columns ('schema'), or the ids are empty, repeated or missing.
    MeritError
        Unknown profile ('not_found').
    """
    model = _model_arg(model)
    plan = _core.compile(model, _profile_id(profile))
    if isinstance(scores, _pd.DataFrame):
        # The frame's columns go to the core one by one, float64 ones read in
        # place: no #candidates x #competencies matrix is built.
        positions, values = _frame_columns(model, scores)
        n = len(scores)
        id_form = _score_ids(ids if ids is not None else scores.index, n)
        fit, coverage, status, contributions, gaps = _core.evaluate_columns(plan, positions, values, n, explain, True)
    else:
        matrix, _ = _as_model_matrix(model, scores)
        n = matrix.shape[0]
        id_form = _score_ids(ids, n)
        fit, coverage, status, contributions, gaps = _core.evaluate(plan, matrix, explain, True)
    # Everything stays in input order: the core writes each candidate's rank
    # in its row, so nothing is reordered or copied here.
    columns: dict[str, object] = {
        "rank": _core.ranks(id_form, fit, status),
        "fit": fit,
        "status": _pd.Categorical.from_codes(status, dtype=_STATUS_DTYPE),
        "coverage": coverage,
    }
    result = _pd.DataFrame(columns, index=_id_index(id_form, n), copy=False)
    if contributions is not None and gaps is not None:
        names = [f"contrib_{c}" for c in plan.competency_ids] + [f"gap_{c}" for c in plan.competency_ids]
        explained = _np.concatenate([contributions, gaps], axis=1)
        result = _pd.concat([result, _pd.DataFrame(explained, index=result.index, columns=names, copy=False)], axis=1)
    result.attrs["merit"] = {
        "model": model.id,
        "model_version": model.version,
        "model_hash": model.content_hash,
        "profile": plan.profile_id,
        "fit_model": plan.fit_model,
    }
    return result


def shortlist(result: _pd.DataFrame, k: int) -> _pd.DataFrame:
    """The first ``k`` candidates of a ``score`` result by rank, in rank order.

    ``result`` is a frame with a ``rank`` column (``merit.score``'s, or a
    subset of its rows); fewer than ``k`` rows give them all. The rows keep
    their index (candidate ids), columns and ``attrs``:

    >>> top = merit.shortlist(merit.score(model, "sales_enablement", pool), 5)  # doctest: +SKIP
    >>> list(top.index)                                                          # doctest: +SKIP
    """
    if isinstance(k, (bool, _np.bool_)) or not isinstance(k, (int, _np.integer)) or k < 0:
        raise TypeError(f"shortlist: k must be a whole number >= 0, got {k!r}")
    if "rank" not in result.columns:
        raise _input_error("schema", "", "shortlist needs the 'rank' column of a merit.score result; columns are: "
                           + ", ".join(str(c) for c in result.columns))
    top = result.nsmallest(int(k), "rank", keep="first")
    top.attrs = dict(result.attrs)
    return top


def roles(
    model: ModelLike,
    scores: ScoresLike,
    ids: Optional[IdsLike] = None,
    se: Optional[ScoresLike] = None,
) -> _pd.DataFrame:
    """Which role each candidate's own pattern of strengths shows (the role answer).

    The same rule and schema as ``merit roles``, the shortlist and the C ABI
    (docs/roles.md): the profile whose target shape the candidate's pattern
    shows beyond measurement error, or None; how many standard errors it stands
    out from the next (``margin``); the profiles the candidate is qualified on
    with a fit at or above the model's cut (``fits``); each profile's fit,
    status, coverage and pattern correlation (``profiles``); and the reason.

    Parameters
    ----------
    model:
        A loaded model (``load_model``) or the path of a model file.
    scores:
        Competency scores as for ``score`` (array in model order or DataFrame).
    ids:
        Candidate ids; default: the DataFrame's index or the row numbers.
    se:
        Optional standard errors of the scores, same shape and columns (e.g.
        ``aggregate(...).se``); each is floored at the model's standard error
        of measurement. None: the floor alone.

    Returns
    -------
    A DataFrame in input order, indexed by candidate id (index name
    ``candidate_id``, as ``score``'s), with columns ``best_profile`` (str or
    None), ``margin`` (float64, NaN where nothing was compared), ``fits``
    (list of str), ``profiles`` (dict) and ``reason`` (str).
    """
    model = _model_arg(model)
    matrix, frame_ids = _as_model_matrix(model, scores)
    n = matrix.shape[0]
    index = _id_index(_score_ids(ids if ids is not None else frame_ids, n), n)
    se_matrix = None if se is None else _as_model_matrix(model, se)[0]
    answers = [_json.loads(a) for a in _core.role_answers(model, matrix, se_matrix)]
    return _pd.DataFrame(
        {
            "best_profile": _pd.Series([a["best_profile"] for a in answers], dtype=object, index=index),
            "margin": _np.array([_np.nan if a["margin"] is None else a["margin"] for a in answers], dtype=_np.float64),
            "fits": _pd.Series([a["fits"] for a in answers], dtype=object, index=index),
            "profiles": _pd.Series([a["profiles"] for a in answers], dtype=object, index=index),
            "reason": _pd.Series([a["reason"] for a in answers], dtype=object, index=index),
        },
        index=index,
    )


def match_title(model: ModelLike, title: str) -> dict[str, Any]:
    """The profile a job title names, as ``merit match-title`` writes it (docs/titles.md).

    Returns ``{"title", "profile" (an id, or None), "score" (0..1),
    "alternatives" ([{"profile", "score"}]), "reason"}``. The model's
    ``title_rules`` and ``not_aliases`` decide: "Sales Empowerment" (销售赋权)
    is not enablement and gives None, with the seed's reason; generic titles
    and neighbouring fields give None too. ``model`` is a Model or the path of
    a model file.

    Example
    -------
    >>> merit.match_title(model, "Head of Sales Enablement (APAC), contract")["profile"]
    'head_of_sales_enablement'
    """
    return _typing.cast("dict[str, Any]", _json.loads(_core.match_title(_model_arg(model), str(title))))


def rank_order(ids: IdsLike, fit: npt.ArrayLike, status: npt.ArrayLike) -> npt.NDArray[_np.int64]:
    """Indices of the candidates in rank order, by merit's ranking rule.

    The rule (the same as ``score``, ``merit score`` and the decision log):
    qualified candidates first, then ``incomplete``, then ``screened_out``,
    each by fit descending (fits compared as printed, to 6 decimals); then
    every candidate without a fit (NaN); ties by candidate id in byte order.

    ``ids``, ``fit`` and ``status`` have one entry per candidate; ``status``
    holds names from ``STATUSES`` (a ``score`` result's ``status`` column will
    do). ``order[r]`` is the index of the candidate ranked r + 1.

    Raises
    ------
    ValueError
        ``status`` has another length than ``fit``, or an entry that is not
        one of ``STATUSES`` (the message names its position and value).

    Example
    -------
    >>> merit.rank_order(["a", "b", "c"], [90.0, 100.0, 80.0], ["qualified", "incomplete", "qualified"])
    array([0, 2, 1])
    """
    fit_array = _np.ascontiguousarray(fit, dtype=_np.float64)
    return _core.rank_order(_score_ids(ids, fit_array.shape[0]), fit_array, _status_codes(status, fit_array.shape[0]))


def _status_codes(status: npt.ArrayLike, n: int) -> npt.NDArray[_np.int8]:
    """Status names (STATUSES) as the core's int8 codes; ValueError naming a bad entry."""
    values = _np.asarray(status, dtype=object).reshape(-1)
    if len(values) != n:
        raise ValueError(f"status has {len(values)} entries and fit {n}: give one status per candidate")
    codes = _pd.Index(list(STATUSES), dtype=object).get_indexer(_pd.Index(values, dtype=object))
    bad = _np.flatnonzero(codes < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"status[{i}] is {values[i]!r}, not one of {', '.join(STATUSES)}")
    return _np.ascontiguousarray(codes, dtype=_np.int8)


def to_csv(result: _pd.DataFrame, model: ModelLike, profile: Optional[ProfileLike] = None) -> str:
    """Format a ``score`` result exactly as ``merit score --csv`` prints it.

    Same header, same 6-decimal numbers (empty fit for no fit), same quoting,
    rows in rank order (by the ``rank`` column, whatever the frame's row
    order; a subset such as ``shortlist(result, k)`` writes its own rows).
    The ids are the frame's index, or its ``candidate_id`` column when it has
    one (``result.reset_index()``). Explained columns are written when the
    frame has them. ``profile`` defaults to the one recorded in ``result.attrs``.
    """
    model = _model_arg(model)
    if profile is None:
        profile = str(result.attrs.get("merit", {}).get("profile", ""))
        if not profile:
            raise TypeError("to_csv needs the profile: this frame does not record one")
    plan = _core.compile(model, _profile_id(profile))
    n = len(result)
    status = result["status"]
    codes = _pd.Categorical(status.astype(object), dtype=_STATUS_DTYPE).codes
    if (codes < 0).any():
        bad = status[codes < 0].iloc[0]
        raise _input_error("value", "column 'status'", f"unknown status '{bad}' (expected one of {', '.join(STATUSES)})")
    explain = any(str(c).startswith("contrib_") for c in result.columns)
    contributions = gaps = None
    if explain:
        contributions = _explained(result, "contrib_", plan)
        gaps = _explained(result, "gap_", plan)
    ids = result["candidate_id"] if "candidate_id" in result.columns else result.index
    return _core.format_csv(
        plan,
        _np.ascontiguousarray(result["rank"].to_numpy(), dtype=_np.int64),
        _candidate_ids(_np.asarray(ids, dtype=object), n, check=False),
        _np.ascontiguousarray(result["fit"].to_numpy(dtype=_np.float64, na_value=_np.nan)),
        _np.ascontiguousarray(result["coverage"].to_numpy(dtype=_np.float64, na_value=_np.nan)),
        _np.ascontiguousarray(codes, dtype=_np.int8),
        contributions,
        gaps,
    )


# ---- evidence -> competency scores ---------------------------------------------

if _typing.TYPE_CHECKING:
    Calibration = Literal["none", "leniency", "zscore"]
    Duplicates = Literal["mean", "error"]

#: The columns of a long evidence frame (``aggregate``).
EVIDENCE_COLUMNS: tuple[str, ...] = ("candidate_id", "competency_id", "method", "rater", "value")


@_dataclass(frozen=True, repr=False)
class CompetencyScores:
    """Competency scores aggregated from evidence (``aggregate``, ``read_greenhouse``).

    Every frame is indexed by ``candidate_id`` (str, in order of first
    appearance in the evidence) and has one float column per competency of
    the model, in model order; NaN marks a competency without evidence.

    Attributes
    ----------
    scores:
        Levels on the model scale 1..L (float64). Ready for ``merit.score``.
    ratings:
        Number of ratings behind each score (int64; 0 = no evidence).
    rater_sd:
        Sample SD of those ratings, on 1..L (NaN with fewer than 2).
    se:
        Standard error ``rater_sd / sqrt(ratings)`` (NaN with fewer than 2).
    raters:
        One row per rater, indexed by rater id: ``ratings`` (int64), ``mean``
        and ``sd`` of their ratings on 1..L, and ``leniency``: their additive
        offset in scale points (positive = lenient), fitted jointly with the
        candidates' levels; offsets have a rating-weighted mean of 0. Estimated
        only with ``calibration="leniency"`` (NaN otherwise: it costs passes).
    observations:
        Ratings aggregated (missing values excluded).
    missing:
        Values skipped as missing (None/NaN, blank, "NA", a scale's missing
        names such as "no_decision").
    duplicates:
        Repeated ratings (same candidate, competency, method and rater) merged
        into their mean.
    calibration:
        The calibration applied: "none", "leniency" or "zscore".
    unmapped:
        Greenhouse attribute names that map to no competency, with counts.
    """

    scores: _pd.DataFrame
    ratings: _pd.DataFrame
    rater_sd: _pd.DataFrame
    se: _pd.DataFrame
    raters: _pd.DataFrame
    observations: int
    missing: int
    duplicates: int
    calibration: str
    unmapped: dict[str, int] = _field(default_factory=dict)

    def __repr__(self) -> str:
        """One line: candidates x competencies and the counts of the aggregation (the frames are attributes)."""
        return _notebook.scores_repr(self)

    def _repr_html_(self) -> str:
        """HTML for notebooks: the one-line summary and the first rows of ``scores``."""
        return _notebook.scores_html(self)


def aggregate(
    model: ModelLike,
    evidence: _pd.DataFrame,
    *,
    calibration: Calibration = "none",
    duplicates: Duplicates = "mean",
) -> CompetencyScores:
    """Aggregate long-format assessment evidence into competency scores.

    Parameters
    ----------
    model:
        A loaded model: its methods give each rating's scale, its evidence
        matrix the weight of each method per competency.
    evidence:
        One row per rating, with the columns ``candidate_id``,
        ``competency_id``, ``method``, ``rater`` and ``value`` (others are
        ignored). ``value`` is a number on the method's own scale (e.g. 0..100
        for a work sample) or a level name of a named scale (``"yes"``); an
        object column may mix them. None/NaN, ``""``, ``"NA"`` and the
        scale's missing names (``"no_decision"``) are missing, not ratings.
        Ids that are not str are converted with ``str``.
    calibration:
        ``"none"`` (default); ``"leniency"`` subtracts each rater's fitted
        offset; ``"zscore"`` standardises within rater and maps back onto the
        pool's mean and SD. Calibrated scores are clipped to 1..L.
    duplicates:
        ``"mean"`` (default) averages a rater's repeated ratings of one
        competency by one method into one rating; ``"error"`` rejects them.

    Returns
    -------
    CompetencyScores: ``.scores`` (#candidates x #model competencies, 1..L)
    with ``.ratings``, ``.rater_sd``, ``.se`` and ``.raters``.

    The arithmetic is the core's (``merit::aggregate``): values are mapped
    onto 1..L through their method's scale, averaged over raters per method,
    then over methods weighted by the evidence matrix.

    Raises
    ------
    InputError
        With ``location`` "row <i>, column '<name>'" (i: 0-based position):
        an unknown competency or method ('reference'), a value off its
        method's scale or an unknown level name ('value'), a missing rater or
        candidate id ('value'), a method the evidence matrix does not allow
        for the competency ('reference', location "row <i>"), a duplicate
        with ``duplicates="error"`` ('duplicate'); a missing column or a
        column naming a protected characteristic ('schema',
        'protected_attribute').
    """
    if not isinstance(evidence, _pd.DataFrame):
        raise TypeError("evidence must be a pandas DataFrame with columns " + ", ".join(EVIDENCE_COLUMNS))
    for j, name in enumerate(evidence.columns):
        problem = _core.protected_name_problem("column", name) if isinstance(name, str) and name not in EVIDENCE_COLUMNS else None
        if problem is not None:
            raise _input_error("protected_attribute", f"column {j} ('{name}')", problem)
    missing_columns = [c for c in EVIDENCE_COLUMNS if c not in evidence.columns]
    if missing_columns:
        raise _input_error(
            "schema", "", f"missing column '{missing_columns[0]}' (long evidence needs {','.join(EVIDENCE_COLUMNS)})")
    model = _model_arg(model)
    _check_id_values(evidence["candidate_id"], lambda row: f"row {row}, column 'candidate_id'")
    cand, comp, meth, rater, value = (_evidence_column(evidence[c]) for c in EVIDENCE_COLUMNS)
    raw = _core.aggregate_long(model, cand, comp, meth, rater, value, calibration=calibration, duplicates=duplicates)
    return _competency_scores(model, raw)


def read_greenhouse(
    model: ModelLike,
    scorecards: Union[str, "_os.PathLike[str]", Sequence[Mapping[str, Any]]],
    *,
    calibration: Calibration = "none",
    duplicates: Duplicates = "mean",
) -> CompetencyScores:
    """Aggregate Greenhouse Harvest scorecards (``GET /v1/scorecards``) into competency scores.

    ``scorecards`` is the path of a JSON file holding the array, or the array
    itself as parsed JSON (a list of dicts, e.g. the API's response). Each
    scorecard's ``candidate_id`` names the candidate. With the model's
    ``sources.greenhouse``, the scorecard's interview (``interview``, else
    ``interview_step.name``) maps to one of the model's methods (its
    ``interviews``, else its ``default_method``), ratings map onto 1..L
    through the source's scale, and the rater is the interviewer's (else the
    submitter's) ``employee_id`` or ``id`` as the source says; without it,
    ratings are read with the model's ``greenhouse_scorecard`` method and the
    rater is ``interviewer.id`` (else ``submitted_by.id``). Attribute names
    map to competencies through the model's ``ats_aliases`` (and the
    competency id and names), case-insensitively. Attributes that map to no
    competency are counted in ``result.unmapped``, never dropped silently.

    Returns a ``CompetencyScores`` as ``aggregate`` does. Raises InputError
    with ``location`` "<path>#<JSON pointer>" (or the bare pointer for
    in-memory scorecards), e.g. "/0/attributes/1/rating".
    """
    model = _model_arg(model)
    if isinstance(scorecards, (str, _os.PathLike)):
        raw = _core.aggregate_greenhouse(
            model, path=_os.fspath(scorecards), calibration=calibration, duplicates=duplicates)
    else:
        text = _json.dumps(list(scorecards), ensure_ascii=False, allow_nan=False)
        raw = _core.aggregate_greenhouse(model, text=text, calibration=calibration, duplicates=duplicates)
    return _competency_scores(model, raw)


def _evidence_column(column: "_pd.Series[Any]") -> npt.NDArray[Any]:
    """A column as the core reads it: float64 (NaN = missing) or objects (None = missing)."""
    if _pd.api.types.is_float_dtype(column.dtype):
        return _np.ascontiguousarray(column.to_numpy(dtype=_np.float64, na_value=_np.nan))
    if _pd.api.types.is_bool_dtype(column.dtype):
        return column.to_numpy(dtype=object)
    if _pd.api.types.is_numeric_dtype(column.dtype):
        if column.hasnans:
            return _np.ascontiguousarray(column.to_numpy(dtype=_np.float64, na_value=_np.nan))
        return column.to_numpy(dtype=object)  # ints stay ints: "7", not "7.0"
    values = column.to_numpy(dtype=object)
    absent = _pd.isna(values)
    if absent.any():
        values = values.copy()
        values[absent] = None
    return values


def _competency_scores(model: Model, raw: dict[str, Any]) -> CompetencyScores:
    index = _pd.Index(raw["ids"], dtype=object, name="candidate_id")
    columns = _pd.Index(model.competency_ids, name="competency_id")

    def frame(values: npt.NDArray[Any]) -> _pd.DataFrame:
        return _pd.DataFrame(values, index=index, columns=columns, copy=False)

    raters = _pd.DataFrame(
        {
            "ratings": raw["rater_ratings"],
            "mean": raw["rater_mean"],
            "sd": raw["rater_sd_each"],
            "leniency": raw["rater_leniency"],
        },
        index=_pd.Index(raw["rater_ids"], dtype=object, name="rater"),
    )
    return CompetencyScores(
        scores=frame(raw["scores"]),
        ratings=frame(raw["ratings"].astype(_np.int64)),
        rater_sd=frame(raw["rater_sd"]),
        se=frame(raw["se"]),
        raters=raters,
        observations=int(raw["observations"]),
        missing=int(raw["missing"]),
        duplicates=int(raw["duplicates"]),
        calibration=str(raw["calibration"]),
        unmapped={str(k): int(v) for k, v in raw["unmapped"].items()},
    )


# ---- reliability: merit/_stats.py; AHP: merit/_ahp.py; fairness: merit/_audit.py -----

# ---- score bands ---------------------------------------------------------------------


def sem(sd: float, reliability: float) -> float:
    """Standard error of measurement ``sd * sqrt(1 - reliability)`` (in the units of ``sd``)."""
    return _core.sem(sd, reliability)


def sed(sd: float, reliability: float) -> float:
    """Standard error of the difference of two scores: ``sem * sqrt(2)``."""
    return _core.sed(sd, reliability)


def band_width(sd: float, reliability: float, c: float = 1.96) -> float:
    """Width of a score band, ``c * SED`` (Cascio et al. 1991), in the units of ``sd`` (fit points for fits).

    ``sd`` is the SD of the fits (>= 0), ``reliability`` their reliability in
    [0, 1] (e.g. an ICC or alpha), ``c`` the normal quantile (1.96: two fits
    closer than the width do not differ at the 5% level).
    """
    return _core.band_width(sd, reliability, c)


def fixed_bands(fits: npt.ArrayLike, width: float) -> npt.NDArray[_np.int32]:
    """Fixed bands from the top: band 1 holds every fit within ``width`` of the best,
    band 2 starts at the best fit outside it, and so on.

    ``fits`` has shape (#candidates,), any order, NaN = no fit. Returns an
    int32 array of the same shape: band numbers (1 = top), 0 for no fit.
    """
    return _core.fixed_bands(_np.ascontiguousarray(fits, dtype=_np.float64), width)


def _profile_id(profile: ProfileLike) -> str:
    return profile if isinstance(profile, str) else profile.id


def _model_arg(model: ModelLike) -> Model:
    """A Model as given, or the model file a path names, loaded (every path
    that takes a model takes either)."""
    if isinstance(model, Model):
        return model
    if isinstance(model, (str, _os.PathLike)):
        return load_model(model)
    raise TypeError(f"model must be a merit.Model or the path of a model file, got {type(model).__name__}")


def _id_index(form: object, n: int) -> _pd.Index[Any]:
    """The checked ids (``_score_ids``' form) as a result's index: str values
    in input order, object dtype, named ``candidate_id``. An object array is
    used as it is; Arrow ids and row numbers become str once, in C++."""
    if form is None:
        values = _core.row_ids(n)
    elif isinstance(form, list):
        values = _core.take_ids(form)
    else:
        values = _typing.cast("npt.NDArray[_np.object_]", form)
    return _pd.Index(values, dtype=object, name="candidate_id", copy=False)


def _no_id(row: Union[int, str], value: object) -> str:
    """The text of a missing id: ``row`` a row number or words ("a row"),
    ``value`` what stood there (a str is shown as it is: "null")."""
    where = f"row {row}" if isinstance(row, int) else row
    shown = value if isinstance(value, str) else repr(value)
    return f"{where} has no candidate id ({shown}); every candidate needs one"


def _boolean_id(row: int, value: object) -> str:
    return f"row {row} has a boolean candidate id ({value!r}); ids are text or whole numbers"


def _check_id_values(values: "_pd.Series[Any]", place: Any) -> None:
    """Refuse a missing (None, NaN, NA) or boolean id in a column of ids, as
    ``_ids_as_str`` does for ``ids=``; ``place(row)`` is the error's location.
    Vectorised: a Python loop runs only over columns that may hold booleans."""
    absent = _np.flatnonzero(_np.asarray(_pd.isna(values)))
    if absent.size:
        row = int(absent[0])
        raise _input_error("value", place(row), _no_id(row, values.iloc[row]))
    if _pd.api.types.is_bool_dtype(values.dtype) or _pd.api.types.infer_dtype(values, skipna=False) in (
            "boolean", "mixed", "mixed-integer"):
        for row, v in enumerate(values.tolist()):
            if isinstance(v, (bool, _np.bool_)):
                raise _input_error("value", place(row), _boolean_id(row, v))


def _as_model_matrix(
    model: Model, scores: ScoresLike
) -> tuple[npt.NDArray[_np.float64], Optional[IdsLike]]:
    """The scores as #candidates x #model competencies, float64, rows contiguous.

    Conforming arrays pass through untouched; a DataFrame is laid out in model
    order in one new array (its index is returned as the default ids).
    """
    if isinstance(scores, _pd.DataFrame):
        positions, columns = _frame_columns(model, scores)
        matrix = _np.full((len(scores), len(model.competency_ids)), _np.nan)
        for c, values in zip(positions, columns):
            matrix[:, c] = values
        return matrix, scores.index
    if _reads_in_place(scores):
        return scores, None
    try:
        raw = scores if isinstance(scores, _np.ndarray) else _np.asarray(scores)
        boolean = raw.dtype == _np.bool_
        matrix = raw if boolean else _np.ascontiguousarray(raw, dtype=_np.float64)
    except (TypeError, ValueError) as e:
        raise _input_error("value", "", f"scores must be numbers ({e})") from None
    if boolean:
        raise _input_error("value", "", _boolean_scores("the scores array"))
    if matrix.ndim != 2:
        raise _input_error("schema", "", f"scores must be 2-D (#candidates x #competencies), got {matrix.ndim}-D")
    return matrix, None


def _frame_positions(model: Model, frame: _pd.DataFrame) -> list[int]:
    """The model competency position of each of a frame's columns (matched by
    name, the CLI's header rules; a column of ids gets the index hint)."""
    names = []
    for j, name in enumerate(frame.columns):
        if not isinstance(name, str):
            raise _input_error("schema", f"column {j}", f"column name {name!r} is not a competency id (str)")
        names.append(name)
    try:
        positions: list[int] = _core.match_columns(model, names)
    except InputError as e:
        raise _with_index_hint(e, frame) from None
    return positions


def _frame_columns(model: Model, frame: _pd.DataFrame) -> tuple[list[int], list[npt.NDArray[_np.float64]]]:
    """A frame's columns: their model competency positions and their values as
    1-D float64 arrays (float64 columns as they are, others converted)."""
    positions = _frame_positions(model, frame)
    columns = []
    for j, name in enumerate(frame.columns):
        column = frame.iloc[:, j]
        dtype = column.dtype
        if isinstance(dtype, _np.dtype) and dtype.kind == "f" and dtype.itemsize == 8:
            columns.append(column.to_numpy())  # numpy float64: a view, NaN already missing
            continue
        _refuse_boolean_column(j, name, column)
        try:
            columns.append(column.to_numpy(dtype=_np.float64, na_value=_np.nan))
        except (TypeError, ValueError) as e:
            raise _input_error(
                "value", f"column {j} ('{name}')", f"non-numeric values for competency '{name}' ({e})"
            ) from None
    return positions, columns


def _refuse_boolean_column(j: int, name: object, column: "_pd.Series[Any]") -> None:
    """A column of booleans (bool dtypes, or bools in an object column) is not a
    column of levels: True would read as level 1."""
    dtype = column.dtype
    if _pd.api.types.is_bool_dtype(dtype) or (
            dtype == object and any(isinstance(v, (bool, _np.bool_)) for v in column.tolist())):
        raise _input_error("value", f"column {j} ('{name}')", _boolean_scores(f"competency '{name}'"))


def _boolean_scores(what: str) -> str:
    return f"boolean values for {what}: scores are levels on the model scale (True would read as level 1)"


def _with_index_hint(error: InputError, frame: _pd.DataFrame) -> InputError:
    """A column that names no competency but holds the candidate ids (a CSV
    read without ``index_col``): the same error, with the fix."""
    if error.code != "reference" or not isinstance(frame.index, _pd.RangeIndex):
        return error
    name = next((str(c) for j, c in enumerate(frame.columns) if error.location.startswith(f"column {j} (")), None)
    if name is None or (name != "candidate_id" and _pd.api.types.is_numeric_dtype(frame[name].dtype)):
        return error
    return _input_error(
        error.code, error.location,
        f"{error.detail}; if it holds the candidate ids, make it the index: "
        f"pd.read_csv(..., index_col='{name}') or frame.set_index('{name}')")


def _reads_in_place(scores: object) -> TypeGuard[npt.NDArray[_np.float64]]:
    """True for a 2-D float64 array with contiguous, non-overlapping rows (any row stride)."""
    if not (isinstance(scores, _np.ndarray) and scores.dtype == _np.float64 and scores.ndim == 2):
        return False
    rows, cols = scores.shape
    row_stride = scores.strides[0] if rows > 1 else 8 * cols
    if rows == 0:
        return True
    return (cols <= 1 or scores.strides[1] == 8) and row_stride % 8 == 0 and row_stride >= 8 * cols


def _candidate_ids(ids: Optional[IdsLike], n: int, check: bool = True) -> npt.NDArray[_np.object_]:
    """Ids as a 1-D object array of str (the core reads them in place)."""
    if ids is None:
        return _core.row_ids(n)
    if _is_row_range(ids, n):
        return _core.row_ids(n)  # the same strings as ids.astype(str), made faster
    if isinstance(ids, _pd.Index):
        if _all_str(ids):
            array = ids.to_numpy(dtype=object)
        else:
            if check and not ids.is_unique:  # values equal before str(): cached by pandas
                first = ids[ids.duplicated()][0]
                raise _input_error("duplicate", "ids", f"duplicate candidate id '{first}'")
            array = _ids_as_str(ids)
    else:
        array = _np.asarray(ids, dtype=object)
        if array.ndim != 1:
            raise _input_error("schema", "ids", "ids must be one-dimensional")
        if not _all_str(array):
            array = _ids_as_str(array)
    if array.shape[0] != n:
        raise _input_error("schema", "ids", f"expected {n} candidate ids (one per row), got {array.shape[0]}")
    if check and n:
        _check_ids(array, n)
    return array


def _ids_as_str(values: Any) -> npt.NDArray[_np.object_]:
    """Ids that are not all str, as str (whole numbers: '17'). A missing id
    (None, NaN, pandas NA) or a boolean is an error naming its row: a candidate
    called "None" or "True" is never what was meant."""
    out = _np.empty(len(values), dtype=object)
    for row, v in enumerate(values):
        if v is None or v is _pd.NA or v is _pd.NaT or (isinstance(v, float) and v != v):
            raise _input_error("value", f"ids/{row}", _no_id(row, v))
        if isinstance(v, (bool, _np.bool_)):
            raise _input_error("value", f"ids/{row}", _boolean_id(row, v))
        out[row] = v if isinstance(v, str) else str(v)
    return out


def _check_ids(form: object, n: int) -> None:
    """Unique and non-empty, in C++ over the ids in place (object array of str or Arrow chunks)."""
    duplicate, empty = _core.check_ids(form, n)
    if duplicate >= 0:
        order = _np.array([duplicate], dtype=_np.int64)
        first = _core.take_ids(form, order)[0] if isinstance(form, list) else form[duplicate]  # type: ignore[index]
        raise _input_error("duplicate", "ids", f"duplicate candidate id '{first}'")
    if empty >= 0:
        raise _input_error("value", "ids", "empty candidate_id")


#: Ids already checked, per pandas Index (immutable, as pandas' own caches
#: assume): id(index) -> (weak reference, the form the core reads).
_checked_indexes: dict[int, tuple[_weakref.ref[_pd.Index[Any]], object]] = {}


def _forget_index(ref: _weakref.ref[_pd.Index[Any]], key: int) -> None:
    entry = _checked_indexes.get(key)
    if entry is not None and entry[0] is ref:
        del _checked_indexes[key]


def _score_ids(ids: Optional[IdsLike], n: int) -> object:
    """Checked candidate ids in the form the core reads in place: None (row
    numbers), Arrow string chunks (a list, for pandas' Arrow-backed str dtype:
    no Python str per id) or an object array of str. A str Index is checked
    once and remembered for as long as it lives."""
    if ids is None or _is_row_range(ids, n):
        return None
    index = isinstance(ids, _pd.Index)
    if index:
        hit = _checked_indexes.get(id(ids))
        if hit is not None and hit[0]() is ids:
            return hit[1]
    chunks = _arrow_chunks(ids)
    if chunks is None:
        form: object = _candidate_ids(ids, n)
        remember = index and _all_str(ids)
    else:
        if len(ids) != n:
            raise _input_error("schema", "ids", f"expected {n} candidate ids (one per row), got {len(ids)}")
        if n:
            _check_ids(chunks, n)
        form, remember = chunks, index
    if remember:
        key = id(ids)

        def forget(ref: _weakref.ref[_pd.Index[Any]], key: int = key) -> None:
            _forget_index(ref, key)

        _checked_indexes[key] = (_weakref.ref(_typing.cast("_pd.Index[Any]", ids), forget), form)
    return form


def _arrow_chunks(ids: object) -> Optional[list[tuple[npt.NDArray[Any], npt.NDArray[_np.uint8]]]]:
    """(offsets, data) of each chunk of Arrow-backed string ids without nulls
    (pandas' str dtype with pyarrow storage), or None for anything else."""
    if not isinstance(ids, (_pd.Index, _pd.Series)) or not _pd.api.types.is_string_dtype(ids.dtype):
        return None
    array = ids.array
    if not hasattr(array, "__arrow_array__"):
        return None
    arrow = array.__arrow_array__()
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]  # present: the ids are Arrow-backed

    out: list[tuple[npt.NDArray[Any], npt.NDArray[_np.uint8]]] = []
    for chunk in getattr(arrow, "chunks", [arrow]):
        if pa.types.is_string(chunk.type):
            offset_type: type = _np.int32
        elif pa.types.is_large_string(chunk.type):
            offset_type = _np.int64
        else:
            return None
        if chunk.null_count:
            return None  # missing ids: _candidate_ids names the row
        if len(chunk) == 0:
            continue
        _, offsets, data = chunk.buffers()
        starts: npt.NDArray[Any] = _np.frombuffer(offsets, dtype=offset_type)[chunk.offset : chunk.offset + len(chunk) + 1]
        values = _np.frombuffer(data, dtype=_np.uint8) if data is not None else _np.empty(0, dtype=_np.uint8)
        out.append((starts, values))
    return out


def _is_row_range(ids: object, n: int) -> bool:
    return isinstance(ids, _pd.RangeIndex) and ids.start == 0 and ids.step == 1 and len(ids) == n


def _all_str(values: object) -> bool:
    if isinstance(values, _pd.Index):
        if values.dtype == object:  # is_string_dtype(object) is True whatever the values are
            return _pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")
        return _pd.api.types.is_string_dtype(values.dtype) and not values.hasnans
    return _pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def _explained(result: _pd.DataFrame, prefix: str, plan: ScoringPlan) -> npt.NDArray[_np.float64]:
    names = [prefix + c for c in plan.competency_ids]
    missing = [c for c in names if c not in result.columns]
    if missing:
        raise _input_error("schema", "", f"the frame lacks column '{missing[0]}' of profile '{plan.profile_id}'")
    return _np.ascontiguousarray(result[names].to_numpy(dtype=_np.float64, na_value=_np.nan))
