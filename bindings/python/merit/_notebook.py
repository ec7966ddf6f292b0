"""What a notebook shows of merit's objects: compact HTML tables and short reprs.

Built from the public API only (``Model.to_frame``, ``Profile.to_frame``, the
frames of ``CompetencyScores``); every text taken from a model or from data is
HTML-escaped (names, ids and definitions can hold ``<`` or ``&``).
"""

from __future__ import annotations

import html as _html
import typing as _typing

import pandas as _pd

if _typing.TYPE_CHECKING:
    from typing import Any

    from ._core import Model, Profile

#: Rows of a frame a notebook shows before "... n more".
MAX_ROWS = 12


def _esc(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _table(frame: _pd.DataFrame, index: bool = True) -> str:
    """A compact HTML table (at most MAX_ROWS rows), escaped, NaN shown as '-'."""
    shown = frame.head(MAX_ROWS)
    out = shown.to_html(escape=True, index=index, na_rep="-", float_format=lambda x: f"{x:.4g}", border=0)
    if len(frame) > MAX_ROWS:
        out += f"<p>... {len(frame) - MAX_ROWS} more rows</p>"
    return out


def _names(en: str, zh: str) -> str:
    return _esc(en) + (f" / {_esc(zh)}" if zh and zh != en else "")


def _bilingual(en: _pd.DataFrame, zh: _pd.DataFrame) -> _pd.DataFrame:
    """en's frame with a name_zh column after name (only where it adds something)."""
    out = en.copy()
    if not (zh["name"] == en["name"]).all():
        out.insert(list(out.columns).index("name") + 1, "name_zh", zh["name"])
    return out


def model_html(model: Model) -> str:
    competencies = _bilingual(model.to_frame("en"), model.to_frame("zh-CN")).drop(columns="definition")
    profiles = ", ".join(f"{_esc(p.id)} ({_names(p.name, p.name_zh)})" for p in model.profiles)
    return (
        f"<div class=\"merit-model\"><p><b>merit.Model</b> {_esc(model.id)} {_esc(model.version)}: "
        f"{_names(model.name, model.name_zh)}; levels 1..{model.levels}; "
        f"{len(model.competency_ids)} competencies; profiles: {profiles}</p>{_table(competencies)}</div>"
    )


def profile_html(profile: Profile) -> str:
    targets = _bilingual(profile.to_frame("en"), profile.to_frame("zh-CN"))
    return (
        f"<div class=\"merit-profile\"><p><b>merit.Profile</b> {_esc(profile.id)}: "
        f"{_names(profile.name, profile.name_zh)}; fit model {_esc(profile.fit_model)}; "
        f"min coverage {profile.min_coverage:g}</p>{_table(targets)}</div>"
    )


def scores_summary(scores: Any) -> str:
    """One line: candidates x competencies and the counts of the aggregation."""
    n, c = scores.scores.shape
    return (f"{n} candidates x {c} competencies, {scores.observations} observations from "
            f"{len(scores.raters)} raters, {scores.missing} missing, {scores.duplicates} duplicates merged, "
            f"calibration '{scores.calibration}'"
            + (f", {sum(scores.unmapped.values())} unmapped ratings" if scores.unmapped else ""))


def scores_repr(scores: Any) -> str:
    return f"<merit.CompetencyScores: {scores_summary(scores)}>"


def scores_html(scores: Any) -> str:
    return (f"<div class=\"merit-scores\"><p><b>merit.CompetencyScores</b>: {_esc(scores_summary(scores))}</p>"
            f"{_table(scores.scores)}</div>")
