"""The role answer (docs/roles.md): merit.roles against an independent numpy
transcription of the rule, and against the CLI's `merit roles` lines."""

from __future__ import annotations

import json
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import merit

from conftest import MODEL_PATH, POOL_PATH, ROOT


def reference_answer(doc: dict, x: np.ndarray, se: np.ndarray | None = None) -> tuple[str | None, float]:
    """The rule of docs/roles.md written again from the text, in numpy."""
    ra = doc["role_answer"]
    sem, z = ra["sem"]["value"], ra["z"]["value"]
    ids = [c["id"] for c in doc["competencies"]]
    targeted = sorted({ids.index(c) for p in doc["profiles"] for c in p["targets"]})
    shapes = {}
    for p in doc["profiles"]:
        t = np.ones(len(ids))
        for c, spec in p["targets"].items():
            t[ids.index(c)] = spec["target"]
        t = t[targeted]
        if t.max() - t.min() >= 0.5:
            shapes[p["id"]] = t
    x = x[targeted]
    err = np.full(len(targeted), sem) if se is None else np.fmax(np.nan_to_num(se[targeted], nan=0.0), sem)
    seen = ~np.isnan(x)
    if seen.sum() < 3:
        return None, math.nan
    d = x[seen] - x[seen].mean()
    e = err[seen]
    units, score = {}, {}
    for pid, t in shapes.items():
        s = t[seen] - t[seen].mean()
        if np.linalg.norm(s) > 1e-9:
            units[pid] = s / np.linalg.norm(s)
            score[pid] = float(d @ units[pid])
    ranked = sorted(score, key=lambda p: -score[p])
    best, nxt = ranked[0], ranked[1]
    margin = (score[best] - score[nxt]) / math.sqrt(float(((units[best] - units[nxt]) ** 2 * e**2).sum()))
    from_zero = score[best] / math.sqrt(float((units[best] ** 2 * e**2).sum()))
    return (best if margin > z and from_zero > z else None), margin


@pytest.fixture(scope="module")
def doc() -> dict:
    return json.loads(MODEL_PATH.read_text(encoding="utf-8"))


def test_roles_match_an_independent_transcription(model: merit.Model, pool: pd.DataFrame, doc: dict) -> None:
    got = merit.roles(model, pool)
    assert list(got.columns) == ["best_profile", "margin", "fits", "profiles", "reason"]
    assert got.index.name == "candidate_id" and list(got.index) == list(pool.index)
    x = pool.reindex(columns=model.competency_ids).to_numpy(dtype=np.float64)
    for i, (cid, row) in enumerate(got.iterrows()):
        best, margin = reference_answer(doc, x[i])
        assert row["best_profile"] == best, cid
        assert row["margin"] == pytest.approx(margin, abs=1e-12), cid


def test_roles_use_the_evidence_errors_floored_at_the_sem(model: merit.Model, pool: pd.DataFrame, doc: dict) -> None:
    x = pool.reindex(columns=model.competency_ids).to_numpy(dtype=np.float64)
    rng = np.random.default_rng(3)
    se = rng.uniform(0.0, 1.2, size=x.shape)
    got = merit.roles(model, x, ids=list(pool.index), se=se)
    for i in range(len(x)):
        best, margin = reference_answer(doc, x[i], se[i])
        assert got["best_profile"].iloc[i] == best
        assert got["margin"].iloc[i] == pytest.approx(margin, abs=1e-12)


def test_roles_equal_the_cli_lines(model: merit.Model, pool: pd.DataFrame) -> None:
    cli = os.environ.get("MERIT_CLI", str(ROOT / "build" / "merit"))
    out = subprocess.run([cli, "roles", "--model", str(MODEL_PATH), "--candidates", str(POOL_PATH)],
                         check=True, capture_output=True, text=True).stdout
    lines = [json.loads(line) for line in out.splitlines()]
    got = merit.roles(model, pool)
    assert [r["candidate_id"] for r in lines] == list(got.index)
    for r, (_, row) in zip(lines, got.iterrows()):
        assert r["best_profile"] == row["best_profile"]
        assert r["fits"] == row["fits"]
        assert r["reason"] == row["reason"]
        assert r["profiles"] == row["profiles"]
        assert (r["margin"] is None and math.isnan(row["margin"])) or r["margin"] == row["margin"]


def test_flat_candidates_show_no_role(model: merit.Model) -> None:
    x = np.vstack([np.full(len(model.competency_ids), level) for level in (1.0, 3.0, 5.0)])
    got = merit.roles(model, x)
    assert got["best_profile"].isna().all()
    assert (got["margin"] == 0).all()
    assert got["fits"].iloc[2] == ["sales_enablement", "sales_operations", "head_of_sales_enablement",
                              "vp_sales_enablement_and_operations"]
