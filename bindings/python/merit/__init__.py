"""merit: recruiting competency assessment, from job analysis to explainable fit.

The arithmetic lives in merit's C++ core (``merit._core``); this package
adds the Python idiom around it: numpy arrays and pandas DataFrames in,
DataFrames out, exceptions that are ``ValueError`` s.

>>> import merit
>>> model = merit.load_model("competency_models/sales_enablement.json")
>>> [p.id for p in model.profiles]
['sales_enablement', 'sales_operations', 'head_of_sales_enablement']
>>> result = merit.score(model, "sales_enablement", pool)   # pool: DataFrame  # doctest: +SKIP

Copies: a float64 array whose rows are contiguous (numpy's default C order)
is read in place, never copied. Anything else (another dtype, Fortran
order, a list, a DataFrame) is converted once into such an array of
#candidates x #model competencies, 8 bytes per cell.

Threads: scoring and ranking release the GIL, so several Python threads
score in parallel.
"""

from __future__ import annotations

import os
from typing import Any, Hashable, Optional, Sequence, TypeGuard, Union

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._core import InputError, MeritError, Model, ModelError, Profile, ScoringPlan

__all__ = [
    "MeritError",
    "ModelError",
    "InputError",
    "Model",
    "Profile",
    "ScoringPlan",
    "STATUSES",
    "load_model",
    "parse_model",
    "compile",
    "score",
    "rank_order",
    "to_csv",
    "__version__",
]

__version__: str = _core.__version__

#: The values of the ``status`` column, in the order of the C++ enum
#: (``merit::status``): a categorical's codes are the core's codes.
STATUSES: tuple[str, str, str] = ("qualified", "screened_out", "incomplete")

_STATUS_DTYPE = pd.CategoricalDtype(list(STATUSES))

ScoresLike = Union[npt.ArrayLike, pd.DataFrame]
#: Candidate ids: any sequence (a list, a numpy array, a pandas Index or Series).
IdsLike = Union[Sequence[Hashable], "pd.Index[Any]", "pd.Series[Any]", npt.NDArray[Any]]
ProfileLike = Union[Profile, str]


def load_model(path: Union[str, "os.PathLike[str]"]) -> Model:
    """Load and validate a competency model file (JSON, format merit.competency-model/1).

    Raises ModelError (``code`` 'io', 'parse', 'schema', 'reference', ...,
    ``location`` '<path>#<JSON pointer>') for the first problem found.
    """
    return _core.load_model(os.fspath(path))


def parse_model(text: str, source: str = "") -> Model:
    """Validate a competency model given as JSON text; ``source`` names it in errors."""
    return _core.parse_model_text(text, source)


def compile(model: Model, profile: ProfileLike) -> ScoringPlan:
    """Compile a profile of ``model`` for scoring (raises MeritError 'not_found' for an unknown id)."""
    return _core.compile(model, _profile_id(profile))


