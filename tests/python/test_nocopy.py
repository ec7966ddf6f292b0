"""Conforming input is read in place; other input is converted exactly once.

numpy reports its buffers to tracemalloc, so a copy of the input would show
up in the traced peak as an allocation of the input's size.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import merit
from merit import _core

from conftest import random_scores, synthetic_model_json

N = 20_000  # 20,000 x 200 float64 = 32 MB of input: rows much wider than merit's per-candidate output


def traced_peak(fn: object) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def model() -> merit.Model:
    return merit.parse_model(synthetic_model_json(200), "synthetic")


@pytest.fixture(scope="module")
def scores(model: merit.Model) -> np.ndarray:
    x = random_scores(model, N, seed=21)
    assert x.flags.c_contiguous and x.dtype == np.float64
    return x


def test_core_reads_conforming_input_in_place(model: merit.Model, scores: np.ndarray) -> None:
    plan = merit.compile(model, "role")
    peak = traced_peak(lambda: _core.evaluate(plan, scores))
    # Outputs: fit and coverage (8 bytes) and status (1 byte) per candidate.
    assert peak < 20 * N < scores.nbytes / 50


def test_score_reads_conforming_input_in_place(model: merit.Model, scores: np.ndarray) -> None:
    peak = traced_peak(lambda: merit.score(model, "role", scores))
    # Everything merit.score allocates (ids, rank, the result frame) is a few
    # hundred bytes per candidate, a small part of a 1,600-byte row.
    assert peak < scores.nbytes / 4


def test_row_slices_are_read_in_place(model: merit.Model, scores: np.ndarray) -> None:
    plan = merit.compile(model, "role")
    half = scores[::2]
    peak = traced_peak(lambda: _core.evaluate(plan, half))
    assert peak < half.nbytes / 50


def test_non_conforming_input_is_converted_once(model: merit.Model, scores: np.ndarray) -> None:
    fortran = np.asfortranarray(scores)
    single = scores.astype(np.float32)
    for other in (fortran, single):
        peak = traced_peak(lambda: merit.score(model, "role", other))
        assert scores.nbytes <= peak < 1.25 * scores.nbytes


def test_float64_frame_is_read_in_place(model: merit.Model, scores: np.ndarray) -> None:
    import pandas as pd

    # A DataFrame's float64 columns go to the core one by one, read in place:
    # no #candidates x #model competencies matrix is laid out (issue 13).
    frame = pd.DataFrame(scores, columns=model.competency_ids)
    peak = traced_peak(lambda: merit.score(model, "role", frame))
    assert peak < scores.nbytes / 4


def test_other_frame_columns_are_converted_once(model: merit.Model, scores: np.ndarray) -> None:
    import pandas as pd

    frame = pd.DataFrame(scores.astype(np.float32), columns=model.competency_ids)
    peak = traced_peak(lambda: merit.score(model, "role", frame))
    assert scores.nbytes <= peak < 1.25 * scores.nbytes
