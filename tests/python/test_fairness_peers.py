"""Cross-checks `merit audit` against scipy on random 2 x 2 tables:
Fisher's exact two-sided p, the conditional MLE odds ratio and the pooled
two-proportion z-test, each to 1e-9 relative.

Needs the merit binary in $MERIT_CLI; skipped without it or without scipy.
"""
import csv
import json
import math
import os
import random
import subprocess

import pytest

scipy_stats = pytest.importorskip("scipy.stats")
contingency = pytest.importorskip("scipy.stats.contingency")

MERIT = os.environ.get("MERIT_CLI")
pytestmark = pytest.mark.skipif(not MERIT, reason="set MERIT_CLI to the merit binary")

RTOL = 1e-9


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def audit_table(tmp_path, n_a, s_a, n_b, s_b):
    results = tmp_path / "results.csv"
    groups = tmp_path / "groups.csv"
    with open(results, "w", newline="") as r, open(groups, "w", newline="") as g:
        rw, gw = csv.writer(r), csv.writer(g)
        rw.writerow(["candidate_id", "hired"])
        gw.writerow(["candidate_id", "group"])
        i = 0
        for label, n, s in (("a", n_a, s_a), ("b", n_b, s_b)):
            for k in range(n):
                rw.writerow([f"c{i}", 1 if k < s else 0])
                gw.writerow([f"c{i}", label])
                i += 1
    out = subprocess.run(
        [MERIT, "audit", "--results", str(results), "--groups", str(groups),
         "--by", "group", "--selected-column", "hired", "--json"],
        check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def random_tables(count, seed=20240611):
    rng = random.Random(seed)
    for _ in range(count):
        n_a = rng.choice([rng.randint(1, 30), rng.randint(30, 400), rng.randint(400, 4000)])
        n_b = rng.choice([rng.randint(1, 30), rng.randint(30, 400), rng.randint(400, 4000)])
        p_a, p_b = rng.uniform(0.01, 0.7), rng.uniform(0.01, 0.7)
        s_a = sum(rng.random() < p_a for _ in range(n_a))
        s_b = sum(rng.random() < p_b for _ in range(n_b))
        yield n_a, s_a, n_b, s_b


def test_random_tables_against_scipy(tmp_path):
    worst = {"fisher_p": 0.0, "odds_ratio": 0.0, "z": 0.0, "z_p": 0.0}
    checked = 0
    for n_a, s_a, n_b, s_b in random_tables(60):
        got = audit_table(tmp_path, n_a, s_a, n_b, s_b)
        cats = {c["name"]: c for c in got["categories"]}
        focal = next(c for c in got["categories"] if not c["reference"])
        ref = next(c for c in got["categories"] if c["reference"])
        x1, n1, x2, n2 = focal["selected"], focal["applicants"], ref["selected"], ref["applicants"]
        assert cats["a"]["applicants"] == n_a and cats["b"]["applicants"] == n_b
        table = [[x1, n1 - x1], [x2, n2 - x2]]

        p = scipy_stats.fisher_exact(table).pvalue
        worst["fisher_p"] = max(worst["fisher_p"], rel(focal["fisher_p"], p))
        assert focal["fisher_p"] == pytest.approx(p, rel=RTOL, abs=0), table

        odds = contingency.odds_ratio(table, kind="conditional").statistic
        if math.isfinite(odds) and odds > 0:
            worst["odds_ratio"] = max(worst["odds_ratio"], rel(focal["odds_ratio"], odds))
            assert focal["odds_ratio"] == pytest.approx(odds, rel=RTOL), table

        pooled = (x1 + x2) / (n1 + n2)
        if 0 < pooled < 1:
            z = (x1 / n1 - x2 / n2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            zp = 2 * scipy_stats.norm.sf(abs(z))
            worst["z"] = max(worst["z"], rel(focal["z"], z) if z != 0 else abs(focal["z"]))
            worst["z_p"] = max(worst["z_p"], rel(focal["z_p"], zp))
            assert focal["z"] == pytest.approx(z, rel=RTOL, abs=1e-12), table
            assert focal["z_p"] == pytest.approx(zp, rel=RTOL), table
        checked += 1
    print(f"\n{checked} random tables; max relative differences to scipy: "
          + ", ".join(f"{k} {v:.3g}" for k, v in worst.items()))
    assert checked == 60


def test_resume_experiment_against_scipy():
    shared = os.environ.get("MERIT_SHARED_DIR",
                            os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared"))
    data = os.path.join(shared, "data", "fairness", "resume_names.csv")
    if not os.path.exists(data):
        pytest.skip("shared data not found; set MERIT_SHARED_DIR")
    out = subprocess.run([MERIT, "audit", "--results", data, "--selected-column", "call",
                          "--by", "ethnicity", "--json"], check=True, capture_output=True, text=True)
    afam = next(c for c in json.loads(out.stdout)["categories"] if c["name"] == "afam")
    table = [[157, 2278], [235, 2200]]
    assert afam["fisher_p"] == pytest.approx(scipy_stats.fisher_exact(table).pvalue, rel=RTOL)
    assert afam["odds_ratio"] == pytest.approx(
        contingency.odds_ratio(table, kind="conditional").statistic, rel=RTOL)
