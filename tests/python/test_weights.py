"""AHP weights from Python: the same core as `merit weights ahp`."""
import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import merit

ROOT = Path(__file__).resolve().parents[2]

# Saaty (2008) drink example, REFERENCE_VALUES.md.
UPPER = [[9, 5, 2, 1, 1, 1 / 2], [1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9], [1 / 3, 1 / 4, 1 / 3, 1 / 9],
         [1 / 2, 1, 1 / 3], [2, 1 / 2], [1 / 3]]


def drink_matrix() -> np.ndarray:
    a = np.eye(7)
    for i, row in enumerate(UPPER):
        for k, v in enumerate(row):
            j = i + 1 + k
            a[i, j], a[j, i] = v, 1 / v
    return a


DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
CLI = os.environ.get("MERIT_CLI")


def cli_json(path: Path, *options: str) -> dict:
    if not CLI:
        pytest.skip("MERIT_CLI not set")
    return json.loads(subprocess.run([CLI, "weights", "ahp", "--judgments", str(path), "--json", *options],
                                     check=True, capture_output=True, text=True).stdout)


def test_drink_example_matches_the_reference():
    r = merit.ahp_priorities(drink_matrix())
    ref = [.177457, .019149, .041831, .116417, .189572, .128781, .326793]
    assert isinstance(r, pd.Series) and r.name == "weight" and list(r.index) == list(range(7))
    assert np.allclose(r, ref, atol=1e-6)
    assert r.attrs["lambda_max"] == pytest.approx(7.176629, abs=1e-6)
    assert r.attrs["ci"] == pytest.approx(.029438, abs=1e-6)
    assert r.attrs["cr"] == pytest.approx(.022302, abs=1e-6)
    assert (r.attrs["ri_table"], r.attrs["method"], r.attrs["missing_judgments"], r.attrs["n"]) == \
        ("saaty1980", "eigen", 0, 7)
    assert "gci" not in r.attrs  # as in the CLI's JSON: the geometric method's only
    g = merit.ahp_priorities(drink_matrix(), method="geometric")
    assert np.allclose(g, [.178723, .018461, .042234, .116498, .191136, .128625, .324323], atol=1e-6)
    assert not math.isnan(g.attrs["gci"])


def test_a_labelled_frame_gives_a_labelled_series():
    frame = pd.DataFrame(drink_matrix(), index=DRINKS, columns=DRINKS)
    r = merit.ahp_priorities(frame)
    assert list(r.index) == DRINKS and r.name == "weight"
    assert r["water"] == pytest.approx(.326793, abs=1e-6)
    np.testing.assert_array_equal(r.to_numpy(), merit.ahp_priorities(drink_matrix()).to_numpy())
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_priorities(frame.rename(columns={"tea": "chai"}))
    assert e.value.location == "matrix" and e.value.detail.startswith(
        "a DataFrame's index and columns must be the same item labels in the same order")


def test_non_reciprocal_matrix_raises_with_the_core_message():
    a = drink_matrix()
    a[2, 1] = 2
    with pytest.raises(merit.JudgmentError, match="matrix is not reciprocal: item 2 against item 1 is 2"):
        merit.ahp_priorities(a)
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_priorities(pd.DataFrame(a, index=DRINKS, columns=DRINKS))
    assert e.value.detail.startswith("matrix is not reciprocal: 'tea' against 'wine' is 2")


def test_judgment_error_is_an_input_error():
    assert issubclass(merit.JudgmentError, merit.InputError)
    assert not issubclass(merit.JudgmentError, merit.ModelError)
    assert merit.JudgmentError.__module__ == "merit"


def test_the_saaty_scale_is_checked_alike_everywhere(tmp_path):
    """A judgment of 12: the same message from a matrix, a judgments dict and the CLI."""
    a = np.array([[1, 12, 2], [1 / 12, 1, 1], [1 / 2, 1, 1]])
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_priorities(pd.DataFrame(a, index=list("xyz"), columns=list("xyz")))
    assert str(e.value) == "'x' against 'y': value 12 is outside the Saaty scale 1/9..9"
    assert e.value.code == "invalid_argument"
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_priorities(a)
    assert str(e.value) == "item 0 against item 1: value 12 is outside the Saaty scale 1/9..9"
    doc = {"items": ["x", "y", "z"], "judgments": [{"a": "x", "b": "y", "value": 12},
                                                   {"a": "x", "b": "z", "value": 2}]}
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_weights(doc)
    assert (e.value.location, e.value.detail) == ("/judgments/0/value", "value 12 is outside the Saaty scale 1/9..9")
    assert e.value.code == "value"
    path = tmp_path / "j.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_weights(path)
    assert str(e.value) == f"{path}#/judgments/0/value: value 12 is outside the Saaty scale 1/9..9"
    if CLI:
        done = subprocess.run([CLI, "weights", "ahp", "--judgments", str(path)], capture_output=True, text=True)
        assert done.returncode == 3
        assert f"{path}#/judgments/0/value: value 12 is outside the Saaty scale 1/9..9" in done.stderr
    # the tolerance of the scale: 0.111 is 1/9
    assert merit.ahp_priorities([[1, 0.111], [9, 1]]).iloc[1] == pytest.approx(0.9, abs=1e-3)


def without(d: dict, *keys: str) -> dict:
    return {k: v for k, v in d.items() if k not in keys}


@pytest.mark.parametrize("method,aggregate", [("eigen", "aij"), ("geometric", "aip")])
def test_group_weights_equal_the_cli(method, aggregate):
    path = ROOT / "examples" / "judgments_sales_enablement.json"
    r = merit.ahp_weights(path, method=method, aggregate=aggregate)
    assert r.name == "weight" and r.sum() == pytest.approx(1.0)
    assert len(r.attrs["decision_makers"]) == 3 and r.attrs["aggregation"] == aggregate
    out = cli_json(path, "--method", method, "--aggregate", aggregate)
    assert list(r.index) == list(out["weights"])
    np.testing.assert_allclose(r.to_numpy(), list(out["weights"].values()), rtol=0, atol=1e-12)
    # every other number of the CLI's JSON, but the diagnostics the CLI adds
    assert r.attrs == without(out, "weights", "diagnostics")


@pytest.mark.parametrize("method,aggregate", [("eigen", "aij"), ("geometric", "aip")])
def test_hierarchy_equals_the_cli(method, aggregate):
    path = ROOT / "examples" / "judgments_sales_enablement_hierarchy.json"
    r = merit.ahp_weights(path, method=method, aggregate=aggregate)
    out = cli_json(path, "--method", method, "--aggregate", aggregate)
    assert list(r.index) == list(out["weights"]) and len(r) == 14
    np.testing.assert_allclose(r.to_numpy(), list(out["weights"].values()), rtol=0, atol=1e-12)
    assert r.attrs["lambda_max"] is None and r.attrs["ci"] is None  # no single matrix: see the levels
    assert r.attrs == without(out, "weights")
    assert list(r.attrs["local"]) == ["enablement_practice", "core_capabilities"]


def test_hierarchy_errors_are_judgment_errors():
    doc = json.loads((ROOT / "examples" / "judgments_sales_enablement_hierarchy.json").read_text())
    cluster = next(iter(doc["hierarchy"]["local"]))
    del doc["hierarchy"]["local"][cluster]
    with pytest.raises(merit.JudgmentError) as e:
        merit.ahp_weights(doc)
    assert (e.value.location, e.value.detail) == ("/hierarchy/local", f"cluster '{cluster}' has no local judgments")
