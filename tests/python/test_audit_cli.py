"""`merit audit` end to end: selections, the join, reports and exact error
messages. Needs the merit binary in $MERIT_CLI (skipped without it)."""
import json
import os
import subprocess

import pytest

MERIT = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not MERIT, reason="set MERIT_CLI to the merit binary")

RESULTS = """rank,candidate_id,fit,status,coverage
1,c1,90.000000,qualified,1.000000
2,c2,80.000000,qualified,1.000000
3,c3,70.000000,screened_out,1.000000
4,c4,60.000000,qualified,1.000000
5,c5,50.000000,qualified,1.000000
6,c6,,incomplete,0.000000
"""
GROUPS = """candidate_id,sex,race
c1,female,afam
c2,male,cauc
c3,female,cauc
c4,male,
c5,,afam
c9,female,asian
"""


def run(*args, cwd=None):
    return subprocess.run([MERIT, "audit", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "results.csv").write_text(RESULTS)
    (tmp_path / "groups.csv").write_text(GROUPS)
    return tmp_path


def audit_json(files, *extra):
    out = run("--results", "results.csv", "--groups", "groups.csv", "--json", *extra, cwd=files)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


def by_name(doc):
    return {(c["dimension"], c["name"]): c for c in doc["categories"]}


def test_top_k_with_intersections_unknowns_and_orphans(files):
    doc, err = audit_json(files, "--by", "sex,race", "--top", "2")
    assert doc["n"] == 6
    assert doc["unknown_by"] == {"sex": 2, "race": 2, "sex/race": 3}
    assert doc["unknown"] == 3
    assert doc["groups_without_results"] == 1
    assert "1 candidate ids in groups.csv have no result" in err
    cats = by_name(doc)
    # c9 (asian) is only in the groups file: listed, with no applicants.
    asian = cats[("race", "asian")]
    assert asian["applicants"] == 0 and asian["selection_rate"] is None and asian["fisher_p"] is None
    assert cats[("sex", "female")]["selected"] == 1 and cats[("sex", "female")]["applicants"] == 2
    assert cats[("sex/race", "female/afam")]["selection_rate"] == 1.0
    assert cats[("sex/race", "female/asian")]["applicants"] == 0
    # median of 90, 80, 70, 60, 50 (c6 has no fit) = 70
    assert doc["median_fit"] == 70.0
    assert cats[("sex", "female")]["scoring_rate"] == 0.5
    assert cats[("sex", "male")]["scoring_rate"] == 0.5
    assert [k for k in doc["categories"][0]][:15] == [
        "dimension", "name", "applicants", "selected", "selection_rate", "impact_ratio", "scored",
        "scoring_rate", "scoring_impact_ratio", "four_fifths_flag", "fisher_p", "odds_ratio", "z", "z_p",
        "small_category"]


def test_threshold_needs_qualified_status(files):
    doc, _ = audit_json(files, "--by", "race", "--threshold", "65")
    cats = by_name(doc)
    # c3 (cauc) has fit 70 but is screened out: not selected.
    assert cats[("race", "cauc")]["selected"] == 1
    assert cats[("race", "afam")]["selected"] == 1


def test_selected_column_from_groups_file(files):
    (files / "groups.csv").write_text("candidate_id,sex,hired\nc1,female,true\nc2,male,FALSE\nc3,female,0\n")
    doc, _ = audit_json(files, "--by", "sex", "--selected-column", "hired")
    cats = by_name(doc)
    assert cats[("sex", "female")]["selected"] == 1
    assert cats[("sex", "male")]["selected"] == 0
    assert doc["unknown"] == 3


def test_everyone_and_nobody_selected(files):
    doc, _ = audit_json(files, "--by", "sex", "--top", "100")
    cats = by_name(doc)
    # every qualified candidate is selected; c3 (female, screened out) and
    # c6 (incomplete, no groups row) are not, although ranked within 100
    assert cats[("sex", "female")]["selected"] == 1 and cats[("sex", "female")]["applicants"] == 2
    assert cats[("sex", "male")]["selection_rate"] == 1.0 and cats[("sex", "male")]["reference"]
    assert cats[("sex", "female")]["impact_ratio"] == 0.5 and cats[("sex", "female")]["four_fifths_flag"]
    assert doc["selection"] == {"method": "top", "k": 100, "rule": "rank <= k and status qualified",
                                "in_top_k": 6, "not_qualified": 2, "selected": 4}
    (files / "results.csv").write_text(RESULTS.replace("screened_out", "qualified").replace("incomplete", "qualified"))
    doc, _ = audit_json(files, "--by", "sex", "--top", "100")
    for c in doc["categories"]:
        assert c["selection_rate"] == 1.0 and c["impact_ratio"] == 1.0 and not c["four_fifths_flag"]
    doc, _ = audit_json(files, "--by", "sex", "--top", "0")
    for c in doc["categories"]:
        assert c["selection_rate"] == 0.0 and c["impact_ratio"] is None and not c["four_fifths_flag"]


def test_results_without_fit_column(files):
    (files / "results.csv").write_text("candidate_id,call\nc1,yes\nc2,no\nc3,no\n")
    doc, _ = audit_json(files, "--by", "sex", "--selected-column", "call")
    assert doc["median_fit"] is None
    assert all(c["scoring_rate"] is None and c["scoring_impact_ratio"] is None for c in doc["categories"])


def test_table_and_out_file(files):
    out = run("--results", "results.csv", "--groups", "groups.csv", "--by", "sex", "--top", "2",
              "--out", "audit.txt", cwd=files)
    assert out.returncode == 0, out.stderr
    text = (files / "audit.txt").read_text()
    assert text.startswith("adverse-impact audit: 6 applicants, selected by top 2 (rank <= K and qualified), "
                           "median fit 70.000000\nselected: 2\n")
    assert "* female" in text or "* male" in text
    assert [p.name for p in files.iterdir() if p.name.startswith(".")] == []


def test_top_k_with_fewer_qualified_says_so(files):
    # ranked by fit alone: ranks 1..4 hold c3 (screened out) and c4
    out = run("--results", "results.csv", "--groups", "groups.csv", "--by", "sex", "--top", "4", cwd=files)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[:2] == [
        "adverse-impact audit: 6 applicants, selected by top 4 (rank <= K and qualified), median fit 70.000000",
        "selected: 3, fewer than 4: ranks 1..4 hold 4 candidates, 1 of them not qualified"]
    doc, _ = audit_json(files, "--by", "sex", "--top", "4")
    assert doc["selection"]["selected"] == 3 and doc["selection"]["not_qualified"] == 1


@pytest.mark.parametrize("args, results, groups, message", [
    (["--by", "sex", "--top", "2"], "candidate_id,fit\nc1,1\n", None,
     "merit audit: error: results.csv:1:1: missing column 'rank' needed by --top"),
    (["--by", "sex", "--threshold", "50"], "candidate_id,fit\nc1,1\n", None,
     "merit audit: error: results.csv:1:1: missing column 'status' needed by --threshold"),
    (["--by", "gender", "--top", "2"], None, None,
     "merit audit: error: groups.csv:1:1: unknown --by column 'gender'; columns are: candidate_id, sex, race"),
    (["--by", "sex", "--selected-column", "call"], "candidate_id,call\nc1,1\nc2,maybe\n", None,
     "merit audit: error: results.csv:3:4: --selected-column 'call' must be 0/1, true/false or yes/no, "
     "got 'maybe'"),
    (["--by", "sex", "--selected-column", "call"], "candidate_id,fit\nc1,1\n", None,
     "merit audit: error: groups.csv:1:1: missing column 'call' named by --selected-column "
     "(in neither the results nor the groups file)"),
    (["--by", "sex", "--top", "2"], "rank,candidate_id,fit\n1,c1,1\n", None,
     "merit audit: error: results.csv:1:1: missing column 'status' needed by --top "
     "(only qualified candidates are selected)"),
    (["--by", "sex", "--top", "1"], "rank,candidate_id,status\n1,c1,qualified\n2,c2,passed\n", None,
     "merit audit: error: results.csv:3:6: unknown status 'passed' "
     "(expected one of qualified, screened_out, incomplete)"),
    (["--by", "sex", "--threshold", "1"], "rank,candidate_id,fit,status\n1,c1,5,\n", None,
     "merit audit: error: results.csv:2:8: unknown status '' (expected one of qualified, screened_out, incomplete)"),
    (["--by", "sex", "--top", "1"], "rank,candidate_id,fit,status\n1,c1,9O.5,qualified\n", None,
     "merit audit: error: results.csv:2:6: fit '9O.5' is not a number"),
    (["--by", "sex", "--top", "1"], "rank,candidate_id,fit,status\n1,c1,90,qualified\n2,c1,80,qualified\n", None,
     "merit audit: error: results.csv:3:3: duplicate candidate_id 'c1' (first on line 2)"),
    (["--by", "sex", "--top", "1"], "rank,candidate_id,fit,status\n1,c1\n", None,
     "merit audit: error: results.csv:2:1: expected 4 fields, got 2"),
    (["--by", "sex", "--top", "1"], "rank,fit\n1,90\n", None,
     "merit audit: error: results.csv:1:1: missing column 'candidate_id' (needed to join the groups file)"),
    (["--by", "sex", "--top", "1"], "rank,candidate_id,status\nfirst,c1,qualified\n", None,
     "merit audit: error: results.csv:2:1: rank 'first' is not a whole number >= 1"),
    (["--by", "sex", "--top", "1"], None, "id,sex\nc1,female\n",
     "merit audit: error: groups.csv:1:1: missing column 'candidate_id' (the key that joins the results)"),
])
def test_exact_error_messages(files, args, results, groups, message):
    if results is not None:
        (files / "results.csv").write_text(results)
    if groups is not None:
        (files / "groups.csv").write_text(groups)
    out = run("--results", "results.csv", "--groups", "groups.csv", *args, cwd=files)
    assert out.returncode == 3
    assert out.stderr.strip() == message
    assert out.stdout == ""


@pytest.mark.parametrize("args, message", [
    (["--results", "r.csv", "--by", "sex"], "give exactly one of --selected-column, --top and --threshold"),
    (["--results", "r.csv", "--by", "sex", "--top", "1", "--threshold", "2"],
     "give exactly one of --selected-column, --top and --threshold"),
    (["--results", "r.csv", "--top", "1"], "missing required option --by"),
    (["--results", "r.csv", "--by", "sex,sex", "--top", "1"], "--by names column 'sex' twice"),
])
def test_usage_errors(args, message):
    out = run(*args)
    assert out.returncode == 2
    assert out.stderr.strip() == f"merit audit: {message} (see 'merit audit --help')"


def test_help():
    out = run("--help")
    assert out.returncode == 0
    assert out.stdout.startswith("usage: merit audit --results SCORED.csv")
