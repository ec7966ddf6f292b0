# merit validity / merit utility end to end (run by ctest as validity.cli).
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json
O=examples/outcomes.csv
"$merit" score --model "$model" --candidates examples/pool.csv --out "$tmp/scores.csv" 2> /dev/null
S=$tmp/scores.csv

# error CODE MESSAGE ARGS...: exit status and the exact last line of stderr.
error() {
  local code=$1 msg=$2
  shift 2
  "$merit" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
  local rc=$?
  check "exit $code: $msg" test "$rc" -eq "$code"
  check "message: $msg" test "$(tail -1 "$tmp/err.txt")" = "$msg"
}

# Continuous criterion, JSON keys exactly as documented.
"$merit" validity --scores "$S" --outcomes "$O" --criterion performance --criterion-reliability 0.52 \
  --applicant-sd 20 --json > "$tmp/c.json" 2> "$tmp/err.txt"
check "continuous exits 0" test $? -eq 0
check "continuous keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))))' "$tmp/c.json")" \
  = "n,r,r_lower,r_upper,p,spearman,r_corrected_criterion,r_corrected_range,r_operational"
check "continuous n" grep -q '"n": 30' "$tmp/c.json"
check "row with an empty fit is counted" grep -qF "1 matched candidate(s) with an empty or NA cell left out" "$tmp/err.txt"
# The join: r equals numpy's correlation of the joined columns.
check "r equals numpy on the join" python3 - "$S" "$O" "$tmp/c.json" << 'PY'
import csv, json, sys, math
fit = {r["candidate_id"]: r["fit"] for r in csv.DictReader(open(sys.argv[1]))}
xy = [(float(fit[r["candidate_id"]]), float(r["performance"])) for r in csv.DictReader(open(sys.argv[2]))
      if fit.get(r["candidate_id"], "") not in ("",)]
n = len(xy); mx = sum(x for x, _ in xy) / n; my = sum(y for _, y in xy) / n
sxy = sum((x - mx) * (y - my) for x, y in xy); sxx = sum((x - mx) ** 2 for x, _ in xy); syy = sum((y - my) ** 2 for _, y in xy)
j = json.load(open(sys.argv[3]))
sys.exit(0 if n == j["n"] and abs(sxy / math.sqrt(sxx * syy) - j["r"]) < 1e-12 else 1)
PY
"$merit" validity --scores "$S" --outcomes "$O" --criterion performance > "$tmp/c.txt" 2> /dev/null
check "table without corrections shows dashes" grep -q "operational validity *-" "$tmp/c.txt"
"$merit" validity --scores "$S" --outcomes "$O" --criterion performance --json 2> /dev/null | grep -q '"r_operational": null'
check "corrections absent are null" test $? -eq 0
# Applicant SD from a file equals the given SD.
"$merit" validity --scores "$S" --outcomes "$O" --criterion performance --applicants "$S" --json > "$tmp/a.json" 2> /dev/null
check "--applicants exits 0" test $? -eq 0
# The applicants here are the hires themselves (same 30 fits): U = 1, so Case II leaves r unchanged.
check "--applicants SD: U = 1 leaves r" python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if abs(j["r_corrected_range"]-j["r"])<1e-12 else 1)' "$tmp/a.json"

# Binary criterion.
"$merit" validity --scores "$S" --outcomes "$O" --criterion left_within_year --json > "$tmp/b.json" 2> /dev/null
check "binary keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))))' "$tmp/b.json")" \
  = "n,point_biserial,odds_ratio_per_10,auc,expectancy"

# --predictor all: the example pool has 26 competencies and 27 complete rows.
awk -F, 'NR == FNR { fit[$2] = $3; next } FNR == 1 { print $0 ",fit"; next } { print $0 "," fit[$1] }' \
  "$S" examples/pool.csv > "$tmp/wide.csv"
error 3 "merit validity: error: $O: too few cases for 26 predictors: 27 matched, a regression needs at least 10 per predictor (260)" \
  validity --scores "$tmp/wide.csv" --outcomes "$O" --criterion performance --predictor all
# With tests/validity/multiple.csv (60 cases, 3 competencies; fit = 20 x their mean)
# the multiple R and its cross-validated value are R's (reference_values.csv).
awk -F, 'NR > 1 { printf "H%02d,%s,%s,%s,%.6f\n", NR, $1, $2, $3, 20 * ($1 + $2 + $3) / 3 }
         NR == 1 { print "candidate_id,c1,c2,c3,fit" }' tests/validity/multiple.csv > "$tmp/m_scores.csv"
awk -F, 'NR > 1 { printf "H%02d,%s\n", NR, $4 } NR == 1 { print "candidate_id,y" }' tests/validity/multiple.csv > "$tmp/m_out.csv"
"$merit" validity --scores "$tmp/m_scores.csv" --outcomes "$tmp/m_out.csv" --criterion y --predictor all --json > "$tmp/all.json"
check "--predictor all exits 0" test $? -eq 0
check "--predictor all matches R's lm and 10-fold CV" python3 - "$tmp/all.json" << 'PY'
import csv, json, sys
ref = {r["name"]: float(r["value"]) for r in csv.DictReader(open("tests/validity/reference_values.csv"))}
j = json.load(open(sys.argv[1]))
m = j["multiple"]
ok = list(j["predictors"]) == ["fit", "c1", "c2", "c3"] and m["n"] == 60 and m["predictors"] == 3 and m["folds"] == 10
ok = ok and abs(m["multiple_r"] - ref["multiple_r"]) < 1e-10 and abs(m["cross_validated_r"] - ref["cross_validated_r"]) < 1e-10
ok = ok and abs(m["fit_r"] - j["predictors"]["fit"]["r"]) < 1e-15
sys.exit(0 if ok else 1)
PY
"$merit" validity --scores "$tmp/m_scores.csv" --outcomes "$tmp/m_out.csv" --criterion y --predictor all > "$tmp/all.txt"
check "--predictor all table" grep -q "cross-validated R (10-fold)" "$tmp/all.txt"

