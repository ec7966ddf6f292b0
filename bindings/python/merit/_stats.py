"""Tidy reliability statistics: ``merit.icc`` and ``merit.cronbach_alpha``.

The numbers come from merit's C++ core (``merit/reliability.hpp``, the same
functions as ``merit reliability``); this module reads pandas and numpy input
the way pingouin users write it and returns DataFrames.
"""

from __future__ import annotations

import typing as _typing
import warnings as _warnings

import numpy as _np
import pandas as _pd

from . import _core, _errors

if _typing.TYPE_CHECKING:
    from typing import Any, Hashable, Literal, Optional, Union

    import numpy.typing as npt

    WideLike = Union[npt.ArrayLike, _pd.DataFrame]

#: The columns of an ``icc`` table, in order.
ICC_COLUMNS: tuple[str, ...] = ("type", "description", "icc", "f", "df1", "df2", "p", "lower", "upper")

_error = _errors.input_error


def icc(
    data: WideLike,
    targets: Optional[Hashable] = None,
    raters: Optional[Hashable] = None,
    ratings: Optional[Hashable] = None,
    *,
    wide: bool = False,
    confidence: float = 0.95,
    lang: Literal["en", "zh-CN"] = "en",
) -> _pd.DataFrame:
    """Intraclass correlations in Shrout & Fleiss's (1979) six forms, as ``pingouin.intraclass_corr``.

    Long format (pingouin's): ``data`` is a DataFrame with one row per rating
    and the columns named by ``targets`` (the rated: candidates), ``raters``
    (the judges) and ``ratings`` (numbers). Every target must be rated by
    every rater exactly once; a missing or NaN rating is an error naming the
    target and the rater.

    Wide format, only with ``wide=True``: ``data`` is #targets x #raters (a
    DataFrame, targets as rows and raters as columns, or a 2-D array). A
    target with a missing (NaN) rating is left out, as R psych and pingouin's
    ``nan_policy="omit"`` do; a ``UserWarning`` says how many, and
    ``.attrs["n_dropped"]`` counts them.

    Returns a DataFrame with one row per form (``ICC1``, ``ICC2``, ``ICC3``,
    ``ICC1k``, ``ICC2k``, ``ICC3k``) and the columns ``type, description,
    icc, f, df1, df2, p, lower, upper``: the ICC, the F test of "no variance
    between targets" (``p`` its upper tail) and the interval two-sided at
    ``confidence``. ``.attrs`` holds ``n_targets``, ``n_raters``,
    ``n_dropped`` and ``confidence``. ICC1 is one-way random, ICC2 two-way
    random absolute agreement (McGraw & Wong's ICC(A,1)), ICC3 two-way mixed
    consistency (ICC(C,1)); the ``k`` forms are the reliabilities of the mean
    of the k raters. ``lang="zh-CN"`` gives the ``description`` column in
    Simplified Chinese. The same numbers as ``merit reliability icc`` and R
    ``psych::ICC(x, lmer = FALSE)``.

    Raises InputError for input that does not match the arguments (a column
    not in the frame, long data without column names, duplicate (target,
    rater) pairs, missing cells, non-numeric ratings), and MeritError (code
    'invalid_argument') for fewer than 2 raters or 2 complete targets,
    infinite values, or ratings that do not vary.

    >>> long = wide.melt(id_vars="target", var_name="rater", value_name="rating")  # doctest: +SKIP
    >>> merit.icc(long, targets="target", raters="rater", ratings="rating")  # doctest: +SKIP
    """
    named = {"targets": targets, "raters": raters, "ratings": ratings}
    given = [k for k, v in named.items() if v is not None]
    if wide:
        if given:
            raise _error("invalid_argument", given[0],
                         f"{', '.join(given)} name columns of long data; with wide=True the rows are the "
                         "targets and the columns the raters, so leave them out")
        matrix = _wide_matrix(data, "ratings")
    else:
        if not isinstance(data, _pd.DataFrame):
            raise _error("invalid_argument", "data",
                         f"long data must be a DataFrame, got {type(data).__name__}; for a targets x raters "
                         "array pass wide=True")
        missing = [k for k in named if named[k] is None]
        if missing:
            raise _error("invalid_argument", missing[0],
                         f"long data needs the columns of {', '.join(missing)}: name them "
                         "(icc(data, targets=..., raters=..., ratings=...)), or pass wide=True for a "
                         "targets x raters table")
        matrix = _long_matrix(data, named)
    raw = _core.icc(matrix, confidence, lang)
    table = _pd.DataFrame(raw["forms"], columns=list(ICC_COLUMNS)).astype({"df1": _np.int64, "df2": _np.int64})
    table.attrs.update(n_targets=int(raw["n_targets"]), n_raters=int(raw["n_judges"]),
                       n_dropped=int(raw["n_dropped"]), confidence=float(confidence))
    if raw["n_dropped"]:  # wide data only: long data with a missing cell were refused
        _warnings.warn(f"icc: {raw['n_dropped']} target(s) with a missing rating left out", UserWarning,
                       stacklevel=2)
    return table


