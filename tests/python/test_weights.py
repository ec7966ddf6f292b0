"""AHP weights from Python: the same core as `merit weights ahp`."""
import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
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


def test_drink_example_matches_the_reference():
    r = merit.ahp_priorities(drink_matrix())
    ref = [.177457, .019149, .041831, .116417, .189572, .128781, .326793]
    assert np.allclose(r["weights"], ref, atol=1e-6)
    assert r["lambda_max"] == pytest.approx(7.176629, abs=1e-6)
    assert r["ci"] == pytest.approx(.029438, abs=1e-6)
    assert r["cr"] == pytest.approx(.022302, abs=1e-6)
    g = merit.ahp_priorities(drink_matrix(), method="geometric")
    assert np.allclose(g["weights"], [.178723, .018461, .042234, .116498, .191136, .128625, .324323], atol=1e-6)
    assert not math.isnan(g["gci"])


def test_non_reciprocal_matrix_raises_with_the_core_message():
    a = drink_matrix()
    a[2, 1] = 2
    with pytest.raises(merit.MeritError, match="matrix is not reciprocal: item 2 against item 1 is 2"):
        merit.ahp_priorities(a)


def test_group_weights_equal_the_cli():
    path = ROOT / "examples" / "judgments_sales_enablement.json"
    r = merit.ahp_weights(path)
    assert sum(r["weights"]) == pytest.approx(1.0)
    assert len(r["members"]) == 3
    cli = os.environ.get("MERIT_CLI")
    if not cli:
        pytest.skip("MERIT_CLI not set")
    out = json.loads(subprocess.run([cli, "weights", "ahp", "--judgments", str(path), "--json"],
                                    check=True, capture_output=True, text=True).stdout)
    for item, w in zip(r["items"], r["weights"]):
        assert out["weights"][item] == pytest.approx(w, abs=1e-12)
    assert out["lambda_max"] == pytest.approx(r["lambda_max"], abs=1e-12)
    assert out["cr"] == pytest.approx(r["cr"], abs=1e-12)
