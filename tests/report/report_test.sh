#!/usr/bin/env bash
# merit report: the command line, its errors with their exact messages and exit
# codes, nothing written on an error, and the same bytes on a rerun.
# Usage: report_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json

"$merit" report candidate --model "$model" --candidates examples/pool.csv --id C003 --out "$tmp/a.html"
check "candidate exits 0" test $? -eq 0
"$merit" report candidate --model "$model" --candidates examples/pool.csv --id C003 > "$tmp/b.html"
check "candidate to stdout, same bytes" cmp -s "$tmp/a.html" "$tmp/b.html"
check "default profile is the model's first" grep -qF "<h1>Candidate C003 for Sales Enablement (individual contributor / manager)</h1>" "$tmp/a.html"
"$merit" report pool --model "$model" --candidates examples/pool.csv --out "$tmp/p.html"
check "pool exits 0" test $? -eq 0
check "pool without --top: the model's fit cut" grep -qF "Shortlist: qualified candidates with a fit at or above the model's fit cut." "$tmp/p.html"

err() {  # err NAME STATUS EXPECTED-MESSAGE ARGS...
  local name=$1 want_status=$2 want=$3
  shift 3
  "$merit" report "$@" --out "$tmp/no.html" > /dev/null 2> "$tmp/err.txt"
  check "$name exits $want_status" test $? -eq "$want_status"
  check "$name message" grep -qxF "$want" "$tmp/err.txt"
  check "$name writes nothing" test ! -e "$tmp/no.html"
}
err "unknown id" 3 "merit report: error: examples/pool.csv: no candidate 'C999' (the file has 31 candidates)" \
  candidate --model "$model" --candidates examples/pool.csv --id C999
err "missing --id" 2 "merit report: missing required option --id (see 'merit report --help')" \
  candidate --model "$model" --candidates examples/pool.csv
"$merit" report 2> "$tmp/err.txt"
check "no subcommand exits 2" test $? -eq 2
check "no subcommand message" grep -qxF "merit report: missing subcommand: candidate or pool (see 'merit report --help')" "$tmp/err.txt"
err "unknown subcommand" 2 "merit report: unknown subcommand 'team': candidate or pool (see 'merit report --help')" team
err "bad --lang" 2 "merit report: option --lang takes en or zh-CN, got 'fr' (see 'merit report --help')" \
  pool --model "$model" --candidates examples/pool.csv --lang fr
err "bad --top" 2 "merit report: option --top takes a whole number from 1 to 1000000000000, got '0' (see 'merit report --help')" \
  pool --model "$model" --candidates examples/pool.csv --top 0
err "unknown profile" 3 "merit report: error: unknown profile 'nope' (the model has: sales_enablement, sales_operations, head_of_sales_enablement, vp_sales_enablement_and_operations)" \
  pool --model "$model" --profile nope --candidates examples/pool.csv
err "--groups without --by" 2 "merit report: --groups needs --by COL[,COL...]: the columns to audit by (see 'merit report --help')" \
  pool --model "$model" --candidates examples/pool.csv --groups examples/pool_names.csv
err "--by without --groups" 2 "merit report: --by needs --groups FILE: the file with those columns (see 'merit report --help')" \
  pool --model "$model" --candidates examples/pool.csv --by sex
err "unknown --by column" 3 "merit report: error: examples/pool_names.csv:1:1: unknown --by column 'sex'; columns are: candidate_id, name" \
  pool --model "$model" --candidates examples/pool.csv --groups examples/pool_names.csv --by sex
printf 'candidate_id,sex\nC001,female\nC001,male\n' > "$tmp/dup.csv"
err "repeated id in groups" 3 "merit report: error: $tmp/dup.csv:3:1: duplicate candidate_id 'C001' (first on line 2)" \
  pool --model "$model" --candidates examples/pool.csv --groups "$tmp/dup.csv" --by sex
printf 'id,sex\nC001,female\n' > "$tmp/noid.csv"
err "groups without candidate_id" 3 "merit report: error: $tmp/noid.csv:1:1: missing column 'candidate_id' (the key that joins the results)" \
  pool --model "$model" --candidates examples/pool.csv --groups "$tmp/noid.csv" --by sex
# --decision-log: the footer names the candidate's decision record, whose id is
# recomputed here from the log alone (io/decision_log.hpp: the first 16 hex
# digits of the SHA-256 of the header line and the record line).
"$merit" score --model "$model" --candidates examples/pool.csv --out "$tmp/scores.csv" --audit-log "$tmp/log.jsonl"
check "score writes the decision log" test -s "$tmp/log.jsonl"
"$merit" report candidate --model "$model" --candidates examples/pool.csv --id C003 --decision-log "$tmp/log.jsonl" \
  --out "$tmp/d.html"
check "candidate with --decision-log exits 0" test $? -eq 0
n=$(grep -n '"candidate_id":"C003"' "$tmp/log.jsonl" | cut -d: -f1)
id=$(sed -n "1p;${n}p" "$tmp/log.jsonl" | sha256sum | cut -c1-16)
check "the record id is recomputable from the log" grep -qF "; decision record $id ($tmp/log.jsonl, line $n)</footer>" "$tmp/d.html"
check "the record id is 16 hex digits" test "$(printf %s "$id" | grep -cE '^[0-9a-f]{16}$')" -eq 1
grep -v '"candidate_id":"C003"' "$tmp/log.jsonl" > "$tmp/no_c003.jsonl"
err "candidate not in the log" 3 "merit report: error: $tmp/no_c003.jsonl: no decision record for candidate 'C003' (the log has 30 candidate records); give the log of the scoring run that scored this pool" \
  candidate --model "$model" --candidates examples/pool.csv --id C003 --decision-log "$tmp/no_c003.jsonl"
err "log of another profile" 3 "merit report: error: $tmp/log.jsonl:1: the log's profile is 'sales_enablement', the report's is 'sales_operations'; report with --profile sales_enablement, or give the log of profile sales_operations" \
  candidate --model "$model" --profile sales_operations --candidates examples/pool.csv --id C003 --decision-log "$tmp/log.jsonl"
sed "${n}s/\"status\":\"[a-z_]*\"/\"status\":\"incomplete\"/" "$tmp/log.jsonl" > "$tmp/edited.jsonl"
check "the edit changed the status" test "$(cmp -s "$tmp/log.jsonl" "$tmp/edited.jsonl"; echo $?)" -eq 1
"$merit" report candidate --model "$model" --candidates examples/pool.csv --id C003 --decision-log "$tmp/edited.jsonl" \
  > /dev/null 2> "$tmp/err.txt"
check "a record that differs exits 3" test $? -eq 3
check "a record that differs is placed at its line" grep -qF "merit report: error: $tmp/edited.jsonl:$n: the log records fit " "$tmp/err.txt"

"$merit" report --help > "$tmp/help.txt"
check "report --help" grep -q "^usage: merit report candidate" "$tmp/help.txt"
check "report --help example" grep -qF "merit report pool --model competency_models/sales_enablement.json" "$tmp/help.txt"

report "cli.report"
