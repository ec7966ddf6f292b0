"""``merit.audit``: adverse-impact audit of a selection, as ``merit audit`` computes it.

The join of results and demographic groups, the coding of labels and the
checks on ids happen here, on whole columns (no Python loop per row); who is
selected, the tables and every number come from the C++ core
(``merit::select_top_k``, ``merit::select_threshold``, ``merit::audit`` in
include/merit/fairness.hpp), the same code ``merit audit`` runs.
"""

from __future__ import annotations

import html as _html
import typing as _typing
import warnings as _warnings

import numpy as _np
import pandas as _pd

from . import _core
from ._errors import input_error as _input_error

if _typing.TYPE_CHECKING:
    from typing import Any, Optional, Sequence, Union

    import numpy.typing as npt

#: The columns of an ``audit`` table, in the order of ``merit audit --json``.
AUDIT_COLUMNS: tuple[str, ...] = (
    "dimension", "name", "applicants", "selected", "selection_rate", "impact_ratio", "scored", "scoring_rate",
    "scoring_impact_ratio", "four_fifths_flag", "fisher_p", "odds_ratio", "z", "z_p", "small_category", "reference",
)

_ID = "candidate_id"


class AuditResult(_pd.DataFrame):
    """The result of ``merit.audit``: the per-category table, and the audit as a whole.

    It is the per-category table itself (a DataFrame with the columns
    ``AUDIT_COLUMNS`` and the figures of the whole audit in ``attrs``), so
    code written for the plain DataFrame ``audit`` returned before 0.2 keeps
    working. Like fairlearn's ``MetricFrame`` it also answers:

    - ``by_group``: the per-category table as a plain DataFrame;
    - ``overall``: the whole sample as a Series (``n``, ``selected``,
      ``selection_rate``, ``unknown``, ``median_fit``,
      ``groups_without_results``, ``rule``, ``summary``).

    Frames derived from it (``set_index``, a filter, ``copy``) are plain
    DataFrames.
    """

    @property
    def _constructor(self) -> type[_pd.DataFrame]:
        return _pd.DataFrame

    @property
    def by_group(self) -> _pd.DataFrame:
        """The per-category table: one row per category of each ``by`` column, then per intersection."""
        frame = _pd.DataFrame(self)
        frame.attrs = dict(self.attrs)
        return frame

    @property
    def overall(self) -> "_pd.Series[Any]":
        """The whole sample: applicants ``n``, ``selected``, ``selection_rate`` (selected / n),
        ``unknown`` (applicants with an unknown category in the last table), ``median_fit``,
        ``groups_without_results``, the selection ``rule`` and a one-line ``summary`` (which says
        when ``top=K`` selected fewer than K)."""
        a = self.attrs
        n, chosen = int(a["n"]), int(a["selected"])
        return _pd.Series(
            {
                "n": n,
                "selected": chosen,
                "selection_rate": chosen / n if n else float("nan"),
                "unknown": int(a["unknown"]),
                "median_fit": float(a["median_fit"]),
                "groups_without_results": int(a["groups_without_results"]),
                "rule": _rule_text(a["selection"]),
                "summary": _summary(a),
            },
            dtype=object,
            name="overall",
        )

    def to_frame(self) -> _pd.DataFrame:
        """The per-category table as a plain DataFrame (the same as ``by_group``)."""
        return self.by_group

    def _repr_html_(self) -> str:
        """HTML for notebooks: the overall summary line, then the per-category table (escaped)."""
        head = _html.escape(_summary(self.attrs))
        table = self.by_group.to_html(escape=True, index=False, na_rep="-", float_format=lambda x: f"{x:.4g}")
        return f"<div class=\"merit-audit\"><p><b>merit.audit</b>: {head}</p>{table}</div>"


def _rule_text(sel: "dict[str, Any]") -> str:
    """The selection rule in words, as ``merit audit`` prints it after "selected by"."""
    if sel["method"] == "top":
        return f"top {sel['k']} (rank <= K and qualified)"
    if sel["method"] == "threshold":
        return f"fit >= {sel['fit']:g} and qualified"
    return f"column '{sel['column']}'"


def _summary(attrs: "dict[Any, Any]") -> str:
    sel = attrs["selection"]
    n, chosen = int(attrs["n"]), int(attrs["selected"])
    text = f"{n} applicants, {chosen} selected by {_rule_text(sel)}"
    if sel["method"] == "top" and chosen < int(sel["k"]):
        text += (f" (fewer than {sel['k']}: ranks 1..{sel['k']} hold {sel['in_top_k']} candidates,"
                 f" {sel['not_qualified']} of them not qualified)")
    return text + f"; unknown category: {int(attrs['unknown'])}"


