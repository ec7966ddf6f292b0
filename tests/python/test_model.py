"""merit.load_model / parse_model and the Model and Profile views."""

from __future__ import annotations

import json

import numpy as np
import pytest

import merit

from conftest import MODEL_PATH, PROFILES


def test_load_model_reads_the_shipped_model(model: merit.Model) -> None:
    assert model.id == "sales_enablement"
    assert model.levels == 5
    assert len(model.competency_ids) == 26
    assert model.competency_ids[0] == "sales_content_management"
    assert len(model.content_hash) == 64
    assert model.source == str(MODEL_PATH)
    assert "26 competencies" in repr(model)


def test_profiles_in_file_order(model: merit.Model) -> None:
    assert [p.id for p in model.profiles] == list(PROFILES)
    for p in model.profiles:
        assert p.fit_model == "attainment"
        assert p.weights.shape == p.targets.shape == p.minimums.shape == (len(p.competency_ids),)
        assert p.weights.sum() == pytest.approx(1.0)
        assert ((p.targets >= 1) & (p.targets <= model.levels)).all()
        # Targets follow the model's competency order.
        positions = [model.competency_ids.index(c) for c in p.competency_ids]
        assert positions == sorted(positions)


def test_profile_by_id(model: merit.Model) -> None:
    assert model.profile("sales_operations").id == "sales_operations"
    with pytest.raises(merit.MeritError) as e:
        model.profile("nope")
    assert e.value.code == "not_found"
    assert "unknown profile 'nope'" in str(e.value)


def test_profile_outlives_its_model() -> None:
    profile = merit.load_model(MODEL_PATH).profiles[0]
    assert profile.id == "sales_enablement"
    assert np.isfinite(profile.weights).all()


def test_parse_model_equals_load_model(model: merit.Model) -> None:
    parsed = merit.parse_model(MODEL_PATH.read_text(encoding="utf-8"), "memory")
    assert parsed.content_hash == model.content_hash
    assert parsed.source == "memory"


def test_model_error_carries_code_and_pointer() -> None:
    doc = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    doc["profiles"][1]["fit_model"] = "vibes"
    with pytest.raises(merit.ModelError) as e:
        merit.parse_model(json.dumps(doc), "bad.json")
    assert e.value.code == "schema"
    assert e.value.location == "bad.json#/profiles/1/fit_model"
    assert e.value.detail == "unknown fit model 'vibes' (expected attainment, weighted_mean or profile_match)"
    assert str(e.value) == f"{e.value.location}: {e.value.detail}"


def test_missing_file_is_an_io_model_error(tmp_path: object) -> None:
    with pytest.raises(merit.ModelError) as e:
        merit.load_model("/nonexistent/model.json")
    assert (e.value.code, e.value.location, e.value.detail) == ("io", "/nonexistent/model.json",
                                                             "cannot open file: No such file or directory")
    with pytest.raises(merit.ModelError) as e:
        merit.load_model(tmp_path)  # a directory is a file error, not an internal one
    assert (e.value.code, e.value.location, e.value.detail) == ("io", str(tmp_path),
                                                             "is a directory; give the path of a file")


def test_malformed_json_is_a_parse_error() -> None:
    with pytest.raises(merit.ModelError) as e:
        merit.parse_model('{"format": ', "broken.json")
    assert e.value.code == "parse"
    assert e.value.location.startswith("broken.json")
