#!/usr/bin/env bash
# Pool-scale checks of `merit score` (issue 5, docs/cli-score.md): thread-count
# determinism, row accounting with rejects, interrupted runs, grouped and
# ungrouped evidence, --top, JSON Lines output, bands, decision logs.
# Usage: pool_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/harness.sh" "$@"
model=competency_models/sales_enablement.json

# A wide pool with many tied fits (levels in whole steps) and ids out of order,
# and long evidence grouped by candidate, plus the same rows shuffled.
python3 - "$model" "$tmp" <<'PY'
import json, random, sys
model, tmp = sys.argv[1], sys.argv[2]
comps = [c["id"] for c in json.load(open(model))["competencies"]]
rng = random.Random(7)
ids = [f"K{n:06d}" for n in rng.sample(range(10**6), 30000)]
with open(f"{tmp}/wide.csv", "w") as f:
    f.write("candidate_id," + ",".join(comps) + "\n")
    for cid in ids:
        f.write(cid + "," + ",".join("" if rng.random() < 0.03 else str(rng.randint(1, 5)) for _ in comps) + "\n")
rows = []
for cid in ids[:3000]:
    for c in comps[:13]:
        for r in rng.sample(range(40), 2):
            rows.append(f"{cid},{c},structured_interview,r{r},{rng.randint(1, 5)}")
with open(f"{tmp}/long.csv", "w") as f:
    f.write("candidate_id,competency_id,method,rater,value\n" + "\n".join(rows) + "\n")
rng.shuffle(rows)
with open(f"{tmp}/long_shuffled.csv", "w") as f:
    f.write("candidate_id,competency_id,method,rater,value\n" + "\n".join(rows) + "\n")
PY

# 1. The same bytes at every thread count.
for n in 1 2 3 8; do
  "$merit" score --model "$model" --candidates "$tmp/wide.csv" --threads $n --explain --out "$tmp/w$n.csv" 2> /dev/null
  "$merit" score --model "$model" --evidence "$tmp/long.csv" --threads $n --out "$tmp/l$n.csv" 2> /dev/null
done
for n in 2 3 8; do
  check "wide: threads $n = threads 1" cmp -s "$tmp/w1.csv" "$tmp/w$n.csv"
  check "long: threads $n = threads 1" cmp -s "$tmp/l1.csv" "$tmp/l$n.csv"
done
check "every candidate written" test "$(wc -l < "$tmp/w1.csv")" -eq 30001

# 2. Grouped and ungrouped evidence give the same result.
"$merit" score --model "$model" --evidence "$tmp/long_shuffled.csv" --threads 2 --out "$tmp/ls.csv" 2> "$tmp/err.txt"
check "ungrouped evidence = grouped" cmp -s "$tmp/l1.csv" "$tmp/ls.csv"
check "ungrouped evidence is said" grep -q "not grouped by candidate" "$tmp/err.txt"

# 3. --top K is the head of the full ranking, at any thread count.
for n in 1 2; do
  "$merit" score --model "$model" --candidates "$tmp/wide.csv" --threads $n --explain --top 250 --out "$tmp/top$n.csv" 2> /dev/null
  check "top 250 = head of the ranking (threads $n)" cmp -s "$tmp/top$n.csv" <(head -251 "$tmp/w1.csv")
done

