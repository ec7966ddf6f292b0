"""`merit weights ahp` end to end: output, --write-profile, exit codes.

Needs only the binary: set MERIT_CLI to its path (skipped otherwise).
"""

import json
import os
import subprocess

import pytest

MERIT_CLI = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not MERIT_CLI, reason="MERIT_CLI (path of the merit binary) is not set")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "examples", "judgments_sales_enablement.json")


def run(*args):
    return subprocess.run([MERIT_CLI, "weights", "ahp", *args], capture_output=True, text=True)


def small_model(path, targets):
    model = {"format": "merit.competency-model/1", "id": "m", "version": "1.0.0",
             "profiles": [{"id": "other", "targets": {}},
                          {"id": "p", "name": {"en": "P"},
                           "targets": {t: {"target": 4, "weight": 1} for t in targets}}],
             "zz_last": True}
    path.write_text(json.dumps(model))


def test_json_output_of_the_example():
    out = run("--judgments", EXAMPLE, "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert list(doc)[:5] == ["weights", "lambda_max", "ci", "cr", "ri_table"]
    assert abs(sum(doc["weights"].values()) - 1) < 1e-12
    assert doc["ri_table"] == "saaty1980"
    assert [m["id"] for m in doc["decision_makers"]] == ["ceo", "cro", "cmo"]


def test_write_profile(tmp_path):
    items = json.load(open(EXAMPLE))["items"]
    model = tmp_path / "model.json"
    small_model(model, items)
    new = tmp_path / "new.json"
    out = run("--judgments", EXAMPLE, "--json", "--write-profile", f"{model}:p", "--out", str(new))
    assert out.returncode == 0, out.stderr
    weights = json.loads(out.stdout)["weights"]
    written = json.loads(new.read_text())
    assert list(written) == list(json.loads(model.read_text()))  # key order kept
    for item, w in weights.items():
        assert written["profiles"][1]["targets"][item]["weight"] == w
        assert written["profiles"][1]["targets"][item]["target"] == 4


def test_write_profile_errors_leave_no_file(tmp_path):
    items = json.load(open(EXAMPLE))["items"]
    model = tmp_path / "model.json"
    new = tmp_path / "new.json"
    small_model(model, items[:-1])
    out = run("--judgments", EXAMPLE, "--write-profile", f"{model}:p", "--out", str(new))
    assert out.returncode == 3
    assert out.stderr == (f"merit weights: error: {EXAMPLE}#/items: item 'sales_technology' is not a target "
                          f"competency of profile 'p' in {model}\n")
    small_model(model, items + ["mechanism_building"])
    out = run("--judgments", EXAMPLE, "--write-profile", f"{model}:p", "--out", str(new))
    assert out.returncode == 3
    assert out.stderr == (f"merit weights: error: {model}#/profiles/1/targets/mechanism_building: target "
                          f"'mechanism_building' of profile 'p' has no weight in {EXAMPLE}; the judgments must "
                          "cover every target\n")
    out = run("--judgments", EXAMPLE, "--write-profile", f"{model}:nope", "--out", str(new))
    assert out.returncode == 3
    assert out.stderr == f"merit weights: error: {model}#/profiles: no profile 'nope' in the model\n"
    assert not new.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def test_inconsistent_judgments_warn_and_diagnose(tmp_path):
    # consistent weights (0.4, 0.3, 0.2, 0.1) with a_14 = 4 corrupted to 1/4
    m = [[1, 4 / 3, 2, 0.25], [0.75, 1, 1.5, 3], [0.5, 2 / 3, 1, 2], [4, 1 / 3, 0.5, 1]]
    path = tmp_path / "j.json"
    path.write_text(json.dumps({"items": ["a", "b", "c", "d"], "matrix": m}))
    out = run("--judgments", str(path))
    assert out.returncode == 0
    assert "warning: CR" in out.stderr and "above 0.10" in out.stderr
    assert "a vs d: 0.25; the other judgments imply 4 (CR would be 0.0000)" in out.stdout


def test_bad_input_exit_codes(tmp_path):
    path = tmp_path / "j.json"
    path.write_text(json.dumps({"items": ["a", "b"], "judgments": [{"a": "a", "b": "b", "value": 12}]}))
    out = run("--judgments", str(path))
    assert out.returncode == 3
    assert out.stderr == f"merit weights: error: {path}#/judgments/0/value: value 12 is outside the Saaty scale 1/9..9\n"
    assert run("--judgments", str(path), "--method", "median").returncode == 2
    assert run("--judgments", str(tmp_path / "missing.json")).returncode == 4


def test_hierarchy_example_writes_the_shipped_profile(tmp_path):
    new = tmp_path / "weighted.json"
    model = os.path.join(ROOT, "competency_models", "sales_enablement.json")
    out = run("--judgments", os.path.join(ROOT, "examples", "judgments_sales_enablement_hierarchy.json"), "--json",
              "--write-profile", f"{model}:sales_enablement", "--out", str(new))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert abs(sum(doc["weights"].values()) - 1) < 1e-12
    assert doc["cr"] < 0.1
    targets = json.loads(new.read_text())["profiles"][0]["targets"]
    assert {k: v["weight"] for k, v in targets.items()} == doc["weights"]
    check = subprocess.run([MERIT_CLI, "validate", str(new)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
