#!/usr/bin/env bash
# End-to-end checks of the merit CLI. Usage: cli_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/harness.sh" "$@"
model=competency_models/sales_enablement.json
mini=tests/data/models/mini.json

# The main job works and writes the documented header.
"$merit" score --model "$model" --profile sales_enablement --candidates examples/pool.csv --out "$tmp/out.csv"
check "score exits 0" test $? -eq 0
check "score header (band: the profile gives a reliability)" test "$(head -1 "$tmp/out.csv")" = "rank,candidate_id,fit,status,coverage,band"
check "score writes every candidate" test "$(wc -l < "$tmp/out.csv")" -eq 31
check "first row is ranked 1" grep -q '^1,C004,100.000000,qualified,1.000000,1$' "$tmp/out.csv"

# --explain adds contribution and gap columns for every target.
"$merit" score --model "$model" --candidates examples/pool.csv --explain --top 3 --out "$tmp/explain.csv"
check "explain columns" grep -q 'contrib_content_clarity' "$tmp/explain.csv"
check "top 3 rows" test "$(wc -l < "$tmp/explain.csv")" -eq 4

# The terminal view explains the shortlist.
"$merit" score --model "$model" --candidates examples/pool.csv --table > "$tmp/table.txt"
check "table names the shortlist" grep -q 'not shortlisted' "$tmp/table.txt"
check "table explains a hurdle" grep -q 'is below the minimum 3' "$tmp/table.txt"

# Bad input: exit 3, one line on stderr, no output file and no temporary left.
"$merit" score --model "$mini" --candidates tests/data/bad/cand_non_numeric.csv --out "$tmp/bad.csv" 2> "$tmp/err.txt"
check "bad input exits 3" test $? -eq 3
check "one line on stderr" test "$(wc -l < "$tmp/err.txt")" -eq 1
check "message names file:line:column" grep -qF "merit score: error: tests/data/bad/cand_non_numeric.csv:3:6: non-numeric value 'three' for competency 'beta'" "$tmp/err.txt"
check "no output file" test ! -e "$tmp/bad.csv"
check "no temporary file" test -z "$(ls -A "$tmp" | grep '\.tmp\.' || true)"

# A bad model: exit 3 with its JSON pointer.
"$merit" score --model tests/data/bad/model_weight_negative.json --candidates examples/pool.csv --out "$tmp/x.csv" 2> "$tmp/err.txt"
check "bad model exits 3" test $? -eq 3
check "bad model pointer" grep -qF "model_weight_negative.json#/profiles/0/targets/beta/weight: weight must be finite and >= 0, got -1" "$tmp/err.txt"

# An existing output survives a failed run untouched.
echo keep > "$tmp/keep.csv"
"$merit" score --model "$mini" --candidates tests/data/bad/cand_empty.csv --out "$tmp/keep.csv" 2> /dev/null
check "existing output untouched" test "$(cat "$tmp/keep.csv")" = keep

# Usage errors exit 2; --help and --version exit 0.
"$merit" score --model "$model" 2> "$tmp/err.txt"
check "missing option exits 2" test $? -eq 2
check "missing option message" grep -qF "merit score: missing required option --candidates (or --evidence) (see 'merit score --help')" "$tmp/err.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --frobnicate 2> "$tmp/err.txt"
check "unknown option exits 2" test $? -eq 2
"$merit" score --model "$model" --profile nope --candidates examples/pool.csv 2> "$tmp/err.txt"
check "unknown profile message" grep -qF "unknown profile 'nope' (the model has: sales_enablement, sales_operations, head_of_sales_enablement)" "$tmp/err.txt"
for cmd in score validate profiles; do
  "$merit" $cmd --help > "$tmp/help.txt"
  check "$cmd --help" grep -q "^usage: merit $cmd" "$tmp/help.txt"
done
check "--version" test "$("$merit" --version | cut -d' ' -f1)" = merit
"$merit" nonsense 2> /dev/null
check "unknown command exits 2" test $? -eq 2

