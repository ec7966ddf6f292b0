"""merit.report_candidate and merit.report_pool: the same HTML as `merit report`
(one C++ writer), a Report that is the text itself, and its notebook view."""
import hashlib
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


def _chdir_root(f):  # type: ignore[no-untyped-def]
    """Runs f() in the repository root: the input paths are printed in the reports."""
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        return f()
    finally:
        os.chdir(cwd)


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_decision_log_id_checked_and_shown(model: merit.Model, tmp_path: pathlib.Path) -> None:
    log = tmp_path / "log.jsonl"
    subprocess.run([CLI, "score", "--model", str(MODEL), "--candidates", "examples/pool.csv", "--out",
                    str(tmp_path / "scores.csv"), "--audit-log", str(log)], check=True, cwd=ROOT)
    got = _chdir_root(lambda: merit.report_candidate(model, "examples/pool.csv", "C007", decision_log=log))
    # The id, recomputed from the log alone: SHA-256 of the header line and the record line.
    lines = log.read_bytes().split(b"\n")
    n = next(k for k, line in enumerate(lines) if b'"candidate_id":"C007"' in line) + 1
    rid = hashlib.sha256(lines[0] + b"\n" + lines[n - 1] + b"\n").hexdigest()[:16]
    assert "; decision record %s (%s, line %d)</footer>" % (rid, html.escape(str(log)), n) in got
    assert got == cli("candidate", "--model", str(MODEL), "--candidates", "examples/pool.csv", "--id", "C007",
                      "--decision-log", str(log))
    # A log without the candidate's record: InputError at the log.
    short = tmp_path / "short.jsonl"
    short.write_bytes(b"\n".join(line for line in lines if b'"candidate_id":"C007"' not in line))
    with pytest.raises(merit.InputError) as e:
        merit.report_candidate(model, POOL, "C007", decision_log=short)
    assert str(e.value) == ("%s: no decision record for candidate 'C007' (the log has 30 candidate records); give the "
                            "log of the scoring run that scored this pool" % short)
    assert e.value.code == "not_found" and e.value.location == str(short)


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
def test_pool_report_with_groups_same_bytes_as_the_cli(model: merit.Model, tmp_path: pathlib.Path) -> None:
    groups = tmp_path / "groups.csv"
    rows = (ROOT / "examples" / "groups.csv").read_text(encoding="utf-8").splitlines()
    groups.write_text("\n".join([rows[0] + ",site"] + ["%s,%s" % (r, "north" if k % 3 else "south")
                                                        for k, r in enumerate(rows[1:])]) + "\n", encoding="utf-8")
    one = _chdir_root(lambda: merit.report_pool(model, "examples/pool.csv", top=10, groups="examples/groups.csv",
                                                by="sex"))
    two = _chdir_root(lambda: merit.report_pool(model, "examples/pool.csv", top=10, groups=groups, by=["sex", "site"]))
    assert '<table id="impact">' in one and '<table id="impact">' in two
    assert one == cli("pool", "--model", str(MODEL), "--candidates", "examples/pool.csv", "--top", "10",
                      "--groups", "examples/groups.csv", "--by", "sex")
    assert two == cli("pool", "--model", str(MODEL), "--candidates", "examples/pool.csv", "--top", "10",
                      "--groups", str(groups), "--by", "sex,site")
    assert one != two


def test_pool_report_groups_errors(model: merit.Model) -> None:
    names = ROOT / "examples" / "pool_names.csv"
    with pytest.raises(merit.MeritError, match=r"^groups need by: the columns of the groups file to audit by$"):
        merit.report_pool(model, POOL, groups=names)
    with pytest.raises(merit.MeritError, match=r"^by needs groups: the file with those columns$"):
        merit.report_pool(model, POOL, by="sex")
    with pytest.raises(merit.InputError) as e:
        merit.report_pool(model, POOL, groups=names, by="sex")
    assert str(e.value) == "%s:1:1: unknown --by column 'sex'; columns are: candidate_id, name" % names
