"""Scoring releases the GIL: Python threads score concurrently and agree."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

import merit
from merit import _core

from conftest import PROFILES, random_scores


def test_threads_score_concurrently_with_the_same_results(model: merit.Model) -> None:
    pools = [random_scores(model, 20_000, seed=s) for s in range(6)]
    jobs = [(PROFILES[i % 3], pools[i]) for i in range(6)]
    expected = [merit.score(model, p, x, explain=True) for p, x in jobs]
    with ThreadPoolExecutor(max_workers=4) as ex:
        for _ in range(2):
            got = list(ex.map(lambda job: merit.score(model, job[0], job[1], explain=True), jobs))
            for a, b in zip(got, expected):
                pd.testing.assert_frame_equal(a, b)


def test_the_gil_is_released_while_scoring(model: merit.Model) -> None:
    """While one thread is inside the core, another keeps running Python.

    With the GIL held for the whole call, the main thread could not run
    during it and its heartbeats would show one gap as long as the call.
    """
    plan = merit.compile(model, "sales_enablement")
    x = random_scores(model, 400_000, seed=2)
    ids = _core.row_ids(x.shape[0])
    window: list[float] = []

    def work() -> None:
        start = time.perf_counter()
        for _ in range(3):
            fit, _, status, _, _ = _core.evaluate(plan, x, True, True)
            _core.rank_order(ids, fit, status)
        window.extend([start, time.perf_counter()])

    beats: list[float] = []
    worker = threading.Thread(target=work)
    worker.start()
    while worker.is_alive():
        beats.append(time.perf_counter())
        time.sleep(0.001)
    worker.join()
    start, end = window
    inside = np.array([b for b in beats if start <= b <= end])
    assert end - start > 0.1, "the call must be long enough to observe"
    gaps = np.diff(np.concatenate([[start], inside, [end]]))
    assert gaps.max() < 0.5 * (end - start)