# Bad input: one exact message each.
printf 'candidate_id,fit\nA,1\nB,x\n' > "$tmp/nan.csv"
printf 'candidate_id,fit\nA,1\nA,2\n' > "$tmp/dup.csv"
printf 'candidate_id,performance\nZ1,3\n' > "$tmp/nomatch.csv"
head -11 "$O" > "$tmp/few.csv"
printf 'candidate_id,candidate_age\nC001,30\n' > "$tmp/prot.csv"
error 3 "merit validity: error: $O:1:1: no column 'nope' in the header" \
  validity --scores "$S" --outcomes "$O" --criterion nope
error 3 "merit validity: error: $tmp/nan.csv:3:3: 'x' in column 'fit' is not a number" \
  validity --scores "$tmp/nan.csv" --outcomes "$O" --criterion performance
error 3 "merit validity: error: $tmp/dup.csv:3:1: candidate_id 'A' appears twice (first on line 2)" \
  validity --scores "$tmp/dup.csv" --outcomes "$O" --criterion performance
error 3 "merit validity: error: $tmp/nomatch.csv: no candidate_id of this file is in $S; check that both files use the same ids" \
  validity --scores "$S" --outcomes "$tmp/nomatch.csv" --criterion performance
error 3 "merit validity: error: $tmp/few.csv: too few cases: 10 matched, a validity needs at least 30" \
  validity --scores "$S" --outcomes "$tmp/few.csv" --criterion performance
error 3 "merit validity: error: $tmp/prot.csv:1:14: predictor column 'candidate_age' names a protected characteristic ('age'); demographic data never enters a score" \
  validity --scores "$tmp/prot.csv" --outcomes "$O" --criterion performance --predictor candidate_age
error 3 "merit validity: error: $O: the applicant SD is smaller than the hires' SD; direct range restriction cannot make the hires more variable than the applicants, so Case II does not apply" \
  validity --scores "$S" --outcomes "$O" --criterion performance --applicant-sd 5
error 2 "merit validity: --criterion-reliability must lie in (0, 1], got 1.5 (see 'merit validity --help')" \
  validity --scores "$S" --outcomes "$O" --criterion performance --criterion-reliability 1.5
error 2 "merit validity: --criterion-reliability must lie in (0, 1], got 0 (see 'merit validity --help')" \
  validity --scores "$S" --outcomes "$O" --criterion performance --criterion-reliability 0
error 2 "merit validity: --applicant-sd must be > 0, got 0 (see 'merit validity --help')" \
  validity --scores "$S" --outcomes "$O" --criterion performance --applicant-sd 0
error 2 "merit validity: --applicant-sd must be > 0, got -1 (see 'merit validity --help')" \
  validity --scores "$S" --outcomes "$O" --criterion performance --applicant-sd -1
error 2 "merit validity: indirect range restriction is not corrected: Case II would mis-correct it (Hunter, Schmidt & Le 2006); report the uncorrected r, or the criterion-corrected r alone (see 'merit validity --help')" \
  validity --scores "$S" --outcomes "$O" --criterion performance --restriction indirect

# merit utility.
"$merit" utility --validity 0.35 --selection-ratio 0.2 --base-rate 0.5 --sd-performance 40000 --hires 10 \
  --cost-per-applicant 300 --json > "$tmp/u.json"
check "utility keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))))' "$tmp/u.json")" \
  = "success_ratio,mean_z_selected,utility"
check "utility value (psychometric::TotUtil 180973.344285)" python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if abs(j["utility"]-180973.34428546575)<1e-6 and abs(j["success_ratio"]-0.69655244607325972)<1e-10 else 1)' "$tmp/u.json"
error 2 "merit utility: --selection-ratio must lie strictly between 0 and 1, got 1 (see 'merit utility --help')" \
  utility --validity 0.3 --selection-ratio 1 --base-rate 0.5
error 2 "merit utility: --selection-ratio must lie strictly between 0 and 1, got 0 (see 'merit utility --help')" \
  utility --validity 0.3 --selection-ratio 0 --base-rate 0.5
error 2 "merit utility: --base-rate must lie strictly between 0 and 1, got 1.2 (see 'merit utility --help')" \
  utility --validity 0.3 --selection-ratio 0.5 --base-rate 1.2
error 2 "merit utility: --sd-performance must be > 0, got 0 (see 'merit utility --help')" \
  utility --validity 0.3 --selection-ratio 0.5 --base-rate 0.5 --sd-performance 0 --hires 1 --cost-per-applicant 1
error 2 "merit utility: --sd-performance, --hires and --cost-per-applicant go together; give all three (see 'merit utility --help')" \
  utility --validity 0.3 --selection-ratio 0.5 --base-rate 0.5 --hires 1
report validity.cli
