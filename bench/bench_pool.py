"""Pool-scale scoring: merit against pandas, polars and DuckDB (issues 5 and 13).

    bench/run.sh [--quick]            # venv, release build, data, every contender, the table
    python bench/bench_pool.py all --merit build/merit --floor build/bench_floor [--scale 1.0] [--rounds 5]

Workloads (fixed seed, written to bench/data/, git-ignored):
- wide:   1,000,000 candidates x 12 competencies, levels 1..5 in half steps, ~2% empty;
- long:   100,000 candidates x 12 competencies x (3 interview ratings 1-5 + 1 work
          sample 0-100), ~2% of rows dropped: ~4.7 million rows, grouped by candidate;
- memory: 10,000,000 wide candidates, --top 100.
Every contender computes the attainment fit with hurdles, coverage, status and
the ranking (fit rounded to 6 decimals descending, ties by id), file in to ranked CSV
out. Each runs as its own process, every contender once per round, --rounds rounds
(interleaved, round-robin). Whole = wall clock of the process; engine = the time the
process spends after its imports (peers: printed by the process itself; merit: whole
minus the median of the same command on a one-row pool); peak RSS from
/usr/bin/time. Peers run at --threads threads (DuckDB SET threads, POLARS_MAX_THREADS,
pyarrow set_cpu_count, OMP/OpenBLAS env). The floor rows (bench_floor.cpp) read the
input, count its newlines and commas with memchr, and write merit's output bytes.
Outputs are checked against merit's 1-thread output: same ids in the same order,
identical statuses, fit and coverage within 1e-6 ("bytes = merit" when identical).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
C = 12
LEVELS = 5
COMPS = [f"c{k:02d}" for k in range(C)]
TARGET = {c: 3 + k % 3 for k, c in enumerate(COMPS)}
WEIGHT = {c: 1 + k % 4 for k, c in enumerate(COMPS)}
MINIMUM = {c: 2 for k, c in enumerate(COMPS) if k % 5 == 0}
MIN_COVERAGE = 0.8
EVIDENCE = {"interview": 2.0, "work_sample": 1.0}  # evidence-matrix weight of each method, every competency


def model_json() -> dict:
    anchors = [{"level": lv, "en": f"level {lv}"} for lv in range(1, LEVELS + 1)]
    return {
        "format": "merit.competency-model/1", "id": "bench", "version": "1", "name": {"en": "Bench"},
        "scale": {"levels": LEVELS}, "clusters": [{"id": "all", "name": {"en": "All"}}],
        "competencies": [{"id": c, "cluster": "all", "name": {"en": c}, "definition": {"en": c},
                          "ownership": "primary", "source": {"quote": c}, "levels": anchors} for c in COMPS],
        "methods": [{"id": "interview", "name": {"en": "Interview"}, "scale": {"type": "numeric", "min": 1, "max": 5}},
                    {"id": "work_sample", "name": {"en": "Work sample"},
                     "scale": {"type": "numeric", "min": 0, "max": 100}}],
        "evidence_matrix": {m: {c: w for c in COMPS} for m, w in EVIDENCE.items()},
        "profiles": [{"id": "role", "name": {"en": "Role"}, "fit_model": "attainment", "min_coverage": MIN_COVERAGE,
                      "targets": {c: {"target": TARGET[c], "weight": WEIGHT[c],
                                      **({"minimum": MINIMUM[c]} if c in MINIMUM else {})} for c in COMPS}}],
    }


# ---- data ---------------------------------------------------------------------------

def gen_wide(path: str, n: int, seed: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv
    rng = np.random.default_rng(seed)
    ids = rng.permutation(n)
    chunk = 1_000_000
    with pcsv.CSVWriter(path, pa.schema([("candidate_id", pa.string())] + [(c, pa.float64()) for c in COMPS]),
                        write_options=pcsv.WriteOptions(quoting_style="none")) as w:
        for s in range(0, n, chunk):
            m = min(chunk, n - s)
            cols = [pa.array(np.char.add("C", np.char.zfill(ids[s:s + m].astype(str), 8)))]
            for _ in COMPS:
                v = rng.integers(2, 11, m) / 2.0
                cols.append(pa.array(v, mask=rng.random(m) < 0.02))
            w.write_table(pa.table(cols, names=["candidate_id"] + COMPS))


def gen_long(path: str, n: int, seed: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pcsv
    rng = np.random.default_rng(seed)
    ids = np.char.add("C", np.char.zfill(rng.permutation(n).astype(str), 8))
    per = C * 4  # rows per candidate: 3 interviews + 1 work sample per competency
    cand = np.repeat(ids, per)
    comp = np.tile(np.repeat(np.array(COMPS), 4), n)
    method = np.tile(np.array(["interview"] * 3 + ["work_sample"]), n * C)
    first = rng.integers(0, 200, n)  # three distinct interviewers per candidate
    raters = np.stack([first, (first + rng.integers(1, 100, n)) % 200, (first + rng.integers(100, 200, n)) % 200], axis=1)
    rater = np.empty(n * per, dtype=object)
    rater_ids = np.char.add("r", raters.astype(str))
    rater[:] = np.tile(np.array(["ws"] * 4, dtype=object), n * C)
    idx = np.arange(n * per).reshape(n, C, 4)
    for k in range(3):
        rater[idx[:, :, k].ravel()] = np.repeat(rater_ids[:, k], C)
    value = np.where(method == "interview", rng.integers(1, 6, n * per), rng.integers(0, 101, n * per))
    keep = rng.random(n * per) >= 0.02
    t = pa.table({"candidate_id": cand[keep], "competency_id": comp[keep], "method": method[keep],
                  "rater": pa.array(rater[keep].astype(str)), "value": value[keep]})
    pcsv.write_csv(t, path, write_options=pcsv.WriteOptions(quoting_style="none"))


# ---- contenders -----------------------------------------------------------------------

def np_attainment(x):
    """Attainment (docs/design.md): fit, coverage, status (0 qualified, 1 screened_out, 2 incomplete)."""
    import numpy as np
    w = np.array([WEIGHT[c] for c in COMPS], float)
    w /= w.sum()
    tn = (np.array([TARGET[c] for c in COMPS], float) - 1) / (LEVELS - 1)
    mins = np.array([MINIMUM.get(c, np.nan) for c in COMPS])
    obs = ~np.isnan(x)
    xn = (x - 1) / (LEVELS - 1)
    ow = np.where(obs, w, 0.0)
    sum_w, sum_wt = ow.sum(axis=1), ow @ tn
    num = np.where(obs, w * np.minimum(xn, tn), 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        fit = np.where(sum_w > 0, np.where(sum_wt > 0, 100 * num / sum_wt, 100.0), np.nan)
    coverage = sum_wt / (w @ tn)
    has_min = ~np.isnan(mins)
    failed = (obs & has_min & (x < mins)).any(axis=1)
    missing = (~obs & has_min).any(axis=1)
    status = np.where(missing | (coverage < MIN_COVERAGE - 1e-12) | np.isnan(fit), 2, np.where(failed, 1, 0))
    return fit, coverage, status


STATUS = ["qualified", "screened_out", "incomplete"]


def run_pandas(kind: str, src: str, out: str, top: int | None, threads: int) -> float:
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv  # noqa: F401  (read_csv(engine="pyarrow") imports it; not part of the engine time)
    pa.set_cpu_count(threads)
    pa.set_io_thread_count(threads)
    t0 = time.perf_counter()
    if kind == "long":
        ev = pd.read_csv(src, engine="pyarrow", dtype={"candidate_id": str, "rater": str})
        scale = {"interview": (1.0, 5.0), "work_sample": (0.0, 100.0)}
        lo = ev["method"].map({m: s[0] for m, s in scale.items()})
        hi = ev["method"].map({m: s[1] for m, s in scale.items()})
        ev["level"] = 1 + (ev["value"] - lo) / (hi - lo) * (LEVELS - 1)
        cell = ev.groupby(["candidate_id", "competency_id", "method"], sort=False)["level"].mean().reset_index()
        cell["w"] = cell["method"].map(EVIDENCE)
        cell["wl"] = cell["w"] * cell["level"]
        comp = cell.groupby(["candidate_id", "competency_id"], sort=False)[["wl", "w"]].sum()
        score = (comp["wl"] / comp["w"]).unstack("competency_id").reindex(columns=COMPS)
        ids, x = score.index.to_numpy(), score.to_numpy()
    else:
        df = pd.read_csv(src, engine="pyarrow", dtype={"candidate_id": str})
        ids, x = df["candidate_id"].to_numpy(), df[COMPS].to_numpy(dtype=float)
    fit, coverage, status = np_attainment(x)
    res = pd.DataFrame({"candidate_id": ids, "fit": fit, "status": np.array(STATUS)[status], "coverage": coverage,
                        "key": np.round(fit, 6)})
    res = res.sort_values(["key", "candidate_id"], ascending=[False, True], na_position="last", kind="stable")
    if top:
        res = res.head(top)
    res.insert(0, "rank", np.arange(1, len(res) + 1))
    res.drop(columns="key").to_csv(out, index=False, float_format="%.6f")
    return t0


def polars_fit_exprs():
    import polars as pl
    w = {c: WEIGHT[c] / sum(WEIGHT.values()) for c in COMPS}
    tn = {c: (TARGET[c] - 1) / (LEVELS - 1) for c in COMPS}
    full = sum(w[c] * tn[c] for c in COMPS)
    obs = {c: pl.col(c).is_not_null() for c in COMPS}
    sum_w = pl.sum_horizontal([pl.when(obs[c]).then(w[c]).otherwise(0.0) for c in COMPS])
    sum_wt = pl.sum_horizontal([pl.when(obs[c]).then(w[c] * tn[c]).otherwise(0.0) for c in COMPS])
    num = pl.sum_horizontal([pl.when(obs[c]).then(w[c] * pl.min_horizontal((pl.col(c) - 1) / (LEVELS - 1), pl.lit(tn[c])))
                             .otherwise(0.0) for c in COMPS])
    fit = pl.when(sum_w > 0).then(pl.when(sum_wt > 0).then(100 * num / sum_wt).otherwise(100.0))
    coverage = sum_wt / full
    failed = pl.any_horizontal([(pl.col(c) < m).fill_null(False) for c, m in MINIMUM.items()])
    missing = pl.any_horizontal([pl.col(c).is_null() for c in MINIMUM])
    return fit, coverage, failed, missing


def run_polars(kind: str, src: str, out: str, top: int | None, threads: int) -> float:
    import polars as pl  # POLARS_MAX_THREADS is set by the driver, before the import
    if pl.thread_pool_size() != threads:
        raise SystemExit(f"polars runs {pl.thread_pool_size()} threads, not {threads}: set POLARS_MAX_THREADS")
    t0 = time.perf_counter()
    if kind == "long":
        lo = pl.when(pl.col("method") == "interview").then(1.0).otherwise(0.0)
        hi = pl.when(pl.col("method") == "interview").then(5.0).otherwise(100.0)
        wm = pl.when(pl.col("method") == "interview").then(EVIDENCE["interview"]).otherwise(EVIDENCE["work_sample"])
        lf = (pl.scan_csv(src, schema_overrides={"candidate_id": pl.String, "rater": pl.String})
              .with_columns(level=1 + (pl.col("value") - lo) / (hi - lo) * (LEVELS - 1))
              .group_by(["candidate_id", "competency_id", "method"]).agg(pl.col("level").mean())
              .with_columns(w=wm)
              .group_by(["candidate_id", "competency_id"])
              .agg(((pl.col("w") * pl.col("level")).sum() / pl.col("w").sum()).alias("score")))
        df = lf.collect().pivot(on="competency_id", index="candidate_id", values="score")
        for c in COMPS:
            if c not in df.columns:
                df = df.with_columns(pl.lit(None, pl.Float64).alias(c))
        lf = df.lazy()
    else:
        lf = pl.scan_csv(src, schema_overrides={"candidate_id": pl.String, **{c: pl.Float64 for c in COMPS}})
    fit, coverage, failed, missing = polars_fit_exprs()
    res = (lf.with_columns(fit=fit, coverage=coverage, failed=failed, missing=missing)
           .with_columns(status=pl.when(pl.col("missing") | (pl.col("coverage") < MIN_COVERAGE - 1e-12)
                                        | pl.col("fit").is_null()).then(pl.lit("incomplete"))
                         .when(pl.col("failed")).then(pl.lit("screened_out")).otherwise(pl.lit("qualified")),
                         key=pl.col("fit").round(6))
           .sort(["key", "candidate_id"], descending=[True, False], nulls_last=True)
           .select("candidate_id", "fit", "status", "coverage"))
    if top:
        res = res.head(top)
    res.with_row_index("rank", offset=1).collect().write_csv(out, float_precision=6)
    return t0


def duckdb_sql(kind: str, src: str, out: str, top: int | None) -> str:
    w = {c: WEIGHT[c] / sum(WEIGHT.values()) for c in COMPS}
    tn = {c: (TARGET[c] - 1) / (LEVELS - 1) for c in COMPS}
    full = sum(w[c] * tn[c] for c in COMPS)
    if kind == "long":
        pivot = ", ".join(f"max(score) FILTER (WHERE competency_id = '{c}') AS {c}" for c in COMPS)
        source = f"""
        ev AS (SELECT candidate_id, competency_id, method,
                      CASE method WHEN 'interview' THEN 1 + (value - 1) / 4.0 * {LEVELS - 1}
                                  ELSE 1 + value / 100.0 * {LEVELS - 1} END AS level
               FROM read_csv('{src}', header = true, types = {{'candidate_id': 'VARCHAR', 'rater': 'VARCHAR', 'value': 'DOUBLE'}})),
        cell AS (SELECT candidate_id, competency_id, method, avg(level) AS level,
                        CASE method WHEN 'interview' THEN {EVIDENCE['interview']} ELSE {EVIDENCE['work_sample']} END AS w
                 FROM ev GROUP BY ALL),
        comp AS (SELECT candidate_id, competency_id, sum(w * level) / sum(w) AS score FROM cell GROUP BY ALL),
        x AS (SELECT candidate_id, {pivot} FROM comp GROUP BY candidate_id)"""
    else:
        types = ", ".join([f"'{c}': 'DOUBLE'" for c in COMPS])
        source = f"x AS (SELECT * FROM read_csv('{src}', header = true, types = {{'candidate_id': 'VARCHAR', {types}}}))"
    sw = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE {w[c]!r} END)" for c in COMPS)
    swt = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE {w[c] * tn[c]!r} END)" for c in COMPS)
    # least() skips NULLs in DuckDB, so the unobserved case is spelled out.
    num = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE {w[c]!r} * least(({c} - 1) / {LEVELS - 1}.0, {tn[c]!r}) END)"
                     for c in COMPS)
    failed = " OR ".join(f"coalesce({c} < {m}, false)" for c, m in MINIMUM.items())
    missing = " OR ".join(f"{c} IS NULL" for c in MINIMUM)
    limit = f"LIMIT {top}" if top else ""
    return f"""
    COPY (
      WITH {source},
      s AS (SELECT candidate_id, {sw} AS sw, {swt} AS swt, {num} AS num, ({failed}) AS failed, ({missing}) AS missing FROM x),
      f AS (SELECT candidate_id, CASE WHEN sw > 0 THEN CASE WHEN swt > 0 THEN 100 * num / swt ELSE 100 END END AS fit,
                   swt / {full!r} AS coverage, failed, missing FROM s)
      SELECT row_number() OVER (ORDER BY round(fit, 6) DESC NULLS LAST, candidate_id) AS rank, candidate_id,
             printf('%.6f', fit) AS fit,
             CASE WHEN missing OR coverage < {MIN_COVERAGE - 1e-12!r} OR fit IS NULL THEN 'incomplete'
                  WHEN failed THEN 'screened_out' ELSE 'qualified' END AS status,
             printf('%.6f', coverage) AS coverage
      FROM f ORDER BY rank {limit}
    ) TO '{out}' (HEADER, DELIMITER ',')"""


def run_duckdb(kind: str, src: str, out: str, top: int | None, threads: int) -> float:
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    sql = duckdb_sql(kind, src, out, top)
    t0 = time.perf_counter()
    con.execute(sql)
    return t0


# ---- driver -----------------------------------------------------------------------------

PEERS = ("pandas", "polars", "duckdb")


def loadavg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def timed(cmd: list[str], env: dict) -> dict:
    """Runs cmd as its own process. Returns whole-process wall seconds (fork to exit, through
    /usr/bin/time), the peak RSS /usr/bin/time reports (a fork of this big Python process
    would count its pages), the engine seconds the process printed (engine_seconds=S), if
    any, and the 1-minute load average just before the run."""
    rss_file = os.path.join(DATA, "rss.txt")
    load = loadavg()
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_file] + cmd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env)
    secs = time.perf_counter() - t
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.decode(errors='replace')[-2000:]}")
    with open(rss_file) as f:
        rss = int(f.read().split()[-1]) / 1024
    engine = None
    for tok in p.stdout.decode(errors="replace").split():
        if tok.startswith("engine_seconds="):
            engine = float(tok.split("=", 1)[1])
    return {"whole": secs, "rss": rss, "engine": engine, "load": load}


def read_ranked(path: str):
    import pandas as pd
    return pd.read_csv(path, dtype={"candidate_id": str, "status": str}, keep_default_na=False,
                       na_values={"fit": [""]})


def agree(ref: str, other: str) -> str:
    import numpy as np
    a, b = read_ranked(ref), read_ranked(other)
    if len(a) != len(b):
        return f"rows {len(b)} != {len(a)}"
    if not (a["candidate_id"].to_numpy() == b["candidate_id"].to_numpy()).all():
        k = int(np.argmax(a["candidate_id"].to_numpy() != b["candidate_id"].to_numpy()))
        return f"ranking differs at rank {k + 1}"
    if not (a["status"].to_numpy() == b["status"].to_numpy()).all():
        return "statuses differ"
    fa, fb = a["fit"].to_numpy(float), b["fit"].to_numpy(float)
    if not (np.isnan(fa) == np.isnan(fb)).all() or np.nanmax(np.abs(fa - fb), initial=0) > 1e-6:
        return "fits differ"
    if np.max(np.abs(a["coverage"].to_numpy(float) - b["coverage"].to_numpy(float)), initial=0) > 1e-6:
        return "coverages differ"
    return "ok"


def same_bytes(a: str, b: str) -> bool:
    import filecmp
    return filecmp.cmp(a, b, shallow=False)


def median(xs: list[float]) -> float:
    import statistics
    return statistics.median(xs)


def ensure_data(wl: str, kind: str, n: int) -> str:
    src = os.path.join(DATA, f"{wl}_{n}.csv")
    if not os.path.exists(src):
        t = time.perf_counter()
        (gen_long if kind == "long" else gen_wide)(src + ".part", n, seed=5)
        os.rename(src + ".part", src)
        print(f"generated {src} ({os.path.getsize(src) / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s",
              file=sys.stderr)
    return src


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["all", *PEERS])
    ap.add_argument("args", nargs="*")
    ap.add_argument("--merit", default=os.path.join(HERE, "..", "build", "merit"))
    ap.add_argument("--floor", default=os.path.join(HERE, "..", "build", "bench_floor"))
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the pool sizes (quick runs)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (every contender once a round)")
    ap.add_argument("--threads", type=int, default=2, help="threads of the peers and of merit's parallel runs")
    ap.add_argument("--workloads", default="wide,long,memory")
    ap.add_argument("--json", default=None, help="also write every run's numbers to this file")
    o = ap.parse_args()
    if o.what != "all":
        kind, src, out, top = o.args
        t0 = {"pandas": run_pandas, "polars": run_polars, "duckdb": run_duckdb}[o.what](
            kind, src, out, int(top) or None, o.threads)
        print(f"engine_seconds={time.perf_counter() - t0:.6f}")
        return

    os.makedirs(DATA, exist_ok=True)
    model = os.path.join(DATA, "bench_model.json")
    with open(model, "w") as f:
        json.dump(model_json(), f)
    sizes = {"wide": int(1_000_000 * o.scale), "long": int(100_000 * o.scale), "memory": int(10_000_000 * o.scale)}
    nt = o.threads
    env = dict(os.environ, POLARS_MAX_THREADS=str(nt), OMP_NUM_THREADS=str(nt), OPENBLAS_NUM_THREADS=str(nt),
               MKL_NUM_THREADS=str(nt), NUMEXPR_MAX_THREADS=str(nt))
    log = {"load_start": loadavg(), "threads": nt, "rounds": o.rounds, "scale": o.scale, "workloads": {}}
    summary = []
    for wl in o.workloads.split(","):
        kind = "long" if wl == "long" else "wide"
        src = ensure_data(wl, kind, sizes[wl])
        # merit's trivial run: same binary, flags and model on the header and the first row of the
        # pool (merit refuses a pool with no candidate rows), one candidate scored and written.
        empty = os.path.join(DATA, f"{wl}_one_row.csv")
        with open(src) as f, open(empty, "w") as g:
            g.write(f.readline() + f.readline())
        top = 100 if wl == "memory" else 0
        flag = "--evidence" if kind == "long" else "--candidates"

        def merit(threads: int, pool: str, bands: bool = False) -> list[str]:
            return ([o.merit, "score", "--model", model, flag, pool, "--threads", str(threads), "--quiet", "--out", "OUT"]
                    + (["--top", str(top)] if top else []) + (["--reliability", "0.8"] if bands else []))

        ref = os.path.join(DATA, f"out_{wl}_reference.csv")
        contenders = {  # name -> (command, trivial run whose median is subtracted for the engine time)
            "merit 1-row 1t": (merit(1, empty), None),
            f"merit 1-row {nt}t": (merit(nt, empty), None),
            "merit 1 thread": (merit(1, src), "merit 1-row 1t"),
            f"merit {nt} threads": (merit(nt, src), f"merit 1-row {nt}t"),
            f"merit {nt}t bands": (merit(nt, src, bands=True), f"merit 1-row {nt}t"),
            **{f"{p} {nt}t": ([sys.executable, __file__, p, kind, src, "OUT", str(top), "--threads", str(nt)], None)
               for p in PEERS},
            "floor read": ([o.floor, "read", src], None),
            "floor parse": ([o.floor, "parse", src], None),
            "floor write": ([o.floor, "write", ref, "OUT"], None),
        }
        # Warm-up, not timed: the input into the page cache, merit's reference output (1 thread).
        with open(src, "rb") as f:
            while f.read(1 << 24):
                pass
        subprocess.run([ref if c == "OUT" else c for c in merit(1, src)], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runs: dict[str, list[dict]] = {name: [] for name in contenders}
        checks: dict[str, str] = {}
        first_out: dict[str, str] = {}
        for r in range(o.rounds):
            for name, (cmd, _) in contenders.items():  # round-robin: every contender once, then again
                out = os.path.join(DATA, f"out_{wl}_{name.replace(' ', '_')}_{r % 2}.csv")
                res = timed([out if c == "OUT" else c for c in cmd], env)
                runs[name].append(res)
                if "1-row" in name or name in ("floor read", "floor parse"):
                    continue
                if r == 0:
                    checks[name] = "bytes = merit" if same_bytes(ref, out) else agree(ref, out)
                    first_out[name] = os.path.join(DATA, f"out_{wl}_{name.replace(' ', '_')}_first.csv")
                    os.replace(out, first_out[name])
                elif not same_bytes(first_out[name], out):
                    c = agree(ref, out)
                    if c != "ok":
                        checks[name] = f"round {r + 1}: {c}"
            print(f"  {wl} round {r + 1}/{o.rounds} done, load {loadavg()}", file=sys.stderr)
        rows = {}
        for name, (cmd, trivial) in contenders.items():
            whole = [x["whole"] for x in runs[name]]
            if trivial is not None:
                base = median([x["whole"] for x in runs[trivial]])
                engine = [w - base for w in whole]
            elif runs[name][0]["engine"] is not None:
                engine = [x["engine"] for x in runs[name]]
            else:
                engine = None
            rows[name] = {"whole": whole, "engine": engine, "rss": [x["rss"] for x in runs[name]],
                          "load": [x["load"] for x in runs[name]], "check": checks.get(name, "")}
        log["workloads"][wl] = {"rows": rows, "size": sizes[wl], "file_mb": os.path.getsize(src) / 1e6}
        summary.append((wl, rows, sizes[wl]))
    log["load_end"] = loadavg()
    if o.json:
        with open(o.json, "w") as f:
            json.dump(log, f, indent=1)
    report(summary, nt, o.rounds)


def report(summary, nt: int, rounds: int) -> None:
    m1, mn, mb = "merit 1 thread", f"merit {nt} threads", f"merit {nt}t bands"
    print(f"\nmedian of {rounds} interleaved rounds [min-max]; whole = process wall clock; engine = peers: inside"
          f" the process after imports\n(timer printed by the process); merit: whole minus the median whole time of"
          f" the same binary and flags on a\none-row pool (the 'merit 1-row' rows); floor: timer inside the"
          f" program. x merit = this / merit {nt} threads.")
    for wl, rows, size in summary:
        loads = [float(l.split()[0]) for r in rows.values() for l in r["load"]]
        what = f"{size:,} candidates" + (" (long rows)" if wl == "long" else "") + (", --top 100" if wl == "memory" else "")
        print(f"\n{wl}: {what}  (1-min load during the runs: {min(loads):.2f}-{max(loads):.2f})")
        print(f"{'contender':17s} {'whole s':>7s} {'[min-max]':>13s} {'x merit':>7s} {'engine s':>8s} "
              f"{'[min-max]':>13s} {'x merit':>7s} {'RSS MB':>7s}  agreement")
        bw, be = median(rows[mn]["whole"]), median(rows[mn]["engine"])
        for name, r in rows.items():
            w = r["whole"]
            line = f"{name:17s} {median(w):7.3f} {f'[{min(w):.3f}-{max(w):.3f}]':>13s} {median(w) / bw:7.2f} "
            e = r["engine"]
            if e is None or "1-row" in name:
                line += f"{'':8s} {'':13s} {'':7s} "
            else:
                line += f"{median(e):8.3f} {f'[{min(e):.3f}-{max(e):.3f}]':>13s} {median(e) / be:7.2f} "
            line += f"{max(r['rss']):7.0f}  {r['check']}"
            print(line)
    print(f"\nratios (medians; whole-process, engine in parentheses)")
    for wl, rows, _ in summary:
        med = {n: (median(r["whole"]), median(r["engine"]) if r["engine"] else None) for n, r in rows.items()}
        rss = {n: max(r["rss"]) for n, r in rows.items()}
        peers = "  ".join(f"{p}/merit {med[f'{p} {nt}t'][0] / med[mn][0]:.2f}x ({med[f'{p} {nt}t'][1] / med[mn][1]:.2f}x)"
                          for p in PEERS)
        floor = med["floor parse"][1] + med["floor write"][1]
        print(f"{wl:7s} merit 1->{nt} threads {med[m1][0] / med[mn][0]:.2f}x ({med[m1][1] / med[mn][1]:.2f}x)  {peers}")
        print(f"{'':7s} bands on/off: time {med[mb][0] / med[mn][0]:.3f}x ({med[mb][1] / med[mn][1]:.3f}x), "
              f"peak RSS {rss[mb] / rss[mn]:.3f}x ({rss[mb]:.0f} vs {rss[mn]:.0f} MB);  floor parse+write "
              f"{floor:.3f} s engine, merit {nt}t engine / floor {med[mn][1] / floor:.2f}x")
    print("\ntargets (issue 13; merit whole-process at", nt, "threads)")
    for wl, rows, _ in summary:
        med = {n: median(r["whole"]) for n, r in rows.items()}
        rss = {n: max(r["rss"]) for n, r in rows.items()}
        def verdict(ok: bool) -> str:
            return "met" if ok else "NOT met"
        t = []
        if wl in ("wide", "long"):
            d, p = med[f"duckdb {nt}t"] / med[mn], med[f"polars {nt}t"] / med[mn]
            t.append(f">=5x DuckDB: {d:.2f}x {verdict(d >= 5)}")
            t.append(f">=3x polars: {p:.2f}x {verdict(p >= 3)}")
        s = med[m1] / med[mn]
        t.append(f">=1.7x 1->{nt} threads: {s:.2f}x {verdict(s >= 1.7)}")
        bt, bm = med[mb] / med[mn] - 1, rss[mb] / rss[mn] - 1
        t.append(f"bands <=+10% time: {bt * 100:+.1f}% {verdict(bt <= 0.10)}")
        t.append(f"bands <=+10% memory: {bm * 100:+.1f}% {verdict(bm <= 0.10)}")
        if wl == "memory":
            t.append(f"--top 100 + bands <=256 MB: {rss[mb]:.0f} MB {verdict(rss[mb] <= 256)}")
        print(f"{wl:7s} " + ";  ".join(t))


if __name__ == "__main__":
    main()
