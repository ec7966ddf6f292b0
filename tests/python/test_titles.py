"""merit.match_title: the same answer as `merit match-title` (one library
function, one JSON writer), on every title of the labelled table."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

import merit

from conftest import MODEL_PATH

ROOT = pathlib.Path(__file__).resolve().parents[2]
LABELLED = ROOT / "tests" / "data" / "titles" / "labelled.tsv"


def labelled() -> list[tuple[str, str]]:
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("title\t"):
            continue
        title, expected, _why = line.split("\t", 2)
        rows.append((title, expected))
    return rows


def test_the_labelled_titles_map_as_labelled(model: merit.Model) -> None:
    rows = labelled()
    assert len(rows) >= 80
    right = sum((merit.match_title(model, t)["profile"] or "null") == want for t, want in rows)
    assert right / len(rows) >= 0.95, f"{right} of {len(rows)}"


def test_python_gives_the_cli_answer_for_every_title(model: merit.Model) -> None:
    cli = os.environ.get("MERIT_CLI")
    if not cli:
        pytest.fail("MERIT_CLI is not set: this test compares with the merit tool")
    titles = [t for t, _ in labelled()]
    out = subprocess.run([cli, "match-title", "--model", str(MODEL_PATH), *titles],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert len(out) == len(titles)
    for t, line in zip(titles, out):
        assert merit.match_title(model, t) == json.loads(line), t


def test_a_model_path_works_and_empowerment_is_not_enablement() -> None:
    answer = merit.match_title(MODEL_PATH, "销售赋权经理")
    assert answer["profile"] is None and answer["title"] == "销售赋权经理"
    assert merit.match_title(str(MODEL_PATH), "Sales Enablement Manager")["profile"] == "sales_enablement"
