# merit cut end to end (run by ctest as cut.cli).
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json
O=examples/outcomes.csv
G=examples/groups.csv
"$merit" score --model "$model" --candidates examples/pool.csv --out "$tmp/scores.csv" \
  --audit-log "$tmp/log.jsonl" 2> /dev/null
S=$tmp/scores.csv

error() {
  local code=$1 msg=$2
  shift 2
  "$merit" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
  local rc=$?
  check "exit $code: $msg" test "$rc" -eq "$code"
  check "message: $msg" test "$(tail -1 "$tmp/err.txt")" = "$msg"
}

both=(cut --scores "$S" --outcomes "$O" --criterion left_within_year --success-value 0 --target-success 0.8
      --selection-ratio 0.3 --groups "$G" --by sex)
"$merit" "${both[@]}" --json > "$tmp/cut.json" 2> "$tmp/err.txt"
check "both cuts exit 0" test $? -eq 0
check "report keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))))' "$tmp/cut.json")" \
  = "format,predictor,pool,expectancy,ratio,cuts,groups_without_scores"

# Independent computation (plain Python from the files, not from merit's output):
# the expectancy cut, the ratio cut, each selection and the impact ratios by sex.
check "cuts and impact ratios equal an independent computation" python3 - "$S" "$O" "$G" "$tmp/cut.json" << 'PY'
import csv, json, math, sys
scores = list(csv.DictReader(open(sys.argv[1])))
fit = {r["candidate_id"]: (float(r["fit"]) if r["fit"] else None) for r in scores}
qualified = {r["candidate_id"]: r["status"] == "qualified" for r in scores}
hires = [(fit[r["candidate_id"]], 1 if r["left_within_year"] == "0" else 0)
         for r in csv.DictReader(open(sys.argv[2])) if fit.get(r["candidate_id"]) is not None]
# Expectancy: the lowest observed score c with success rate >= .8 among hires scoring >= c.
exp_cut = None
for c in sorted({x for x, _ in hires}):
    above = [s for x, s in hires if x >= c]
    if sum(above) / len(above) >= 0.8:
        exp_cut, exp_n, exp_k = c, len(above), sum(above)
        break
# Ratio: the m-th highest eligible score, m the least count with m / n >= .3.
n = len(scores)
m = math.ceil(round(0.3 * n, 9))
eligible = sorted((fit[i] for i in fit if fit[i] is not None and qualified[i]), reverse=True)
ratio_cut = eligible[m - 1]
sex = {r["candidate_id"]: r["sex"] for r in csv.DictReader(open(sys.argv[3]))}
def impact(cut):
    sel = {i: fit[i] is not None and qualified[i] and fit[i] >= cut for i in fit}
    rate = {}
    for g in sorted(set(sex.values())):
        ids = [i for i in fit if sex.get(i) == g]
        rate[g] = sum(sel[i] for i in ids) / len(ids)
    top = max(rate.values())
    return sum(sel.values()), {g: r / top for g, r in rate.items()}
j = json.load(open(sys.argv[4]))
cuts = {c["rule"]: c for c in j["cuts"]}
ok = True
z = 1.959963984540054
p = exp_k / exp_n
lo = (p + z * z / (2 * exp_n) - z * math.sqrt(p * (1 - p) / exp_n + z * z / (4 * exp_n ** 2))) / (1 + z * z / exp_n)
ok &= j["expectancy"]["cut"] == exp_cut and j["expectancy"]["n"] == exp_n and abs(j["expectancy"]["lower"] - lo) < 1e-12
ok &= j["ratio"]["cut"] == ratio_cut and j["ratio"]["target_count"] == m
for rule, cut in (("expectancy", exp_cut), ("ratio", ratio_cut)):
    selected, ratios = impact(cut)
    ok &= cuts[rule]["cut"] == cut and cuts[rule]["selected"] == selected
    got = {c["name"]: c["impact_ratio"] for c in cuts[rule]["impact"]["categories"]}
    ok &= all(abs(got[g] - r) < 1e-12 for g, r in ratios.items())
