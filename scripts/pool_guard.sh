#!/usr/bin/env bash
# Byte-identity guard of `merit score` across two builds (issue 13: the pool
# layer moved out of the CLI; the output must not change by one byte).
#
#   scripts/pool_guard.sh BASE_BIN NEW_BIN [WORKDIR]
#
# Runs both binaries on the examples' pools and evidence and on generated
# bench-like pools (scripts/pool_gen.py: 200k wide candidates, long evidence
# grouped and not, bad rows of every kind), with and without --explain,
# --top 5, --rejects, --output-format jsonl, --audit-log, bands on
# (--reliability 0.8; 1, a width of 0: every distinct fit its own band) and
# off, at --threads 1 and 2, and compares exit
# status, stdout, stderr, the results, the rejects and the decision log.
# Prints one line per difference and a count; exits 1 on any difference.
set -u
BASE=$(realpath "$1"); NEW=$(realpath "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${3:-$(mktemp -d)}
mkdir -p "$WORK"
DATA="$WORK/data"
[ -f "$DATA/wide.csv" ] || python3 "$ROOT/scripts/pool_gen.py" "$DATA" >/dev/null
SALES="$ROOT/competency_models/sales_enablement.json"
BENCH="$DATA/bench_model.json"
runs=0; diffs=0

STDIN=/dev/null
run_one() {  # run_one BIN DIR ARGS...: runs in DIR (stdin from $STDIN), keeps rc, stdout, stderr
  local bin=$1 dir=$2; shift 2
  rm -rf "$dir"; mkdir -p "$dir"
  (cd "$dir" && "$bin" score "$@" <"$STDIN" >stdout.txt 2>stderr.txt; echo $? >rc.txt)
  # The decision log's header records the time of the run: not compared.
  [ -f "$dir/audit.jsonl" ] && sed -i '1s/"timestamp":"[^"]*"/"timestamp":""/' "$dir/audit.jsonl"
  return 0
}

compare() {  # compare NAME ARGS...
  local name=$1; shift
  run_one "$BASE" "$WORK/base" "$@"
  run_one "$NEW" "$WORK/new" "$@"
  runs=$((runs + 1))
  local f
  for f in $(cd "$WORK/base" && ls -A) $(cd "$WORK/new" && ls -A); do
    if ! cmp -s "$WORK/base/$f" "$WORK/new/$f"; then
      echo "DIFF $name: $f ($*)"
      diffs=$((diffs + 1))
      return
    fi
  done
}

OPTS=(
  ""
  "--explain"
  "--top 5"
  "--top 5 --explain"
  "--rejects rej.csv"
  "--rejects rej.csv --top 5"
  "--output-format jsonl"
  "--output-format jsonl --explain --top 5"
  "--reliability 0.8"
  "--reliability 0.8 --top 5"
  "--reliability 0.8 --explain --output-format jsonl"
  "--no-band"
  "--audit-log audit.jsonl"
  "--audit-log audit.jsonl --top 5 --rejects rej.csv"
)
BIG_OPTS=("" "--top 5" "--rejects rej.csv" "--reliability 0.8" "--reliability 0.8 --top 100" "--explain --top 100"
          "--output-format jsonl --reliability 0.8" "--reliability 1 --top 7" "--reliability 1")

for t in 1 2; do
  for input in "--candidates $ROOT/examples/pool.csv" "--candidates $ROOT/examples/pool_names.csv" \
               "--evidence $ROOT/examples/evidence_long.csv" "--evidence $ROOT/examples/greenhouse_scorecards.json" \
               "--candidates $ROOT/examples/candidate_C001.json" \
               "--evidence $ROOT/examples/evidence_long.csv --calibrate leniency" \
               "--evidence $ROOT/examples/evidence_long.csv --duplicates error"; do
    for o in "${OPTS[@]}"; do
      # shellcheck disable=SC2086
      compare "sales t$t" --model "$SALES" $input $o --threads $t --out out.csv
    done
  done
  compare "sales stdout t$t" --model "$SALES" --candidates "$ROOT/examples/pool.csv" --threads $t --csv
  STDIN="$ROOT/examples/pool.csv" compare "sales stdin t$t" --model "$SALES" --candidates - --threads $t --out out.csv
  for input in "--candidates $DATA/wide.csv" "--candidates $DATA/wide_bad.csv" "--evidence $DATA/long.csv" \
               "--evidence $DATA/long_ungrouped.csv" "--evidence $DATA/long_bad.csv" "--evidence $DATA/evidence.jsonl" \
               "--evidence $DATA/long_ungrouped.csv --calibrate zscore"; do
    for o in "${BIG_OPTS[@]}"; do
      # shellcheck disable=SC2086
      compare "bench t$t" --model "$BENCH" $input $o --threads $t --out out.csv
    done
  done
done
# errors: bad options and bad inputs say the same and exit the same
compare "bad format" --model "$SALES" --evidence "$ROOT/examples/evidence_long.csv" --format xml --out out.csv
compare "bad calibrate" --model "$SALES" --evidence "$ROOT/examples/evidence_long.csv" --calibrate x --out out.csv
compare "bad duplicates" --model "$SALES" --evidence "$ROOT/examples/evidence_long.csv" --duplicates x --out out.csv
compare "wide calibrate" --model "$SALES" --evidence "$ROOT/examples/pool.csv" --format wide --calibrate leniency --out out.csv
compare "bad output format" --model "$SALES" --candidates "$ROOT/examples/pool.csv" --output-format xml --out out.csv
compare "no file" --model "$SALES" --candidates nowhere.csv --out out.csv
compare "bad out dir" --model "$SALES" --candidates "$ROOT/examples/pool.csv" --out no/such/dir/out.csv
STDIN="$ROOT/examples/pool.csv" compare "audit stdin" --model "$SALES" --candidates - --audit-log a.jsonl --out out.csv
echo "pool_guard: $runs runs, $diffs differences"
[ "$diffs" -eq 0 ]