# validate lists every problem.
python3 - "$mini" "$tmp/two.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["profiles"][0]["targets"]["beta"]["weight"] = -1
m["profiles"][0]["targets"]["gamma"]["target"] = 9
json.dump(m, open(sys.argv[2], "w"))
PY
"$merit" validate "$tmp/two.json" > "$tmp/val.txt"
check "validate exits 3" test $? -eq 3
check "validate lists both problems" test "$(grep -c '#/profiles/0/targets' "$tmp/val.txt")" -eq 2
"$merit" validate "$model" > "$tmp/val_model.txt"
check "validate the shipped model" test $? -eq 0
check "the shipped model has no warning" test -z "$(grep warning "$tmp/val_model.txt" || true)"
# A first-format model (a 0..100 work sample mapped linearly, no basis) is valid, with a warning.
"$merit" validate "$mini" > "$tmp/val_mini.txt"
check "validate: a warning keeps exit 0" test $? -eq 0
check "validate prints the warning at its pointer" grep -qF "$mini#/methods/1/scale: warning: numeric scale 0..100 is mapped linearly onto 1..5 with no stated basis" "$tmp/val_mini.txt"
check "validate counts the warnings" grep -q "3 profiles; 1 warning$" "$tmp/val_mini.txt"

# Evidence: long CSV with calibration, Greenhouse scorecards, panel reliability.
"$merit" score --model "$model" --evidence examples/evidence_long.csv --calibrate leniency --out "$tmp/ev.csv" 2> "$tmp/ev_err.txt"
check "evidence score exits 0" test $? -eq 0
check "evidence scores every candidate" test "$(wc -l < "$tmp/ev.csv")" -eq 31
check "leniency table on stderr" grep -q 'rater calibration (leniency)' "$tmp/ev_err.txt"
"$merit" score --model "$model" --evidence examples/greenhouse_scorecards.json --out "$tmp/gh.csv" 2> "$tmp/gh_err.txt"
check "greenhouse exits 0" test $? -eq 0
check "unmapped attribute reported" grep -qF "attribute 'Culture Add' (1 rating) maps to no competency" "$tmp/gh_err.txt"
"$merit" score --model "$mini" --evidence tests/data/evidence/long_unknown_method.csv --out "$tmp/u.csv" 2> "$tmp/err.txt"
check "unknown method exits 3" test $? -eq 3
check "unknown method message" grep -qF "long_unknown_method.csv:3:10: unknown method 'astrology'" "$tmp/err.txt"
"$merit" reliability panel --model "$model" --evidence examples/evidence_long.csv --json > "$tmp/panel.json"
check "panel exits 0" test $? -eq 0
check "panel json" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['method']=='structured_interview' and len(d['competencies'])==20" "$tmp/panel.json"

# --no-band keeps the five documented columns even when the profile has a reliability.
"$merit" score --model "$model" --candidates examples/pool.csv --no-band --out "$tmp/nb.csv" 2> /dev/null
check "--no-band header" test "$(head -1 "$tmp/nb.csv")" = "rank,candidate_id,fit,status,coverage"
"$merit" score --model "$model" --candidates examples/pool.csv --no-band --reliability 0.9 2> "$tmp/err.txt"
check "--no-band with --reliability exits 2" test $? -eq 2

# A measured reliability: the --json output of 'merit reliability icc'.
"$merit" reliability icc --wide ../shared/data/psychometrics/shrout_fleiss_1979.csv --json > "$tmp/icc.json" 2> /dev/null
"$merit" score --model "$model" --candidates examples/pool.csv --reliability "$tmp/icc.json:icc3k" --out "$tmp/b.csv" 2> "$tmp/err.txt"
check "--reliability FILE:KEY exits 0" test $? -eq 0
check "--reliability FILE:KEY note" grep -qF "r_xx 0.909 from icc3k measured in" "$tmp/err.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --reliability "$tmp/icc.json:nope" --out "$tmp/b2.csv" 2> "$tmp/err.txt"
check "--reliability unknown key exits 3" test $? -eq 3
check "--reliability unknown key message" grep -qF "no 'nope' in this reliability file" "$tmp/err.txt"

report cli