# 4. Rejects: bad rows sprinkled in, each reported with its line, the run goes on.
python3 - "$tmp/wide.csv" "$tmp/bad.csv" "$tmp/expected_lines.txt" <<'PY'
import sys
src, dst, exp = sys.argv[1:]
lines = open(src, encoding="utf-8").read().splitlines()
out, bad = [lines[0]], []
for k, ln in enumerate(lines[1:2001]):
    out.append(ln)
    if k % 397 == 5:
        cells = ln.split(",")
        variants = [cells[0] + "x," + ",".join(["three"] + cells[2:]),  # non-numeric
                    ",".join(cells[:-1]),                            # a field missing
                    cells[0] + "y," + ",".join(["9"] + cells[2:]),      # off the scale
                    ln,                                              # duplicate id
                    "," + ",".join(cells[1:])]                       # empty id
        out.append(variants[(k // 397) % len(variants)])
        bad.append(len(out))
out.append("\xff\xfe,1,2")  # invalid UTF-8 (written below as raw bytes)
bad.append(len(out))
data = "\n".join(out) + "\n"
open(dst, "wb").write(data.replace("\xff\xfe", "@@").encode().replace(b"@@", b"\xff\xfe"))
open(exp, "w").write("\n".join(map(str, bad)) + "\n")
PY
"$merit" score --model "$model" --candidates "$tmp/bad.csv" --rejects "$tmp/rejects.csv" --out "$tmp/good.csv" 2> "$tmp/err.txt"
check "rejects exit 1" test $? -eq 1
check "rejects header" test "$(head -1 "$tmp/rejects.csv")" = "line,column,code,reason"
check "every bad row with its line" diff <(tail -n +2 "$tmp/rejects.csv" | cut -d, -f1) "$tmp/expected_lines.txt"
rows=$(($(wc -l < "$tmp/bad.csv") - 1))
bad=$(wc -l < "$tmp/expected_lines.txt")
check "summary line accounts for every row" \
  test "$(tail -1 "$tmp/err.txt")" = "merit score: read $rows rows, scored $((rows - bad)) candidates, rejected $bad rows"
check "a duplicate names the first line" grep -q "duplicate candidate id '.*' (first at line" "$tmp/rejects.csv"
check "scored rows written" test "$(wc -l < "$tmp/good.csv")" -eq $((rows - bad + 1))
"$merit" score --model "$model" --candidates "$tmp/bad.csv" --out "$tmp/none.csv" 2> "$tmp/err.txt"
check "without --rejects the first bad row is fatal" test $? -eq 3
check "fatal error names the first bad line" grep -q "bad.csv:$(head -1 "$tmp/expected_lines.txt"):" "$tmp/err.txt"
check "no output after a fatal error" test ! -e "$tmp/none.csv"

# 4b. Records without quotes take a fast path; in a block with a quote every record
# takes the general one (csv_reader): the same results, rejects and reasons either way.
quote_first_field() {  # quote_first_field IN OUT: quotes the first field of every data row
  python3 - "$1" "$2" <<'PY'
import sys
rows = open(sys.argv[1], "rb").read().split(b"\n")
out = [rows[0]]
for r in rows[1:]:
    if r and not r.startswith(b"\xff"):
        first, rest = r.split(b",", 1)
        r = b'"' + first + b'",' + rest
    out.append(r)
open(sys.argv[2], "wb").write(b"\n".join(out))
PY
}
reasons() { tail -n +2 "$1" | cut -d, -f1,3-; }  # rejects without their columns (quotes shift them)
quote_first_field "$tmp/bad.csv" "$tmp/bad_quoted.csv"
"$merit" score --model "$model" --candidates "$tmp/bad_quoted.csv" --rejects "$tmp/rejects_q.csv" --out "$tmp/good_q.csv" 2> /dev/null
check "wide: general path = fast path (results)" cmp -s "$tmp/good.csv" "$tmp/good_q.csv"
check "wide: general path = fast path (rejects)" diff <(reasons "$tmp/rejects.csv") <(reasons "$tmp/rejects_q.csv")

# 4c. The same for long evidence: bad rows sprinkled in, each rejected with its line.
python3 - "$tmp/long.csv" "$tmp/long_bad.csv" "$tmp/long_expected.txt" <<'PY'
import sys
src, dst, exp = sys.argv[1:]
lines = open(src).read().splitlines()
out, bad = [lines[0]], []
for k, ln in enumerate(lines[1:6001]):
    out.append(ln)
    if k % 251 == 7:
        cand, comp, meth, rater, value = ln.split(",")
        variants = [f"{cand},no_such_competency,{meth},{rater},{value}",
                    f"{cand},{comp},{meth},{rater},four",
                    f"{cand},{comp},{meth},,{value}",
                    f"{cand},{comp},{meth},{rater}",
                    f"{cand},{comp},{meth},{rater},9",
                    f",{comp},{meth},{rater},{value}"]
        out.append(variants[(k // 251) % len(variants)])
        bad.append(len(out))
open(dst, "w").write("\n".join(out) + "\n")
open(exp, "w").write("\n".join(map(str, bad)) + "\n")
PY
quote_first_field "$tmp/long_bad.csv" "$tmp/long_bad_quoted.csv"
for n in 1 2; do
  "$merit" score --model "$model" --evidence "$tmp/long_bad.csv" --threads $n --rejects "$tmp/lrej$n.csv" --out "$tmp/lgood$n.csv" 2> "$tmp/err.txt"
  check "long rejects exit 1 (threads $n)" test $? -eq 1
done
check "long: every bad row with its line" diff <(tail -n +2 "$tmp/lrej1.csv" | cut -d, -f1) "$tmp/long_expected.txt"
check "long: threads 2 = threads 1 (results)" cmp -s "$tmp/lgood1.csv" "$tmp/lgood2.csv"
check "long: threads 2 = threads 1 (rejects)" cmp -s "$tmp/lrej1.csv" "$tmp/lrej2.csv"
"$merit" score --model "$model" --evidence "$tmp/long_bad_quoted.csv" --rejects "$tmp/lrej_q.csv" --out "$tmp/lgood_q.csv" 2> /dev/null
check "long: general path = fast path (results)" cmp -s "$tmp/lgood1.csv" "$tmp/lgood_q.csv"
check "long: general path = fast path (rejects)" diff <(reasons "$tmp/lrej1.csv") <(reasons "$tmp/lrej_q.csv")
# --calibrate reads the evidence in one pass and aggregates it whole: bad rows still
# go to the rejects file, and the rest scores as the same file without them.
head -6001 "$tmp/long.csv" > "$tmp/long6000.csv"
"$merit" score --model "$model" --evidence "$tmp/long6000.csv" --calibrate leniency --out "$tmp/cal_good.csv" 2> /dev/null
"$merit" score --model "$model" --evidence "$tmp/long_bad.csv" --calibrate leniency --rejects "$tmp/cal_rej.csv" \
  --out "$tmp/cal_bad.csv" 2> "$tmp/err.txt"
check "calibrate with rejects exits 1" test $? -eq 1
check "calibrate: every bad row with its line" diff <(tail -n +2 "$tmp/cal_rej.csv" | cut -d, -f1) "$tmp/long_expected.txt"
check "calibrate: bad rows do not change the others' scores" cmp -s "$tmp/cal_good.csv" "$tmp/cal_bad.csv"
check "calibrate: the leniency table is printed" grep -q "rater calibration (leniency)" "$tmp/err.txt"
check "calibrate: no -0.000 leniency" test -z "$(grep -- '-0\.000$' "$tmp/err.txt")"
python3 - "$tmp/long.csv" "$tmp/long.jsonl" <<'PY'
import csv, json, sys
with open(sys.argv[2], "w") as f:
    for row in csv.DictReader(open(sys.argv[1])):
        f.write(json.dumps(row) + "\n")
PY
"$merit" score --model "$model" --evidence "$tmp/long.jsonl" --threads 2 --out "$tmp/lj.csv" 2> /dev/null
check "JSON Lines evidence = long CSV" cmp -s "$tmp/l1.csv" "$tmp/lj.csv"

# 5. SIGTERM mid-run leaves no file behind (input that never ends: stdin held open).
mkdir "$tmp/int"
(cat "$tmp/wide.csv"; sleep 5) | timeout --preserve-status -s TERM 1 "$merit" score --model "$model" --candidates - \
  --out "$tmp/int/out.csv" --rejects "$tmp/int/rej.csv" 2> "$tmp/err.txt"
check "SIGTERM exits 128+15" test $? -eq 143
check "SIGTERM leaves nothing" test -z "$(ls -A "$tmp/int")"
check "SIGTERM says so" grep -q "interrupted; no output was written" "$tmp/err.txt"

# 5b. Progress on stderr when it is a terminal (a pseudo-terminal from script(1)):
# percentage and ETA when the size is known, rows per second always; nothing with
# --quiet or when stderr is not a terminal.
if command -v script > /dev/null; then
  awk -F, 'NR == 1 {print; next} {rest = substr($0, index($0, ",")); for (k = 0; k < 25; k++) print "Q" k "_" NR rest}' \
    "$tmp/wide.csv" > "$tmp/big.csv"
  run_tty() { script -qec "$1" /dev/null > "$tmp/tty.txt" 2>&1; }
  run_tty "'$merit' score --model '$model' --candidates '$tmp/big.csv' --threads 1 --out '$tmp/big_out.csv'"
  check "progress: a bar with percentage and ETA on a terminal" grep -q "%.*rows/s.*ETA" "$tmp/tty.txt"
  run_tty "(cat '$tmp/wide.csv'; sleep 0.5) | '$merit' score --model '$model' --candidates - --out '$tmp/big_out.csv'"
  check "progress: rows per second when the size is unknown" grep -q "rows/s" "$tmp/tty.txt"
  run_tty "'$merit' score --model '$model' --candidates '$tmp/big.csv' --threads 1 --quiet --out '$tmp/big_out.csv'"
  check "progress: nothing with --quiet" test -z "$(grep 'rows/s' "$tmp/tty.txt")"
  "$merit" score --model "$model" --candidates "$tmp/big.csv" --threads 1 --out "$tmp/big_out.csv" 2> "$tmp/err.txt"
  check "progress: nothing when stderr is not a terminal" test -z "$(grep 'rows/s' "$tmp/err.txt")"
fi

# 6. JSON Lines output: the CSV's fields, one object per line.
"$merit" score --model "$model" --candidates examples/pool.csv --explain --out "$tmp/r.jsonl" 2> /dev/null
"$merit" score --model "$model" --candidates examples/pool.csv --explain --out "$tmp/r.csv" 2> /dev/null
check "JSONL parses and equals the CSV" python3 - "$tmp/r.jsonl" "$tmp/r.csv" <<'PY'
import csv, json, sys
js = [json.loads(l) for l in open(sys.argv[1])]
rows = list(csv.DictReader(open(sys.argv[2])))
assert len(js) == len(rows) == 31
for j, r in zip(js, rows):
    assert list(j) == list(r), (list(j), list(r))
    for k, v in r.items():
        if k in ("candidate_id", "status"): assert j[k] == v
        elif v == "": assert j[k] is None
        else: assert abs(float(j[k]) - float(v)) < 1e-12, (k, j[k], v)
PY

# 7. Bands: fixed bands of width C x SED from the top among the qualified
#    candidates only (the others have none), SD the sample SD of every fit.
"$merit" score --model "$model" --candidates examples/pool.csv --reliability 0.7 --band-c 1.5 --out "$tmp/b.csv" 2> /dev/null
check "band column by hand" python3 - "$tmp/b.csv" <<'PY'
import csv, math, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
fits = [float(r["fit"]) for r in rows if r["fit"]]
width = 1.5 * statistics.stdev(fits) * math.sqrt(1 - 0.7) * math.sqrt(2)
band, top = 0, None
assert any(r["status"] != "qualified" and r["fit"] for r in rows)
for r in rows:
    if r["status"] != "qualified" or not r["fit"]:
        assert r["band"] == "", r; continue
    f = float(r["fit"])
    if top is None or top - f > width + 1e-9:
        band, top = band + 1, f
    assert int(r["band"]) == band, (r, band)
assert band >= 2
PY

# 8. Decision logs: a rerun gives the same records except the timestamp;
#    verify-log passes on the log and fails on an edited one.
"$merit" score --model "$model" --candidates "$tmp/wide.csv" --top 5 --audit-log "$tmp/a1.jsonl" --out "$tmp/o1.csv" 2> /dev/null
"$merit" score --model "$model" --candidates "$tmp/wide.csv" --top 5 --audit-log "$tmp/a2.jsonl" --out "$tmp/o2.csv" --threads 1 2> /dev/null
strip() { sed -e 's/"timestamp":"[^"]*"//' -e 's/"command_line":"[^"]*"//' "$1"; }
check "audit log: rerun identical but for the timestamp" cmp -s <(strip "$tmp/a1.jsonl") <(strip "$tmp/a2.jsonl")
check "audit log: one record per candidate" test "$(wc -l < "$tmp/a1.jsonl")" -eq 30001
"$merit" verify-log --log "$tmp/a1.jsonl" --model "$model" --candidates "$tmp/wide.csv" 2> "$tmp/err.txt"
check "verify-log passes" test $? -eq 0
sed '3s/"status":"[a-z_]*"/"status":"qualified_edit"/' "$tmp/a1.jsonl" > "$tmp/edited.jsonl"
"$merit" verify-log --log "$tmp/edited.jsonl" --model "$model" --candidates "$tmp/wide.csv" 2> "$tmp/err.txt"
check "verify-log fails on an edited log" test $? -eq 3
check "verify-log names the line" grep -q "edited.jsonl:3: record differs" "$tmp/err.txt"

# 9. The ranking rule in logs: the header records it; a log without the field
#    (written before it existed) is checked by the fit-only rule it was made
#    with; a log whose order contradicts its recorded rule, or that names a
#    rule this merit does not know, fails with exact messages. The old log was
#    written by merit 0.1.0 with the model file as it was then (2.0.0 before
#    its question bank, kept in tests/data): verify-log checks a log with the
#    model it was made with, and a different merit version is a note.
"$merit" score --model "$model" --candidates examples/pool.csv --audit-log "$tmp/p.jsonl" --out "$tmp/p.csv" 2> /dev/null
check "audit log header records the ranking rule" grep -q '^{"record":"header","format":"merit.decision-log/1","ranking":"status-then-fit/2",' "$tmp/p.jsonl"
verify_pool() { "$merit" verify-log --log "$1" --model "${2:-$model}" --candidates examples/pool.csv 2> "$tmp/err.txt"; }
old_model=tests/data/sales_enablement_2.0.0.json
verify_pool "$tmp/p.jsonl"
check "verify-log passes on a new log" test $? -eq 0
check "old-format log in the repository (fit-only order, no ranking field)" test -z "$(head -1 tests/data/decision_log_fit1.jsonl | grep ranking)"
verify_pool tests/data/decision_log_fit1.jsonl "$old_model"
check "verify-log passes on the old-format log by the fit-only rule" test $? -eq 0
check "verify-log says it matches" grep -qx "merit verify-log: tests/data/decision_log_fit1.jsonl matches its inputs (31 candidate records)" "$tmp/err.txt"
check "verify-log notes the older merit version (exact message)" grep -qxF \
  "merit verify-log: note: tests/data/decision_log_fit1.jsonl:1: written by merit \"0.1.0\", checked with merit \"$("$merit" --version | awk '{print $2}')\"" "$tmp/err.txt"
verify_pool tests/data/decision_log_fit1.jsonl
check "verify-log refuses the old log with today's model (its content hash differs)" test $? -eq 3
# The old log's header with today's rule: its fit-only order now contradicts the rule.
sed '1s/"format":"merit.decision-log\/1",/&"ranking":"status-then-fit\/2",/' tests/data/decision_log_fit1.jsonl > "$tmp/contradict.jsonl"
verify_pool "$tmp/contradict.jsonl" "$old_model"
check "verify-log fails on an order its rule contradicts" test $? -eq 3
check "verify-log names the candidate out of order (exact message)" grep -qxF \
  "merit verify-log: $tmp/contradict.jsonl:9: candidate 'C011' is out of order for the ranking rule 'status-then-fit/2' the header records: the log ranks it 8, the rule ranks it 24" "$tmp/err.txt"
sed '1s/"ranking":"status-then-fit\/2"/"ranking":"fit\/9"/' "$tmp/p.jsonl" > "$tmp/unknown.jsonl"
verify_pool "$tmp/unknown.jsonl"
check "verify-log refuses an unknown ranking rule" test $? -eq 3
check "verify-log names the unknown rule (exact message)" grep -qxF \
  "merit verify-log: error: $tmp/unknown.jsonl:1: header field 'ranking' is \"fit/9\", a ranking rule this merit does not know (it knows \"status-then-fit/2\" and \"fit/1\"); check the log with the merit version that wrote it" "$tmp/err.txt"

# 10. --top K keeps the first K rows of the ranking; when fewer are qualified, stderr says so.
"$merit" score --model "$model" --candidates examples/pool.csv --top 25 --out "$tmp/t25.csv" 2> "$tmp/err.txt"
check "--top 25: first 25 rows of the ranking" cmp -s "$tmp/t25.csv" <(head -26 "$tmp/p.csv")
check "--top 25 notes the rows that are not qualified (exact message)" grep -qxF \
  "merit score: --top 25: only 23 of the 25 rows written are qualified; the other 2 (incomplete, screened out or without a fit) are not selected" "$tmp/err.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --top 23 --out "$tmp/t23.csv" 2> "$tmp/err.txt"
check "--top 23: no note when every row is qualified" test -z "$(grep 'are not selected' "$tmp/err.txt")"
check "--top 23: every row qualified" test "$(cut -d, -f4 "$tmp/t23.csv" | tail -n +2 | sort -u)" = qualified
"$merit" score --model "$model" --candidates examples/pool.csv --top 25 --table > "$tmp/t25.txt" 2> "$tmp/err.txt"
check "--top 25 --table notes them too" grep -qxF \
  "merit score: --top 25: only 23 of the 25 rows written are qualified; the other 2 (incomplete, screened out or without a fit) are not selected" "$tmp/err.txt"

report pool
