"""What a notebook shows: _repr_html_ (escaped, bilingual), short reprs,
Model/Profile.to_frame in en and zh-CN, and a docstring for every public
property and method (help() shows them)."""
from __future__ import annotations

import html
import inspect
import json

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH


def test_model_to_frame_en_and_zh(model: merit.Model) -> None:
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    en = model.to_frame()
    zh = model.to_frame(lang="zh-CN")
    assert list(en.index) == model.competency_ids and en.index.name == "competency_id"
    assert list(en.columns) == ["name", "cluster", "definition"]
    first = raw["competencies"][0]
    assert en.loc[first["id"], "name"] == first["name"]["en"]
    assert zh.loc[first["id"], "name"] == first["name"]["zh-CN"]
    assert zh.loc[first["id"], "definition"] == first["definition"]["zh-CN"]
    assert en.loc[first["id"], "cluster"] == zh.loc[first["id"], "cluster"] == first["cluster"]
    with pytest.raises(ValueError) as e:
        model.to_frame(lang="fr")
    assert str(e.value) == "lang must be 'en' or 'zh-CN', got 'fr'"


def test_profile_to_frame(model: merit.Model) -> None:
    profile = model.profiles[0]
    frame = profile.to_frame()
    assert list(frame.index) == profile.competency_ids
    assert list(frame.columns) == ["name", "cluster", "target", "weight", "minimum"]
    np.testing.assert_array_equal(frame["target"], profile.targets)
    np.testing.assert_array_equal(frame["weight"], profile.weights)
    np.testing.assert_array_equal(frame["minimum"], profile.minimums)
    assert frame["weight"].sum() == pytest.approx(1, abs=1e-12)
    names = model.to_frame("zh-CN")["name"]
    assert (profile.to_frame(lang="zh-CN")["name"] == names[profile.competency_ids]).all()


def test_model_and_profile_html(model: merit.Model) -> None:
    text = model._repr_html_()
    assert text.startswith(f"<div class=\"merit-model\"><p><b>merit.Model</b> {model.id} {model.version}: ")
    assert html.escape(model.name) in text and html.escape(model.name_zh) in text
    assert "<table" in text and "name_zh" in text
    profile = model.profiles[0]
    text = profile._repr_html_()
    assert text.startswith(f"<div class=\"merit-profile\"><p><b>merit.Profile</b> {profile.id}: ")
    assert "minimum" in text and html.escape(profile.name_zh) in text


def test_html_escapes_model_text() -> None:
    raw = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    raw["name"]["en"] = "Sales <script>alert(1)</script> & co"
    raw["competencies"][0]["name"]["en"] = "<i>Negotiation</i>"
    model = merit.parse_model(json.dumps(raw))
    text = model._repr_html_()
    assert "<script>" not in text and "<i>" not in text
    assert "Sales &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in text
    assert "&lt;i&gt;Negotiation&lt;/i&gt;" in text


def evidence(model: merit.Model) -> pd.DataFrame:
    rows = [(f"c{i}", c, "structured_interview", f"r{j}", float(1 + (i + j) % 5))
            for i in range(40) for c in model.competency_ids for j in range(2)]
    return pd.DataFrame(rows, columns=list(merit.EVIDENCE_COLUMNS))


def test_competency_scores_repr_is_one_line(model: merit.Model) -> None:
    scores = merit.aggregate(model, evidence(model))
    n = 40 * len(model.competency_ids) * 2
    assert repr(scores) == (f"<merit.CompetencyScores: 40 candidates x {len(model.competency_ids)} competencies, "
                            f"{n} observations from 2 raters, 0 missing, 0 duplicates merged, calibration 'none'>")
    text = scores._repr_html_()
    assert text.startswith("<div class=\"merit-scores\"><p><b>merit.CompetencyScores</b>: 40 candidates")
    assert "... 28 more rows" in text  # 12 of 40 shown


def public_members(cls: type) -> list[str]:
    return [n for n in vars(cls) if not n.startswith("_") or n in ("_repr_html_",)]


@pytest.mark.parametrize("cls", [merit.Model, merit.Profile, merit.ScoringPlan, merit.CompetencyScores,
                                 merit.AuditResult])
def test_every_public_property_and_method_has_a_docstring(cls: type) -> None:
    names = public_members(cls)
    assert names
    for name in names:
        member = inspect.getattr_static(cls, name)
        if isinstance(member, (str, int, float, dict, list, tuple, type(None))):
            continue  # dataclass field defaults are data
        doc = getattr(member, "__doc__", None)
        assert doc and doc.strip(), f"{cls.__name__}.{name}"


def test_help_shows_the_docstrings() -> None:
    text = pydoc_text(merit.Model)
    assert "L: the proficiency scale is 1..L." in text
    assert "The competencies as a DataFrame indexed by competency_id" in text


def pydoc_text(obj: object) -> str:
    import pydoc

    return pydoc.render_doc(obj, renderer=pydoc.plaintext)