def audit(
    results: _pd.DataFrame,
    groups: Optional[_pd.DataFrame] = None,
    *,
    by: Union[str, Sequence[str]],
    selected: Optional[str] = None,
    top: Optional[int] = None,
    threshold: Optional[float] = None,
    small_share: float = 0.02,
) -> AuditResult:
    """Adverse-impact audit of a selection, as ``merit audit`` computes it.

    Parameters
    ----------
    results:
        One row per applicant: a ``merit.score`` result (``candidate_id`` as a
        column or as the index, ``rank``, ``fit``, ``status``) or any frame
        with the columns the selection needs. With ``groups=None`` it also
        carries the ``by`` columns.
    groups:
        Optional demographic data: a ``candidate_id`` column (or a
        ``candidate_id`` index) plus the ``by`` columns, joined to ``results``
        on ``candidate_id``. The ids on both sides must be of one kind (both
        strings or both numbers) and at least one must join, else InputError.
        Applicants without a row here are unknown (a warning says how many);
        rows without a result are counted in ``attrs["groups_without_results"]``.
    by:
        Column(s) to audit by. Missing or empty cells are unknown categories.
    selected, top, threshold:
        Exactly one selection rule: ``selected`` names a column (in
        ``results``, else ``groups``) of bools or 1/0, true/false, yes/no;
        ``top=K`` selects rank <= K **and** status 'qualified' (fewer than K
        when ranks 1..K hold candidates screened out or incomplete;
        ``overall["summary"]`` says so); ``threshold=F`` selects fit >= F with
        status 'qualified'. A status other than qualified, screened_out or
        incomplete is an InputError naming its row.
    small_share:
        Categories below this share of applicants are small: marked, and never
        the reference category (NYC DCWP rule).

    Returns
    -------
    An ``AuditResult``: a DataFrame with one row per category of each ``by``
    column (categories in byte order), then per intersection of all of them
    when there are two or more; columns ``AUDIT_COLUMNS``: counts (int64),
    rates and ratios (float64, NaN when undefined), ``four_fifths_flag``
    (impact ratio < 0.8), ``fisher_p``/``odds_ratio`` (Fisher's exact test
    against the reference category, the one with the highest selection rate),
    ``z``/``z_p`` (pooled two-proportion z-test), ``small_category``,
    ``reference``. The scoring figures compare the shares with a fit above the
    sample's median fit (NaN without a ``fit`` column). ``.by_group`` is that
    table, ``.overall`` the whole sample; ``attrs`` holds ``n``, ``selected``,
    ``unknown``, ``unknown_by`` (per table), ``median_fit``,
    ``groups_without_results`` and ``selection`` (as ``merit audit --json``).
    """
    dims = [by] if isinstance(by, str) else list(by)
    if not dims:
        raise ValueError("audit: by names no column")
    rules = [r for r in (selected, top, threshold) if r is not None]
    if len(rules) != 1:
        raise TypeError("audit: give exactly one of selected=, top=, threshold=")
    if top is not None and (isinstance(top, bool) or not isinstance(top, (int, _np.integer)) or top < 0):
        raise ValueError(f"audit: top must be a whole number >= 0, got {top!r}")
    n = len(results)

    group_frame: Optional[_pd.DataFrame] = None
    pos: Optional[npt.NDArray[_np.intp]] = None  # results row -> groups row, -1 = none
    absent: Optional[npt.NDArray[_np.bool_]] = None  # groups rows with no result
    if groups is not None:
        group_frame = groups if _ID in groups.columns else groups.reset_index()
        pos, absent = _join(results, group_frame)

    fits = _floats(results["fit"]) if "fit" in results.columns else None
    if selected is not None:
        in_results = selected in results.columns or group_frame is None
        source = results if in_results or group_frame is None else group_frame
        values = _selected_values(_column(source, selected, "named by selected="), selected)
        if not in_results:
            assert pos is not None
            values = _np.where(pos >= 0, values[pos], False)
        chosen = values
        selection: dict[str, Any] = {"method": "column", "column": selected}
    elif top is not None:
        rank = _ranks(_column(results, "rank", "needed by top="))
        status = _status_codes(_column(results, "status", "needed by top= (only qualified candidates are selected)"))
        chosen, _count, in_top = _core.select_top_k(rank, status, int(top))
        selection = {"method": "top", "k": int(top), "rule": "rank <= k and status qualified",
                     "in_top_k": int(in_top), "not_qualified": int(in_top) - int(_count)}
    else:
        assert threshold is not None
        fit = _floats(_column(results, "fit", "needed by threshold="))
        status = _status_codes(_column(results, "status", "needed by threshold="))
        chosen, _count = _core.select_threshold(fit, status, float(threshold))
        selection = {"method": "threshold", "fit": float(threshold),
                     "rule": "fit >= threshold and status qualified"}

    names: list[list[str]] = []
    codes: list[npt.NDArray[_np.int32]] = []
    absent_codes: list[npt.NDArray[_np.int32]] = []
    for d in dims:
        if group_frame is None:
            dim_names, dim_codes = _code(_column(results, d, "named by by="))
        else:
            assert pos is not None and absent is not None
            dim_names, gcodes = _code(_column(group_frame, d, "named by by="))
            dim_codes = _np.where(pos >= 0, gcodes[pos], -1).astype(_np.int32)
            absent_codes.append(_np.ascontiguousarray(gcodes[absent]))
        names.append(dim_names)
        codes.append(dim_codes)

    raw = _core.audit(dims, names, codes, _np.asarray(chosen, dtype=_np.uint8), fits, absent_codes, small_share)
    table = AuditResult(_pd.DataFrame(raw["categories"])[list(AUDIT_COLUMNS)])
    selection["selected"] = int(raw["selected"])
    table.attrs.update(
        n=int(raw["n"]),
        selected=int(raw["selected"]),
        unknown=int(raw["unknown"]),
        unknown_by={str(k): int(v) for k, v in raw["unknown_by"].items()},
        median_fit=float(raw["median_fit"]),
        groups_without_results=int(absent.sum()) if absent is not None else 0,
        selection=selection,
    )
    return table