def _wide_matrix(data: WideLike, what: str) -> npt.NDArray[_np.float64]:
    """#rows x #columns float64, rows contiguous; ``what`` ('ratings', 'items') names the cells in errors."""
    if isinstance(data, _pd.DataFrame):
        bad = [c for c in data.columns if not _numeric(data[c])]
        if bad:
            raise _error("parse", f"column {bad[0]!r}",
                         f"{what} must be numbers, got dtype {data[bad[0]].dtype}; every column is one of the "
                         f"{'raters' if what == 'ratings' else 'items'} (set the ids as the index)")
        return _np.ascontiguousarray(data.to_numpy(dtype=_np.float64, na_value=_np.nan))
    array = _np.asarray(data)
    if array.dtype.kind not in "iuf":
        raise _error("parse", "data", f"{what} must be numbers, got an array of dtype {array.dtype}")
    return _np.ascontiguousarray(array, dtype=_np.float64)


def _numeric(column: _pd.Series[Any]) -> bool:
    return bool(_pd.api.types.is_numeric_dtype(column.dtype)) and not _pd.api.types.is_bool_dtype(column.dtype)


def _long_matrix(frame: _pd.DataFrame, named: dict[str, Hashable]) -> npt.NDArray[_np.float64]:
    """The long frame as #targets x #raters (order of first appearance); refuses what does not fit."""
    if len(set(named.values())) < len(named):
        raise _error("invalid_argument", "targets",
                     "targets, raters and ratings must name three different columns, got "
                     + ", ".join(f"{k}={v!r}" for k, v in named.items()))
    for arg, column in named.items():
        if column not in frame.columns:
            raise _error("not_found", arg,
                         f"{arg}={column!r} is not a column of the frame (columns: "
                         f"{', '.join(repr(c) for c in frame.columns)})")
        if int((frame.columns == column).sum()) > 1:
            raise _error("duplicate", arg, f"column {column!r} appears more than once in the frame")
    values = frame[named["ratings"]]
    if not _numeric(values):
        raise _error("parse", f"column {named['ratings']!r}",
                     f"ratings must be numbers, got dtype {values.dtype}")
    t_codes, t_labels = _pd.factorize(frame[named["targets"]], use_na_sentinel=True)
    r_codes, r_labels = _pd.factorize(frame[named["raters"]], use_na_sentinel=True)
    for arg, codes in (("targets", t_codes), ("raters", r_codes)):
        if (codes < 0).any():
            row = frame.index[int(_np.argmax(codes < 0))]
            raise _error("value", f"row {row!r}", f"{arg} column {named[arg]!r} is missing (None or NaN)")
    n, k = len(t_labels), len(r_labels)
    cell = t_codes.astype(_np.int64) * k + r_codes
    counts = _np.bincount(cell, minlength=n * k)
    if (counts > 1).any():
        first = int(_np.argmax(counts > 1))
        rows = [frame.index[int(i)] for i in _np.flatnonzero(cell == first)]
        raise _error("duplicate", f"rows {', '.join(repr(r) for r in rows)}",
                     f"target {t_labels[first // k]!r} is rated by rater {r_labels[first % k]!r} "
                     f"{int(counts[first])} times; icc needs one rating per target and rater "
                     "(average the repeats or keep one)")
    matrix = _np.full((n, k), _np.nan)
    matrix.reshape(-1)[cell] = values.to_numpy(dtype=_np.float64, na_value=_np.nan)
    holes = _np.isnan(matrix)
    if holes.any():
        t, r = divmod(int(_np.argmax(holes.reshape(-1))), k)
        raise _error("value", f"target {t_labels[t]!r}",
                     f"target {t_labels[t]!r} has no rating by rater {r_labels[r]!r} ({int(holes.sum())} "
                     "missing cell(s) in all); icc needs every target rated by every rater: add the "
                     "rating or drop the target")
    return matrix


def cronbach_alpha(
    data: WideLike,
    *,
    missing: Literal["pairwise", "listwise"] = "pairwise",
    confidence: float = 0.95,
) -> _pd.DataFrame:
    """Cronbach's alpha with Feldt's interval, as ``pingouin.cronbach_alpha`` and R ``psych::alpha``.

    ``data`` is #respondents x #items (DataFrame or 2-D array), NaN =
    missing. Returns a one-row DataFrame (index ``["alpha"]``) with the
    columns ``alpha`` (raw, from the covariances), ``std_alpha`` (from the
    correlations), ``n`` (respondents used), ``k`` (items), and ``lower``,
    ``upper``: Feldt's interval two-sided at ``confidence`` (also in
    ``.attrs["confidence"]``). ``missing="pairwise"`` (psych's and pingouin's
    default) takes each covariance from the rows where both items are
    present and counts every row in ``n``; ``"listwise"`` keeps complete rows
    only. Reverse-key items before calling (e.g. ``7 - x`` on a 1..6 scale).
    The same numbers as ``merit reliability alpha``.

    Raises InputError for a non-numeric column and MeritError (code
    'invalid_argument', naming the item) for fewer than 2 items or rows, an
    item without variance, or infinite values.
    """
    names = [str(c) for c in data.columns] if isinstance(data, _pd.DataFrame) else []
    raw = _core.cronbach_alpha(_wide_matrix(data, "items"), missing, confidence, names)
    table = _pd.DataFrame({"alpha": [raw["alpha"]], "std_alpha": [raw["std_alpha"]], "n": [int(raw["n"])],
                           "k": [int(raw["k"])], "lower": [raw["lower"]], "upper": [raw["upper"]]},
                          index=["alpha"])
    table.attrs["confidence"] = float(confidence)
    return table