print(exp_cut, ratio_cut) if not ok else None
sys.exit(0 if ok else 1)
PY
# The impact table equals merit audit's for the same selection.
awk -F, -v cut="$(python3 -c 'import json,sys; print([c for c in json.load(open(sys.argv[1]))["cuts"] if c["rule"]=="ratio"][0]["cut"])' "$tmp/cut.json")" \
  'NR == 1 { print $0 ",sel"; next } { print $0 "," (($3 != "" && $3 + 0 >= cut + 0 && $4 == "qualified") ? 1 : 0) }' "$S" > "$tmp/sel.csv"
"$merit" audit --results "$tmp/sel.csv" --groups "$G" --by sex --selected-column sel --json > "$tmp/audit.json" 2> /dev/null
check "impact equals merit audit's" python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); c = [c for c in json.load(open(sys.argv[2]))["cuts"] if c["rule"] == "ratio"][0]
keys = ["name", "applicants", "selected", "selection_rate", "impact_ratio", "four_fifths_flag", "fisher_p", "z_p"]
sys.exit(0 if [[x[k] for k in keys] for x in a["categories"]] == [[x[k] for k in keys] for x in c["impact"]["categories"]] else 1)' \
  "$tmp/audit.json" "$tmp/cut.json"

# The table shows both side by side.
"$merit" "${both[@]}" > "$tmp/cut.txt" 2> /dev/null
check "table: both columns" grep -qE "^ +expectancy +ratio$" "$tmp/cut.txt"
check "table: impact by sex" grep -q "^  female" "$tmp/cut.txt"

# The groups never move a cut: the same cuts without them, and with the labels swapped.
"$merit" cut --scores "$S" --outcomes "$O" --criterion left_within_year --success-value 0 --target-success 0.8 \
  --selection-ratio 0.3 --json > "$tmp/nogroups.json" 2> /dev/null
sed 's/female/X/; s/,male/,female/; s/X/male/' "$G" > "$tmp/swapped.csv"
"$merit" cut --scores "$S" --outcomes "$O" --criterion left_within_year --success-value 0 --target-success 0.8 \
  --selection-ratio 0.3 --groups "$tmp/swapped.csv" --by sex --json > "$tmp/swapped.json" 2> /dev/null
check "groups never move the cuts" python3 -c '
import json, sys
cuts = [[(c["rule"], c["cut"], c["selected"]) for c in json.load(open(f))["cuts"]] for f in sys.argv[1:]]
sys.exit(0 if cuts[0] == cuts[1] == cuts[2] else 1)' "$tmp/cut.json" "$tmp/nogroups.json" "$tmp/swapped.json"

# The decision log: the chosen cut is appended, verify-log recomputes it.
"$merit" "${both[@]}" --choose ratio --rationale "top 30% keeps the four-fifths rule at both cuts" \
  --audit-log "$tmp/log.jsonl" > /dev/null 2> "$tmp/err.txt"
check "choose exits 0" test $? -eq 0
check "cut record appended" test "$(tail -1 "$tmp/log.jsonl" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["record"], r["choice"], r["rationale"])')" \
  = "cut ratio top 30% keeps the four-fifths rule at both cuts"
"$merit" verify-log --log "$tmp/log.jsonl" --model "$model" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "verify-log passes a log with a cut record" test $? -eq 0
check "verify-log says the cut was recomputed" test "$(tail -1 "$tmp/err.txt")" = \
  "merit verify-log: $tmp/log.jsonl matches its inputs (31 candidate records, 1 cut record(s) recomputed)"