def _column(frame: _pd.DataFrame, name: str, what: str) -> "_pd.Series[Any]":
    if name not in frame.columns:
        raise _input_error("schema", "", f"missing column '{name}' {what}; columns are: "
                           + ", ".join(str(c) for c in frame.columns))
    return frame[name]


def _floats(column: "_pd.Series[Any]") -> npt.NDArray[_np.float64]:
    return _np.ascontiguousarray(column.to_numpy(dtype=_np.float64, na_value=_np.nan))


def _ranks(column: "_pd.Series[Any]") -> npt.NDArray[_np.float64]:
    """Ranks as float64 (NaN = no rank, never selected); anything but a whole number >= 1 is refused."""
    rank = _floats(column)
    bad = ~_np.isnan(rank) & ((rank < 1) | (rank != _np.floor(rank)))
    if bad.any():
        k = int(_np.flatnonzero(bad)[0])
        raise _input_error("value", f"row {k}, column 'rank'", f"rank '{column.iloc[k]}' is not a whole number >= 1")
    return rank


def _status_codes(column: "_pd.Series[Any]") -> npt.NDArray[_np.int8]:
    """merit::status codes as the core's selection reads them: 0 = qualified, 1 = screened out or incomplete.

    Any other value (a missing one included) is an InputError naming its row, as ``merit audit`` refuses it.
    """
    from . import STATUSES  # defined after this module is imported

    known = column.isin(STATUSES).to_numpy(dtype=bool, na_value=False)
    if not known.all():
        k = int(_np.flatnonzero(~known)[0])
        value = column.iloc[k]
        text = "" if _pd.isna(value) else str(value)  # a missing status reads as the CLI's empty cell
        raise _input_error("value", f"row {k}, column 'status'", _core.unknown_status_message(text))
    return _np.where((column == "qualified").to_numpy(dtype=bool, na_value=False), 0, 1).astype(_np.int8)


def _code(column: "_pd.Series[Any]") -> tuple[list[str], npt.NDArray[_np.int32]]:
    """Category names (str, stripped, distinct, non-empty) and a code per row (-1 = unknown)."""
    raw, uniques = _pd.factorize(column, use_na_sentinel=True)
    names: list[str] = []
    seen: dict[str, int] = {}
    remap = _np.full(len(uniques) + 1, -1, dtype=_np.int32)  # the last slot maps factorize's -1
    for k, u in enumerate(uniques):
        name = str(u).strip()
        if name:
            remap[k] = seen.setdefault(name, len(names))
            if remap[k] == len(names):
                names.append(name)
    return names, remap[raw]


def _ids(frame: _pd.DataFrame, what: str) -> tuple["_pd.Series[Any]", str]:
    """The candidate ids of a frame (a candidate_id column, else a candidate_id index) and their place."""
    if _ID in frame.columns:
        return frame[_ID], f"{what} column '{_ID}'"
    if frame.index.name == _ID:
        return frame.index.to_series(), f"{what} index '{_ID}'"
    raise _input_error("schema", "", f"{what} need a candidate_id column to join results and groups")


def _id_kind(ids: "_pd.Series[Any]") -> str:
    if isinstance(ids.dtype, _pd.CategoricalDtype):
        ids = ids.astype(object)
    kind = _pd.api.types.infer_dtype(ids, skipna=True)
    if kind in ("string", "empty"):
        return "string" if kind == "string" else "empty"
    if kind in ("integer", "floating", "mixed-integer-float", "decimal", "integer-na"):
        return "numeric"
    return kind


