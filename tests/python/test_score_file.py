"""merit.score_file: a pool file streamed by the library's pool layer writes the
same bytes as `merit score` (MERIT_CLI: the path of the merit binary)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import threading

import pytest

import merit

from conftest import MODEL_PATH, POOL_PATH, ROOT

CLI = os.environ.get("MERIT_CLI")
EVIDENCE = ROOT / "examples" / "evidence_long.csv"


def cli(tmp_path: pathlib.Path, *args: str) -> bytes:
    out = tmp_path / "cli.out"
    subprocess.run([CLI, "score", "--model", str(MODEL_PATH), *args, "--out", str(out), "--quiet"],
                   check=False, capture_output=True)
    return out.read_bytes()


@pytest.mark.skipif(not CLI, reason="MERIT_CLI (path of the merit binary) is not set")
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize(
    "source,kwargs,flags",
    [
        ("pool", {}, []),
        ("pool", {"explain": True, "top": 5}, ["--explain", "--top", "5"]),
        ("pool", {"reliability": 0.8}, ["--reliability", "0.8"]),
        ("pool", {"output_format": "jsonl"}, ["--output-format", "jsonl"]),
        ("evidence", {"evidence": True}, []),
        ("evidence", {"evidence": True, "reliability": 0.8, "explain": True}, ["--reliability", "0.8", "--explain"]),
    ],
)
def test_same_bytes_as_the_cli(model: merit.Model, tmp_path: pathlib.Path, threads: int, source: str,
                               kwargs: dict, flags: list[str]) -> None:
    path = POOL_PATH if source == "pool" else EVIDENCE
    out = tmp_path / "lib.out"
    summary = merit.score_file(model, path, out, threads=threads, **kwargs)
    option = "--candidates" if source == "pool" else "--evidence"
    assert out.read_bytes() == cli(tmp_path, option, str(path), "--threads", str(threads), *flags)
    assert summary["scored"] == 31
    assert summary["rejected"] == 0


def test_summary_rejects_and_errors(tmp_path: pathlib.Path) -> None:
    mini = merit.load_model(ROOT / "tests" / "data" / "models" / "mini.json")
    bad = tmp_path / "bad.csv"
    bad.write_text("candidate_id,alpha,beta,gamma\nC1,4,3,5\nC2,4,x,5\nC1,1,1,1\n")
    out = tmp_path / "out.csv"
    with pytest.raises(merit.InputError) as e:
        merit.score_file(mini, bad, out, threads=1)
    assert e.value.location == f"{bad}:3:6"
    assert e.value.detail == "non-numeric value 'x' for competency 'beta'"
    assert not out.exists()
    s = merit.score_file(mini, bad, out, threads=2, rejects=tmp_path / "rej.csv")
    assert s["rows_read"] == 3 and s["scored"] == 1 and s["rejected"] == 2
    assert s["rejected_by_kind"] == {"cast_error": 1, "duplicate_id": 1}
    assert (tmp_path / "rej.csv").read_text() == (
        "line,column,code,reason\n3,6,value,non-numeric value 'x' for competency 'beta'\n"
        "4,1,duplicate,duplicate candidate id 'C1' (first at line 2)\n")
    with pytest.raises(merit.MeritError) as e:
        merit.score_file(mini, bad, out, top=0)
    assert e.value.location == "/top"
    assert e.value.detail == "must be a whole number from 1 to 1000000000000"


def test_outputs_never_replace_inputs_or_logs(model: merit.Model, tmp_path: pathlib.Path) -> None:
    """The library refuses, before any work, an output that is the input or
    another output, and an existing decision log (the CLI's messages)."""
    pool = tmp_path / "pool.csv"
    pool.write_bytes(POOL_PATH.read_bytes())
    with pytest.raises(merit.MeritError) as e:
        merit.score_file(model, pool, pool)
    assert (e.value.code, e.value.detail) == (
        "invalid_argument",
        f"output '{pool}' is the same file as input '{pool}': writing it would destroy the input; choose another path")
    assert pool.read_bytes() == POOL_PATH.read_bytes()
    out = tmp_path / "out.csv"
    with pytest.raises(merit.MeritError) as e:
        merit.score_file(model, pool, out, rejects=f"{tmp_path}/./out.csv")  # another spelling of out
    assert e.value.detail == (f"rejects file '{tmp_path}/./out.csv' is the same file as output '{out}': one would "
                              "overwrite the other; give each its own path")
    assert not out.exists()
    log = tmp_path / "decisions.jsonl"
    merit.score_file(model, pool, out, audit_log=log)
    first = log.read_bytes()
    with pytest.raises(merit.MeritError) as e:
        merit.score_file(model, pool, tmp_path / "again.csv", audit_log=log)
    assert e.value.detail == (f"audit log '{log}' already exists; a decision log is never replaced silently: give a "
                              "new path, or allow replacing it (overwrite_log, merit score --overwrite-log)")
    assert log.read_bytes() == first and not (tmp_path / "again.csv").exists()
    merit.score_file(model, pool, tmp_path / "again.csv", audit_log=log, overwrite_log=True)
    assert (tmp_path / "again.csv").exists() and log.read_bytes().count(b"\n") == first.count(b"\n")


def test_progress_cancels_and_releases_the_gil(model: merit.Model, tmp_path: pathlib.Path) -> None:
    seen: list[int] = []
    out = tmp_path / "out.csv"
    merit.score_file(model, POOL_PATH, out, threads=2, progress=lambda rows, size, total: seen.append(rows) or True)
    assert seen and seen[-1] == 31
    out.unlink()
    with pytest.raises(merit.MeritError) as e:
        merit.score_file(model, POOL_PATH, out, progress=lambda rows, size, total: False)
    assert e.value.code == "interrupted"
    assert not out.exists()

    def boom(rows: int, size: int, total: int | None) -> bool:
        raise KeyError("from the callback")

    with pytest.raises(KeyError):
        merit.score_file(model, POOL_PATH, out, progress=boom)
    # Other Python threads run while a file is scored.
    ticks = []
    t = threading.Thread(target=lambda: ticks.append(1))
    t.start()
    merit.score_file(model, POOL_PATH, out, threads=1)
    t.join()
    assert ticks == [1]
