"""The exception hierarchy: MeritError(ValueError) > ModelError, InputError."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import merit
from merit import _core


def test_hierarchy() -> None:
    assert issubclass(merit.MeritError, ValueError)
    assert issubclass(merit.ModelError, merit.MeritError)
    assert issubclass(merit.InputError, merit.MeritError)
    assert not issubclass(merit.ModelError, merit.InputError)
    assert merit.MeritError.__module__ == "merit"


def test_codes_are_the_cores_names() -> None:
    assert _core.error_codes() == [
        "ok", "invalid_argument", "io", "parse", "schema", "reference", "duplicate", "value",
        "protected_attribute", "inconsistent", "not_found", "interrupted",
    ]


def test_unknown_column_uses_the_cli_words(model: merit.Model, pool: pd.DataFrame) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", pool.assign(charisma=3.0))
    assert e.value.code == "reference"
    assert e.value.detail == "column 'charisma' names no competency of model 'sales_enablement'"
    assert e.value.location == "column 26 ('charisma')"


def test_value_off_the_scale(model: merit.Model) -> None:
    x = np.full((3, len(model.competency_ids)), 3.0)
    x[2, 4] = 6.0
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", x)
    assert e.value.code == "value"
    cid = model.competency_ids[4]
    assert e.value.location == f"row 2, column '{cid}'"
    assert e.value.detail == f"value 6 for competency '{cid}' is outside the scale 1..5"


def test_infinite_value_is_rejected(model: merit.Model) -> None:
    x = np.full((1, len(model.competency_ids)), np.inf)
    with pytest.raises(merit.InputError, match="outside the scale"):
        merit.score(model, "sales_enablement", x)


def test_wrong_number_of_columns(model: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", np.full((2, 3), 3.0))
    assert e.value.code == "schema"
    assert "one column per competency of model 'sales_enablement' (26), got 3" in str(e.value)


def test_duplicate_and_empty_ids(model: merit.Model) -> None:
    x = np.full((2, len(model.competency_ids)), 3.0)
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", x, ids=["a", "a"])
    assert (e.value.code, e.value.detail) == ("duplicate", "duplicate candidate id 'a'")
    with pytest.raises(merit.InputError, match="empty candidate_id"):
        merit.score(model, "sales_enablement", x, ids=["a", ""])
    with pytest.raises(merit.InputError, match="expected 2 candidate ids"):
        merit.score(model, "sales_enablement", x, ids=["a"])


def test_duplicate_column(model: merit.Model, pool: pd.DataFrame) -> None:
    frame = pd.concat([pool, pool[["sales_training"]]], axis=1)
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", frame)
    assert e.value.code == "duplicate"
    assert e.value.detail == "duplicate column 'sales_training' (first at column 1)"


def test_non_numeric_column(model: merit.Model, pool: pd.DataFrame) -> None:
    frame = pool.astype({"sales_training": object})
    frame.iloc[0, 1] = "great"
    with pytest.raises(merit.InputError) as e:
        merit.score(model, "sales_enablement", frame)
    assert e.value.code == "value"
    assert e.value.location == "column 1 ('sales_training')"


def test_unknown_profile(model: merit.Model, pool: pd.DataFrame) -> None:
    with pytest.raises(merit.MeritError) as e:
        merit.score(model, "sales_wizard", pool)
    assert type(e.value) is merit.MeritError
    assert e.value.code == "not_found"
    assert e.value.location == ""


def test_errors_are_catchable_as_value_error(model: merit.Model) -> None:
    with pytest.raises(ValueError):
        merit.score(model, "sales_enablement", np.zeros((1, 20)))