def _keys(ids: "_pd.Series[Any]", kind: str, what: str) -> "_pd.Series[Any]":
    """Join keys: strings stripped, numbers as they are; an empty or missing id is refused."""
    keys = ids.reset_index(drop=True)
    if kind == "string":  # pandas' str dtype: factorized by Arrow, faster than Python objects
        keys = keys.astype("str").str.strip()
    elif kind != "numeric":  # mixed types: compared as text, as merit audit reads a CSV
        keys = keys.where(keys.isna(), keys.astype(str).str.strip())
    missing = keys.isna().to_numpy() | (keys == "").to_numpy(dtype=bool, na_value=False)
    if missing.any():
        k = int(_np.flatnonzero(missing)[0])
        raise _input_error("value", f"{what} row {k}, column 'candidate_id'", "empty candidate_id")
    return keys


def _first_rows(codes: npt.NDArray[_np.intp], m: int, keys: "_pd.Series[Any]", what: str) -> None:
    """Refuses a repeated id, naming the row that repeats it and the first."""
    first = _np.full(m, -1, dtype=_np.intp)
    rows = _np.arange(len(codes), dtype=_np.intp)
    first[codes[::-1]] = rows[::-1]  # the last write wins: each code's first row
    repeats = _np.flatnonzero(first[codes] != rows)
    if len(repeats):
        k = int(repeats[0])
        raise _input_error("duplicate", f"{what} row {k}, column 'candidate_id'",
                           f"duplicate candidate_id '{keys.iloc[k]}' (first at row {int(first[codes[k]])})")


def _show(value: object) -> str:
    """An id as Python writes it ('c1', 7), not numpy's np.int64(7)."""
    item = getattr(value, "item", None)
    return repr(item() if callable(item) else value)


def _join(results: _pd.DataFrame, groups: _pd.DataFrame) -> tuple[npt.NDArray[_np.intp], npt.NDArray[_np.bool_]]:
    """Row of groups for each result (-1 = none) and the groups rows with no result."""
    rids, rplace = _ids(results, "results")
    gids, gplace = _ids(groups, "groups")
    rkind, gkind = _id_kind(rids), _id_kind(gids)
    if rkind != gkind and "empty" not in (rkind, gkind):
        raise _input_error(
            "schema", f"{rplace}; {gplace}",
            f"the ids differ in type: {rkind} in results (e.g. {_show(rids.iloc[0])}), {gkind} in groups "
            f"(e.g. {_show(gids.iloc[0])}); no row can join. Give both the same ids as the same type")
    kind = rkind if rkind == gkind else "string"
    rkeys, gkeys = _keys(rids, kind, "results"), _keys(gids, kind, "groups")
    # one factorize of both sides: codes shared by equal ids
    codes, uniques = _pd.factorize(_pd.concat([rkeys, gkeys], ignore_index=True))
    m, nr = len(uniques), len(rkeys)
    rcodes, gcodes = codes[:nr], codes[nr:]
    _first_rows(rcodes, m, rkeys, "results")
    _first_rows(gcodes, m, gkeys, "groups")
    group_row = _np.full(m, -1, dtype=_np.intp)
    group_row[gcodes] = _np.arange(len(gcodes), dtype=_np.intp)
    pos = group_row[rcodes]
    matched = pos >= 0
    unmatched = int(nr - matched.sum())
    if nr and len(gkeys) and unmatched == nr:
        raise _input_error(
            "reference", f"{rplace}; {gplace}",
            f"no row joins: no result id (e.g. {_show(rkeys.iloc[0])}) is among the groups ids "
            f"(e.g. {_show(gkeys.iloc[0])}). Check that both name the same candidates")
    if unmatched:
        example = rkeys.iloc[int(_np.flatnonzero(~matched)[0])]
        _warnings.warn(f"merit.audit: {unmatched} of {nr} results have no row in groups "
                       f"(e.g. {_show(example)}); they count as unknown", UserWarning, stacklevel=3)
    in_results = _np.zeros(m, dtype=bool)
    in_results[rcodes] = True
    return pos, ~in_results[gcodes]


def _selected_values(column: "_pd.Series[Any]", name: str) -> npt.NDArray[_np.bool_]:
    if _pd.api.types.is_bool_dtype(column.dtype) and not column.hasnans:
        return column.to_numpy(dtype=bool)
    text = column.astype(str).str.strip().str.lower()
    yes = text.isin(("1", "1.0", "true", "yes")).to_numpy()
    no = text.isin(("0", "0.0", "false", "no")).to_numpy()
    bad = ~(yes | no)
    if bad.any():
        k = int(_np.flatnonzero(bad)[0])
        v = column.iloc[k]
        raise _input_error("value", f"row {k}, column '{name}'",
                           f"selected column '{name}' must be 0/1, true/false or yes/no, got '{v}'")
    return yes
