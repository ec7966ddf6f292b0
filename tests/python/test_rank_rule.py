"""The ranking rule from Python (docs/design.md): qualified first, then
incomplete, then screened_out, each by fit descending at 6 decimals; no fit
last; ties by id. The reference here is pandas' own sort on those columns."""

from __future__ import annotations

import pathlib

import numpy as np
import pandas as pd
import pytest

import merit
from merit import _core

from conftest import POOL_PATH, random_scores

TIER = {"qualified": 0, "incomplete": 1, "screened_out": 2}


def pandas_order(ids: list[str], fit: np.ndarray, status: list[str]) -> list[int]:
    """The rule written with pandas: tier, printed fit descending, id bytes."""
    frame = pd.DataFrame({
        "tier": [3 if np.isnan(f) else TIER[s] for f, s in zip(fit, status)],
        "shown": [float(f"{f:.6f}") if not np.isnan(f) else 0.0 for f in fit],
        "id": [i.encode("utf-8") for i in ids],
        "at": np.arange(len(ids)),
    })
    ranked = frame.sort_values(["tier", "shown", "id", "at"], ascending=[True, False, True, True], kind="stable")
    return ranked["at"].tolist()


def test_rank_order_by_status_then_fit() -> None:
    ids = ["s100", "i100", "q50", "q90", "none", "q0"]
    fit = [100.0, 100.0, 50.0, 90.0, np.nan, 0.0]
    status = ["screened_out", "incomplete", "qualified", "qualified", "qualified", "qualified"]
    assert merit.rank_order(ids, fit, status).tolist() == [3, 2, 5, 1, 0, 4]
    assert pandas_order(ids, np.array(fit), status) == [3, 2, 5, 1, 0, 4]


def test_rank_order_matches_pandas_on_random_pools() -> None:
    rng = np.random.default_rng(14)
    for n in (1, 50, 20_000):
        ids = [f"C{k:05d}" for k in rng.permutation(n)]
        fit = rng.integers(0, 400, n) / 4.0 + rng.integers(0, 4, n) * 1e-7  # ties below the 6th decimal
        fit[rng.random(n) < 0.08] = np.nan
        status = [merit.STATUSES[k] for k in rng.integers(0, 3, n)]
        assert merit.rank_order(ids, fit, status).tolist() == pandas_order(ids, fit, status)


def test_score_ranks_by_the_rule(model: merit.Model, pool: pd.DataFrame) -> None:
    # Sorted by the rank column and renumbered: whatever order score returns its rows in.
    r = merit.score(model, "sales_enablement", pool).sort_values("rank").reset_index()
    assert r["rank"].tolist() == list(range(1, len(r) + 1))
    status = r["status"].astype(str).tolist()
    # Every qualified candidate before every other: the head is the selection.
    first_other = next(i for i, s in enumerate(status) if s != "qualified")
    assert set(status[:first_other]) == {"qualified"}
    assert "qualified" not in status[first_other:]
    want = pandas_order(r["candidate_id"].tolist(), r["fit"].to_numpy(), status)
    assert want == list(range(len(r)))
    # rank_order on the frame's own columns gives its rank order back.
    order = merit.rank_order(r["candidate_id"].tolist(), r["fit"].to_numpy(), r["status"])
    assert order.tolist() == list(range(len(r)))


def test_rank_order_needs_a_status_per_candidate() -> None:
    with pytest.raises(TypeError):
        merit.rank_order(["a", "b"], [1.0, 2.0])  # type: ignore[call-arg]
    with pytest.raises(ValueError) as e:
        merit.rank_order(["a", "b"], [1.0, 2.0], ["qualified"])
    assert str(e.value) == "status has 1 entries and fit 2: give one status per candidate"
    with pytest.raises(ValueError) as e:
        merit.rank_order(["a", "b"], [1.0, 2.0], ["qualified", "selected"])
    assert str(e.value) == "status[1] is 'selected', not one of qualified, screened_out, incomplete"


def test_core_checks_status_codes() -> None:
    ids = np.array(["a", "b"], dtype=object)
    with pytest.raises(ValueError) as e:
        _core.rank_order(ids, np.array([1.0, 2.0]), np.array([0, 7], dtype=np.int8))
    assert str(e.value) == "status[1] is 7, not a status code (0 qualified, 1 screened_out, 2 incomplete)"
    with pytest.raises(ValueError) as e:
        _core.rank_key(np.array([0], dtype=np.int8), np.array([1.0, 2.0]))
    assert str(e.value) == "status has 1 entries and fit 2: give one status per candidate"


def test_rank_key_orders_tiers_before_fits() -> None:
    k = _core.rank_key(np.array([0, 2, 1, 0], dtype=np.int8), np.array([0.0, 100.0, 100.0, np.nan]))
    assert k[0] > k[1] > k[2] > k[3]
    assert k[3] == np.iinfo(np.int64).min


def test_score_file_counts_qualified_rows_of_a_top_k(model: merit.Model, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "top.csv"
    s = merit.score_file(model, POOL_PATH, out, top=28)
    rows = pd.read_csv(out)
    assert len(rows) == 28
    assert s["qualified_in_top"] == int((rows["status"] == "qualified").sum())
    assert s["qualified_in_top"] < 28
    assert merit.score_file(model, POOL_PATH, tmp_path / "all.csv")["qualified_in_top"] is None


def test_rank_order_on_random_scores_follows_score(model: merit.Model) -> None:
    x = random_scores(model, 3000, seed=21, missing=0.3)  # many incomplete candidates
    ids = [f"c{i:04d}" for i in range(3000)]
    r = merit.score(model, "sales_enablement", x, ids=ids).sort_values("rank").reset_index()
    assert set(r["status"].astype(str)) == set(merit.STATUSES)
    assert pandas_order(r["candidate_id"].tolist(), r["fit"].to_numpy(), r["status"].astype(str).tolist()) == list(range(3000))