def score(
    model: Model,
    profile: ProfileLike,
    scores: ScoresLike,
    ids: Optional[IdsLike] = None,
    explain: bool = False,
) -> pd.DataFrame:
    """Score candidates against a profile and rank them, as ``merit score`` does.

    Parameters
    ----------
    model:
        A loaded model (``load_model``).
    profile:
        A ``Profile`` of the model or its id.
    scores:
        Competency scores on the model scale 1..L (NaN = not observed, never
        imputed). Either an array of shape (#candidates, #model competencies)
        whose columns follow ``model.competency_ids``, or a DataFrame whose
        columns are competency ids (any subset of the model's, in any order;
        competencies outside the profile are allowed and ignored) and whose
        index gives the candidate ids. A float64 array with contiguous rows is
        read in place; other input is converted once (see the module docs).
    ids:
        Candidate ids, one per row (converted with ``str``); default: the
        DataFrame's index, or the row numbers "0", "1", ... for an array.
    explain:
        Add ``contrib_<id>`` and ``gap_<id>`` columns, one per competency of the
        profile (model order): each competency's fit points and the fit points
        lost below its target. Contributions of a row sum to its fit.

    Returns
    -------
    A DataFrame with one row per candidate, sorted by rank (fit descending
    after rounding to 6 decimals, ties by candidate id in byte order, no fit
    last), a RangeIndex, and the columns

    - ``rank`` (int64, 1..n),
    - ``candidate_id`` (object dtype holding str),
    - ``fit`` (float64, 0..100 points; NaN when no weighted competency was observed),
    - ``status`` (Categorical with categories ``STATUSES``: qualified, screened_out
      when a hurdle failed, incomplete when coverage is below the profile's
      min_coverage or a hurdle competency is missing),
    - ``coverage`` (float64, 0..1: the observed share of the profile's weighted targets),
    - with ``explain``: ``contrib_<id>``, then ``gap_<id>`` (float64, fit points).

    ``result.attrs`` records the model (id, version, content hash) and profile.

    Raises
    ------
    InputError
        A column names no competency of the model (code 'reference'), a column
        appears twice ('duplicate'), a value is off the scale 1..L or not a
        number ('value'), the array has the wrong number of columns ('schema'),
        or the ids are empty or repeated.
    MeritError
        Unknown profile ('not_found').
    """
    plan = _core.compile(model, _profile_id(profile))
    matrix, frame_ids = _as_model_matrix(model, scores)
    n = matrix.shape[0]
    given = ids if ids is not None else frame_ids
    row_numbers = given is None or _is_row_range(given, n)
    id_array = None if row_numbers else _candidate_ids(given, n)
    fit, coverage, status, contributions, gaps = _core.evaluate(plan, matrix, explain, True)
    order = _core.rank_order(id_array, fit)
    # Row-number ids are made in rank order directly: no Python strings to reorder.
    ranked_ids = _core.row_ids(n, order) if id_array is None else id_array.take(order)
    columns: dict[str, object] = {
        "rank": np.arange(1, n + 1, dtype=np.int64),
        # object dtype holding str: pandas' str dtype would cost more than scoring.
        "candidate_id": pd.Series(ranked_ids, dtype=object, copy=False),
        "fit": fit.take(order),
        "status": pd.Categorical.from_codes(status.take(order), dtype=_STATUS_DTYPE),
        "coverage": coverage.take(order),
    }
    result = pd.DataFrame(columns, copy=False)
    if contributions is not None and gaps is not None:
        names = [f"contrib_{c}" for c in plan.competency_ids] + [f"gap_{c}" for c in plan.competency_ids]
        explained = np.concatenate([contributions.take(order, axis=0), gaps.take(order, axis=0)], axis=1)
        result = pd.concat([result, pd.DataFrame(explained, columns=names, copy=False)], axis=1)
    result.attrs["merit"] = {
        "model": model.id,
        "model_version": model.version,
        "model_hash": model.content_hash,
        "profile": plan.profile_id,
        "fit_model": plan.fit_model,
    }
    return result


