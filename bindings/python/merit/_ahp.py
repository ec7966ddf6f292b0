"""Weights from pairwise judgments (AHP): ``merit.ahp_priorities`` and ``merit.ahp_weights``.

Both return a ``pandas.Series`` named ``"weight"`` indexed by the items, with
the consistency figures in ``.attrs``. The arithmetic and every check (Saaty's
1/9..9 scale, reciprocity, a connected judgment graph, the judgments format)
are the C++ core's (``merit/weights.hpp``, ``merit/io/judgments.hpp``), the
same as ``merit weights ahp``; their errors are ``merit.JudgmentError``.
"""

from __future__ import annotations

import json as _json
import os as _os
import typing as _typing

import numpy as _np
import pandas as _pd

from . import _core
from ._stats import _error

if _typing.TYPE_CHECKING:
    from typing import Any, Literal, Union

    import numpy.typing as npt

    MatrixLike = Union[npt.ArrayLike, _pd.DataFrame]
    RITable = Literal["saaty1980", "saaty2005", "donegan_dodd", "tummala_ling"]


def _series(text: str, index: Any = None) -> _pd.Series[float]:
    """The weights of ``merit weights ahp --json``'s result as a Series; its other keys go to ``.attrs``."""
    raw: dict[str, Any] = _json.loads(text)
    weights: dict[str, float] = raw.pop("weights")
    series = _pd.Series(list(weights.values()), index=list(weights) if index is None else index, name="weight",
                        dtype=_np.float64)
    series.attrs.update(raw)
    return series


def ahp_priorities(
    matrix: MatrixLike,
    method: Literal["eigen", "geometric"] = "eigen",
    ri_table: RITable = "saaty1980",
) -> _pd.Series[float]:
    """Priorities of one pairwise comparison matrix (AHP), as ``merit weights ahp``.

    ``matrix`` is #items x #items: ``matrix[i, j]`` says how many times item i
    is as important as item j, on Saaty's scale 1/9..9, reciprocal
    (``matrix[j, i] == 1 / matrix[i, j]`` within 0.5%), NaN where a judgment
    is missing (completed by Harker's method). A DataFrame's labels name the
    items (its index and columns must be the same labels); an array's items
    are 0..n-1.

    Returns a ``pandas.Series`` named ``"weight"`` indexed by the items (sum
    1). ``.attrs`` holds the other keys of ``merit weights ahp --json``:
    ``lambda_max``, ``ci``, ``cr`` (with the named random-index table
    ``ri_table``: ``saaty1980``, ``saaty2005``, ``donegan_dodd``,
    ``tummala_ling``; None where it has no RI for n), ``gci`` (geometric
    method only), ``missing_judgments``, ``method`` and ``n``. ``.attrs``
    travel with the Series but pandas drops them in some operations: read
    them right away.

    Raises merit.JudgmentError for a value off the scale, a non-reciprocal
    matrix, a diagonal other than 1, or a judgment graph that is not
    connected, naming the items.
    """
    index: Any = None
    items: list[str] = []
    if isinstance(matrix, _pd.DataFrame):
        if not matrix.index.equals(matrix.columns):
            raise _error("schema", "matrix",
                         "a DataFrame's index and columns must be the same item labels in the same order, got "
                         f"index {list(matrix.index)!r} and columns {list(matrix.columns)!r}", _core.JudgmentError)
        index = matrix.index
        items = [str(c) for c in matrix.columns]
        if len(set(items)) != len(items):
            twice = next(c for c in items if items.count(c) > 1)
            raise _error("duplicate", "matrix", f"item label {twice!r} appears twice", _core.JudgmentError)
        values = _np.ascontiguousarray(matrix.to_numpy(dtype=_np.float64, na_value=_np.nan))
    else:
        values = _np.ascontiguousarray(matrix, dtype=_np.float64)
        if values.ndim == 2:
            index = _pd.RangeIndex(values.shape[0])
    return _series(_core.ahp_priorities(values, method, ri_table, items), index)


def ahp_weights(
    judgments: Union[str, _os.PathLike[str], dict[str, Any]],
    method: Literal["eigen", "geometric"] = "eigen",
    aggregate: Literal["aij", "aip"] = "aij",
    ri_table: RITable = "saaty1980",
) -> _pd.Series[float]:
    """Weights from a judgments document (a path, or its parsed JSON as a dict), as ``merit weights ahp``.

    The document is docs/weights.md's: ``{"items": [...], "judgments":
    [{"a", "b", "value"}, ...]}`` (or ``"matrix"``) for one decision maker,
    ``{"items", "decision_makers": [{"id", "weight"?, "judgments"}]}`` for a
    group (combined by ``aggregate``: ``aij``, judgments, or ``aip``,
    priorities), or ``{"hierarchy": {"clusters": <judgments>, "local":
    {"<cluster>": <judgments>}}}`` for two levels.

    Returns a ``pandas.Series`` named ``"weight"`` indexed by item: the
    group's weights, or for a hierarchy the global weights (cluster weight x
    local weight), the numbers ``merit weights ahp --json`` prints.
    ``.attrs`` holds the other keys of that JSON: ``lambda_max``, ``ci``,
    ``cr`` (None for AIP, which has no group matrix), ``ri_table``, ``gci``
    (geometric only), ``missing_judgments``, ``method``, ``n`` and, for more
    than one decision maker, ``aggregation`` and ``decision_makers`` (each
    one's own result: ``weights`` by item, ``cr``, ..., ``id``, ``weight``,
    ``max_abs_difference``, ``compatibility``). For a hierarchy: the
    hierarchy ``cr`` (``lambda_max`` and ``ci`` None), ``ri_table``,
    ``method``, ``clusters`` (the cluster level's result) and ``local`` (each
    cluster's result by cluster id). The CLI's ``diagnostics`` are not
    computed here.

    Raises merit.JudgmentError with the JSON pointer of the first problem
    (``location``: ``file#/decision_makers/0/judgments/2/value``).
    """
    if isinstance(judgments, dict):
        text, source = _json.dumps(judgments), ""
    else:
        path = _os.fspath(judgments)
        with open(path, encoding="utf-8") as f:
            text, source = f.read(), path
    return _series(_core.ahp_weights(text, source, method, aggregate, ri_table))
