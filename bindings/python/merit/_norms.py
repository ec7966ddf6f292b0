"""Norms on DataFrames: ``merit.norms_build`` and ``merit.norms_apply``.

Thin over merit's C++ core (``merit/norms.hpp``, the same functions as
``merit norms build`` and ``merit norms apply``): the norms are the document
the CLI writes (``docs/norms.md``), as a dict, so ``json.dump(norms, f)``
gives a file ``merit norms apply`` and ``merit score --norms`` read, and a
file the CLI wrote can be passed by its path.
"""

from __future__ import annotations

import datetime as _datetime
import json as _json
import os as _os
import typing as _typing

import numpy as _np
import pandas as _pd

from . import _core, _errors

if _typing.TYPE_CHECKING:
    from typing import Any, Hashable, Optional, Union

    import numpy.typing as npt

    from . import ModelLike
    from ._core import Model

    #: Norms: the dict ``norms_build`` returns, or the path of a norms file.
    NormsLike = Union[dict[str, Any], str, "_os.PathLike[str]"]

_error = _errors.input_error


def _scores(frame: _pd.DataFrame, column: Hashable) -> npt.NDArray[_np.float64]:
    if column not in frame.columns:
        raise _error("not_found", str(column), f"no column '{column}' in the frame")
    values = _pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if bad.any():
        row = frame.index[int(bad.to_numpy().argmax())]
        raise _error("parse", f"{column}[{row!r}]", f"'{frame[column][row]}' in column '{column}' is not a number")
    return _np.ascontiguousarray(values.to_numpy(dtype=_np.float64, na_value=_np.nan))


def _groups(frame: _pd.DataFrame, by: Hashable, why: str = "") -> list[str]:
    if by not in frame.columns:
        raise _error("not_found", str(by), f"no column '{by}' in the frame{why}")
    column = frame[by]
    empty = column.isna() | (column.astype(str).str.strip() == "")
    if empty.any():
        row = frame.index[int(empty.to_numpy().argmax())]
        raise _error("value", f"{by}[{row!r}]", f"empty norm group in column '{by}'; every row needs its group")
    return [str(g).strip() for g in column]


def norms_build(
    frame: _pd.DataFrame,
    model: ModelLike,
    profile: Optional[str] = None,
    *,
    column: str = "fit",
    by: Optional[str] = None,
) -> dict[str, Any]:
    """Norms of ``frame[column]``, as ``merit norms build`` writes them.

    The scores (e.g. the ``fit`` column of ``merit.score``'s result) are those
    of ``profile`` (default: the model's first) of ``model``; the norms record
    the model, the profile's scoring hash, the column, the date (UTC) and per
    group its n and its distinct values (6 decimals) with their counts. With
    ``by``, one group per value of that column (a job, level or region; a
    protected characteristic is refused, code 'protected_attribute': norming
    by race, color, religion, sex or national origin is unlawful in the US,
    42 U.S.C. 2000e-2(l)). Rows whose score is NaN are left out. Every group needs at least 100 scores (docs/norms.md), else
    InputError (code 'value').

    >>> norms = merit.norms_build(result, model, column="fit")  # doctest: +SKIP
    >>> json.dump(norms, open("norms.json", "w"))                # doctest: +SKIP
    """
    loaded = _model(model)
    profile_id = profile if profile is not None else loaded.profiles[0].id
    scores = _scores(frame, column)
    groups = _groups(frame, by) if by is not None else None
    built = _datetime.datetime.now(_datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text, _missing = _core.norms_build(loaded, profile_id, str(column), by, scores, groups, built)
    norms: dict[str, Any] = _json.loads(text)
    return norms


def norms_apply(frame: _pd.DataFrame, norms: NormsLike, model: ModelLike, *, column: Optional[str] = None) -> _pd.DataFrame:
    """A copy of ``frame`` with a ``percentile`` column, as ``merit norms apply``.

    ``percentile`` is ``frame[column]``'s (default: the norms' column)
    percentile rank in its norm group by the mid-rank rule,
    ``100 * (below + equal / 2) / n``, scores compared at 6 decimals (the
    same as ``scipy.stats.percentileofscore(sample, score, kind="mean")`` on
    the norm sample); NaN where the score is NaN; 0 below the sample's lowest
    score and 100 above its highest. Norms grouped ``by`` a column read each
    row's group from that column of ``frame``. Norms built for another
    profile, column or scoring hash of ``model`` are refused (InputError,
    code 'value'), as is a row whose group has no norms (code 'not_found').
    """
    if isinstance(norms, dict):
        text, source = _json.dumps(norms), "norms"
    elif isinstance(norms, (str, _os.PathLike)):
        source = _os.fspath(norms)
        with open(source, encoding="utf-8") as f:
            text = f.read()
    else:
        raise TypeError(f"norms must be a dict from merit.norms_build or the path of a norms file, got {type(norms).__name__}")
    if "percentile" in frame.columns:
        raise _error("duplicate", "percentile", "the frame already has a 'percentile' column")
    doc = _peek(text)
    by = doc.get("by") if isinstance(doc.get("by"), str) else None
    col = column if column is not None else str(doc.get("column", "fit"))
    scores = _scores(frame, col)
    groups = _groups(frame, by, " (the norms are grouped by it)") if by is not None else None
    percentile = _core.norms_apply(_model(model), text, source, col, scores, groups)
    out = frame.copy()
    out["percentile"] = percentile
    return out


def _model(model: ModelLike) -> Model:
    from . import _model_arg  # the package's one reading of a model argument

    return _model_arg(model)


def _peek(text: str) -> dict[str, Any]:
    """The norms document's top level, for its ``by`` and ``column`` (the core checks the rest)."""
    try:
        doc = _json.loads(text)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}
