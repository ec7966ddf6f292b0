"""merit.report_candidate and merit.report_pool: the same HTML as `merit report`
(one C++ writer), a Report that is the text itself, and its notebook view."""
import html
import os
import pathlib
import subprocess

import pytest

import merit

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODEL = ROOT / "competency_models" / "sales_enablement.json"
POOL = ROOT / "examples" / "pool.csv"
EVIDENCE = ROOT / "examples" / "evidence_long.csv"
CLI = os.environ.get("MERIT_CLI")


def cli(*args: str) -> str:
    return subprocess.run([CLI, "report", *args], check=True, capture_output=True, cwd=ROOT).stdout.decode("utf-8")


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_same_bytes_as_the_cli(model: merit.Model) -> None:
    # The input path is printed in the footer: give both the same relative path.
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        got = merit.report_candidate(model, "examples/pool.csv", "C004", "sales_operations", lang="zh-CN")
        pool = merit.report_pool(str(MODEL), "examples/evidence_long.csv", evidence=True, top=5)
    finally:
        os.chdir(cwd)
    assert got == cli("candidate", "--model", str(MODEL), "--profile", "sales_operations", "--candidates",
                      "examples/pool.csv", "--id", "C004", "--lang", "zh-CN")
    assert pool == cli("pool", "--model", str(MODEL), "--evidence", "examples/evidence_long.csv", "--top", "5")


def test_report_is_the_html_and_shows_in_a_notebook(model: merit.Model) -> None:
    r = merit.report_candidate(model, POOL, "C001")
    assert isinstance(r, merit.Report) and isinstance(r, str)
    assert r.startswith("<!DOCTYPE html>") and "<h1>Candidate C001 for Sales Enablement (individual contributor / manager)</h1>" in r
    view = r._repr_html_()
    assert view.startswith("<iframe ") and 'sandbox=""' in view
    srcdoc = view[view.index('srcdoc="') + len('srcdoc="'):view.rindex('"></iframe>')]
    assert html.unescape(srcdoc) == str(r)
    assert '"' not in srcdoc


def test_pool_report_from_evidence(model: merit.Model) -> None:
    r = merit.report_pool(model, EVIDENCE, "sales_enablement", evidence=True, lang="zh-CN")
    assert 'class="leniency"' in r and 'id="panel"' in r and "状态漏斗" in r


def test_errors(model: merit.Model) -> None:
    with pytest.raises(merit.InputError) as e:
        merit.report_candidate(model, POOL, "C999")
    assert str(e.value).endswith("no candidate 'C999' (the file has 31 candidates)")
    with pytest.raises(ValueError, match=r"^lang takes 'en' or 'zh-CN', got 'fr'$"):
        merit.report_pool(model, POOL, lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^top must be a whole number >= 1, got 0$"):
        merit.report_pool(model, POOL, top=0)