def rank_order(ids: IdsLike, fit: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Indices of the candidates in rank order (the core's rule, see ``score``).

    ``ids`` and ``fit`` have one entry per candidate; ``order[r]`` is the index
    of the candidate ranked r + 1.
    """
    fit_array = np.ascontiguousarray(fit, dtype=np.float64)
    return _core.rank_order(_candidate_ids(ids, fit_array.shape[0]), fit_array)


def to_csv(result: pd.DataFrame, model: Model, profile: Optional[ProfileLike] = None) -> str:
    """Format a ``score`` result exactly as ``merit score --csv`` prints it.

    Same header, same 6-decimal numbers (empty fit for no fit), same quoting,
    rows in the frame's order with its ``rank`` column. Explained columns are
    written when the frame has them. ``profile`` defaults to the one recorded
    in ``result.attrs``.
    """
    if profile is None:
        profile = str(result.attrs.get("merit", {}).get("profile", ""))
        if not profile:
            raise TypeError("to_csv needs the profile: this frame does not record one")
    plan = _core.compile(model, _profile_id(profile))
    n = len(result)
    status = result["status"]
    codes = pd.Categorical(status.astype(object), dtype=_STATUS_DTYPE).codes
    if (codes < 0).any():
        bad = status[codes < 0].iloc[0]
        raise _input_error("value", "column 'status'", f"unknown status '{bad}' (expected one of {', '.join(STATUSES)})")
    explain = any(str(c).startswith("contrib_") for c in result.columns)
    contributions = gaps = None
    if explain:
        contributions = _explained(result, "contrib_", plan)
        gaps = _explained(result, "gap_", plan)
    return _core.format_csv(
        plan,
        np.ascontiguousarray(result["rank"].to_numpy(), dtype=np.int64),
        _candidate_ids(result["candidate_id"].to_numpy(), n, check=False),
        np.ascontiguousarray(result["fit"].to_numpy(dtype=np.float64, na_value=np.nan)),
        np.ascontiguousarray(result["coverage"].to_numpy(dtype=np.float64, na_value=np.nan)),
        np.ascontiguousarray(codes, dtype=np.int8),
        contributions,
        gaps,
    )


def _profile_id(profile: ProfileLike) -> str:
    return profile if isinstance(profile, str) else profile.id


def _input_error(code: str, location: str, detail: str) -> InputError:
    err = InputError(f"{location}: {detail}" if location else detail)
    err.code, err.location, err.detail = code, location, detail
    return err


def _as_model_matrix(
    model: Model, scores: ScoresLike
) -> tuple[npt.NDArray[np.float64], Optional[IdsLike]]:
    """The scores as #candidates x #model competencies, float64, rows contiguous.

    Conforming arrays pass through untouched; a DataFrame is laid out in model
    order in one new array (its index is returned as the default ids).
    """
    if isinstance(scores, pd.DataFrame):
        names = []
        for j, name in enumerate(scores.columns):
            if not isinstance(name, str):
                raise _input_error("schema", f"column {j}", f"column name {name!r} is not a competency id (str)")
            names.append(name)
        positions = _core.match_columns(model, names)
        matrix = np.full((len(scores), len(model.competency_ids)), np.nan)
        for j, (name, c) in enumerate(zip(names, positions)):
            try:
                matrix[:, c] = scores.iloc[:, j].to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError) as e:
                raise _input_error(
                    "value", f"column {j} ('{name}')", f"non-numeric values for competency '{name}' ({e})"
                ) from None
        return matrix, scores.index
    if _reads_in_place(scores):
        return scores, None
    try:
        matrix = np.ascontiguousarray(scores, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise _input_error("value", "", f"scores must be numbers ({e})") from None
    if matrix.ndim != 2:
        raise _input_error("schema", "", f"scores must be 2-D (#candidates x #competencies), got {matrix.ndim}-D")
    return matrix, None


def _reads_in_place(scores: object) -> TypeGuard[npt.NDArray[np.float64]]:
    """True for a 2-D float64 array with contiguous, non-overlapping rows (any row stride)."""
    if not (isinstance(scores, np.ndarray) and scores.dtype == np.float64 and scores.ndim == 2):
        return False
    rows, cols = scores.shape
    row_stride = scores.strides[0] if rows > 1 else 8 * cols
    if rows == 0:
        return True
    return (cols <= 1 or scores.strides[1] == 8) and row_stride % 8 == 0 and row_stride >= 8 * cols


def _candidate_ids(ids: Optional[IdsLike], n: int, check: bool = True) -> npt.NDArray[np.object_]:
    """Ids as a 1-D object array of str (the core reads them in place)."""
    if ids is None:
        return _core.row_ids(n)
    if _is_row_range(ids, n):
        return _core.row_ids(n)  # the same strings as ids.astype(str), made faster
    if isinstance(ids, pd.Index):
        if check and not ids.is_unique:  # cached by pandas
            first = ids[ids.duplicated()][0]
            raise _input_error("duplicate", "ids", f"duplicate candidate id '{first}'")
        array = ids.to_numpy(dtype=object) if _all_str(ids) else ids.astype(str).to_numpy(dtype=object)
    else:
        array = np.asarray(ids, dtype=object)
        if array.ndim != 1:
            raise _input_error("schema", "ids", "ids must be one-dimensional")
        if not _all_str(array):
            array = np.array([str(i) for i in array], dtype=object)
    if array.shape[0] != n:
        raise _input_error("schema", "ids", f"expected {n} candidate ids (one per row), got {array.shape[0]}")
    if check and n:
        index = pd.Index(array)
        if index.has_duplicates:
            first = index[index.duplicated()][0]
            raise _input_error("duplicate", "ids", f"duplicate candidate id '{first}'")
        if (array == "").any():
            raise _input_error("value", "ids", "empty candidate_id")
    return array


def _is_row_range(ids: object, n: int) -> bool:
    return isinstance(ids, pd.RangeIndex) and ids.start == 0 and ids.step == 1 and len(ids) == n


def _all_str(values: object) -> bool:
    if isinstance(values, pd.Index):
        return pd.api.types.is_string_dtype(values.dtype) and not values.hasnans
    return pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty")


def _explained(result: pd.DataFrame, prefix: str, plan: ScoringPlan) -> npt.NDArray[np.float64]:
    names = [prefix + c for c in plan.competency_ids]
    missing = [c for c in names if c not in result.columns]
    if missing:
        raise _input_error("schema", "", f"the frame lacks column '{missing[0]}' of profile '{plan.profile_id}'")
    return np.ascontiguousarray(result[names].to_numpy(dtype=np.float64, na_value=np.nan))