# A tampered cut record fails.
python3 - "$tmp/log.jsonl" "$tmp/bad.jsonl" << 'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
r = json.loads(lines[-1]); r["cut"] = r["cut"] - 1
open(sys.argv[2], "w").write("\n".join(lines[:-1] + [json.dumps(r)]) + "\n")
PY
"$merit" verify-log --log "$tmp/bad.jsonl" --model "$model" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "a tampered cut record fails" test $? -eq 3
check "and is named" grep -q "bad.jsonl:33: cut record: field 'cut' differs" "$tmp/err.txt"
# A changed input is caught by its hash.
cp "$G" "$tmp/groups.csv"
"$merit" cut --scores "$S" --selection-ratio 0.3 --groups "$tmp/groups.csv" --by sex --choose 40 --rationale "a round number" --audit-log "$tmp/log.jsonl" > /dev/null 2>&1
echo "C999,female" >> "$tmp/groups.csv"
"$merit" verify-log --log "$tmp/log.jsonl" --model "$model" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "a changed input fails" test $? -eq 3
check "its hash is named" grep -q "log.jsonl:34: cut record: field 'inputs' differs" "$tmp/err.txt"
# An input that is gone: the record is not checked, said so, and does not fail the log.
rm "$tmp/groups.csv"
"$merit" verify-log --log "$tmp/log.jsonl" --model "$model" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "a cut record with its inputs gone does not fail" test $? -eq 0
check "it is named as not checked" grep -qF "log.jsonl:34: cut record not checked: input '$tmp/groups.csv' is not found" "$tmp/err.txt"
check "and counted" test "$(tail -1 "$tmp/err.txt")" = \
  "merit verify-log: $tmp/log.jsonl matches its inputs (31 candidate records, 1 cut record(s) recomputed, 1 cut record(s) NOT checked)"

# Refusals.
error 2 "merit cut: --outcomes needs --criterion and --target-success (see 'merit cut --help')" \
  cut --scores "$S" --outcomes "$O" --criterion performance
error 2 "merit cut: --target-success must lie in (0, 1], got 1.5 (see 'merit cut --help')" \
  cut --scores "$S" --outcomes "$O" --criterion left_within_year --target-success 1.5
error 2 "merit cut: --selection-ratio must lie in (0, 1], got 0 (see 'merit cut --help')" \
  cut --scores "$S" --selection-ratio 0
error 2 "merit cut: --groups and --by go together (see 'merit cut --help')" cut --scores "$S" --selection-ratio 0.3 --groups "$G"
error 2 "merit cut: --choose, --rationale and --audit-log go together: the chosen cut and why go into the log (see 'merit cut --help')" \
  cut --scores "$S" --selection-ratio 0.3 --choose ratio
error 2 "merit cut: --choose ratio needs --selection-ratio (see 'merit cut --help')" \
  cut --scores "$S" --choose ratio --rationale why --audit-log "$tmp/log.jsonl"
error 2 "merit cut: --choose takes expectancy, ratio or a score, got 'high' (see 'merit cut --help')" \
  cut --scores "$S" --selection-ratio 0.3 --choose high --rationale why --audit-log "$tmp/log.jsonl"
error 2 "merit cut: nothing to compute: give --outcomes (expectancy cut), --selection-ratio or --choose VALUE (see 'merit cut --help')" \
  cut --scores "$S"
error 3 "merit cut: error: $O:2:6: the criterion 'performance' must be 0 or 1 for an expectancy cut, got '1.85'" \
  cut --scores "$S" --outcomes "$O" --criterion performance --target-success 0.5
error 3 "merit cut: error: $O: no expectancy cut reaches a success rate of 1, so it cannot be chosen" \
  cut --scores "$S" --outcomes "$O" --criterion left_within_year --target-success 1 \
  --choose expectancy --rationale why --audit-log "$tmp/log.jsonl"
printf 'not a log\n' > "$tmp/notlog.jsonl"
error 3 "merit cut: error: $tmp/notlog.jsonl:1: not a decision log: the first line is not a merit.decision-log/1 header record (write one with 'merit score --audit-log')" \
  cut --scores "$S" --selection-ratio 0.3 --choose ratio --rationale why --audit-log "$tmp/notlog.jsonl"
awk -F, 'NR == 1 { print "candidate_id,age" } NR > 1 { print $2 "," $3 }' "$S" > "$tmp/age.csv"
error 3 "merit cut: error: $tmp/age.csv:1:14: predictor column 'age' names a protected characteristic ('age'); demographic data never enters a score" \
  cut --scores "$tmp/age.csv" --predictor age --selection-ratio 0.3

report "cut.cli"
