# merit criterion 360 end to end (run by ctest as criterion.cli).
source "$(dirname "$0")/../cli/harness.sh" "$@"
W=salespeople=0.5,manager=0.3,peer=0.2
E=examples/ratings_360.csv
D=tests/criterion

# error CODE MESSAGE ARGS...: exit status and the exact last line of stderr.
error() {
  local code=$1 msg=$2
  shift 2
  "$merit" "$@" > "$tmp/out.txt" 2> "$tmp/err.txt"
  local rc=$?
  check "exit $code: $msg" test "$rc" -eq "$code"
  check "message: $msg" test "$(tail -1 "$tmp/err.txt")" = "$msg"
}

# The example: one row a person, the documented columns.
"$merit" criterion 360 --ratings "$E" --weights "$W" --out "$tmp/c.csv" > "$tmp/summary.txt" 2> "$tmp/err.txt"
check "example exits 0" test $? -eq 0
check "CSV header" test "$(head -1 "$tmp/c.csv")" = \
  "candidate_id,composite,salespeople_mean,salespeople_raters,manager_mean,manager_raters,peer_mean,peer_raters,missing_groups"
check "one row a person" test "$(wc -l < "$tmp/c.csv")" -eq 32
check "summary names Mosier" grep -q "composite reliability (Mosier 1943)" "$tmp/summary.txt"
check "manager not estimable, said so" grep -q "manager: one rater per person: agreement between raters cannot be estimated" "$tmp/summary.txt"
# The composite is the weighted mean of the group means, recomputed from the ratings.
check "composite recomputed from the ratings" python3 - "$E" "$tmp/c.csv" << 'PY'
import csv, sys
from collections import defaultdict
w = {"salespeople": 0.5, "manager": 0.3, "peer": 0.2}
r = defaultdict(lambda: defaultdict(list))
for row in csv.DictReader(open(sys.argv[1])):
    r[row["candidate_id"]][row["rater_group"]].append(float(row["rating"]))
out = {row["candidate_id"]: float(row["composite"]) for row in csv.DictReader(open(sys.argv[2]))}
ok = len(out) == len(r) and all(abs(out[p] - sum(w[g] * sum(v) / len(v) for g, v in r[p].items())) < 5e-7 for p in r)
sys.exit(0 if ok else 1)
PY

# JSON: the documented keys; no reliability for the manager, so none for the composite.
"$merit" criterion 360 --ratings "$E" --weights "$W" --out "$tmp/c.csv" --json > "$tmp/c.json" 2> /dev/null
check "JSON keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))))' "$tmp/c.json")" \
  = "format,persons,incomplete,dropped,missing_group,weights,groups,composite"
check "group keys" test "$(python3 -c 'import json,sys; print(",".join(json.load(open(sys.argv[1]))["groups"][0]))' "$tmp/c.json")" \
  = "group,weight,persons,ratings,raters_min,raters_max,balanced,model,k,icc1,icc1k,f,df1,df2,p,reliability,reliability_source,note"
check "composite reliability null without the manager's" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if j["composite"]["reliability"] is None and j["groups"][1]["icc1"]["value"] is None else 1)' "$tmp/c.json"

# The R reference data set through the CLI: psych::ICC, the one-way ANOVA and Mosier (reference.R).
"$merit" criterion 360 --ratings "$D/ratings.csv" --weights "$W" --group-reliability manager=0.52 \
  --out "$tmp/r.csv" --json > "$tmp/r.json" 2> /dev/null
check "reference data exits 0" test $? -eq 0
check "CLI matches R to 1e-10" python3 - "$tmp/r.json" "$D/reference_values.csv" << 'PY'
import csv, json, sys
j = json.load(open(sys.argv[1]))
ref = {r["name"]: float(r["value"]) for r in csv.DictReader(open(sys.argv[2]))}
g = {x["group"]: x for x in j["groups"]}
pairs = [(g["peer"]["icc1"]["value"], "peer_icc1"), (g["peer"]["icc1k"]["value"], "peer_icc1k"),
         (g["peer"]["icc1k"]["lower"], "peer_icc1k_lower"), (g["peer"]["p"], "peer_p"),
         (g["salespeople"]["icc1"]["value"], "sales_icc1"), (g["salespeople"]["icc1k"]["value"], "sales_icc1k"),
         (g["salespeople"]["k"], "sales_k0"), (g["salespeople"]["icc1k"]["upper"], "sales_icc1k_upper"),
         (j["composite"]["reliability"], "mosier"), (j["composite"]["variance"], "composite_variance")]
bad = [(name, v, ref[name]) for v, name in pairs if abs(v - ref[name]) > 1e-10]
print(bad) if bad else None
sys.exit(1 if bad or g["manager"]["reliability_source"] != "given" else 0)
PY

# The pipeline: the criterion CSV is an outcomes file for merit validity.
"$merit" score --model competency_models/sales_enablement.json --candidates examples/pool.csv --out "$tmp/scores.csv" 2> /dev/null
"$merit" validity --scores "$tmp/scores.csv" --outcomes "$tmp/c.csv" --criterion composite --json > "$tmp/v.json" 2> /dev/null
check "validity reads the criterion" test $? -eq 0
check "validity joined 30 hires" grep -q '"n": 30' "$tmp/v.json"

# Missing groups: refuse by default; renormalise flags the row; drop leaves it out.
grep -v "^C005,manager" "$E" > "$tmp/missing.csv"
error 3 "merit criterion: error: $tmp/missing.csv: 'C005' has no rating from rater group 'manager'; renormalise the weights over the groups present (the row is flagged) or drop such persons" \
  criterion 360 --ratings "$tmp/missing.csv" --weights "$W"
"$merit" criterion 360 --ratings "$tmp/missing.csv" --weights "$W" --missing-group renormalise --out "$tmp/m.csv" > /dev/null 2> "$tmp/err.txt"
check "renormalise exits 0" test $? -eq 0
check "renormalised row flagged" grep -q "^C005,.*,,0,.*,manager$" "$tmp/m.csv"
check "renormalise counted" grep -qF "1 person(s) without a rating from every group: weights renormalised" "$tmp/err.txt"
"$merit" criterion 360 --ratings "$tmp/missing.csv" --weights "$W" --missing-group drop --out "$tmp/d.csv" > /dev/null 2> "$tmp/err.txt"
check "drop leaves the person out" test "$(grep -c '^C005,' "$tmp/d.csv")" -eq 0
check "drop counted" grep -qF "1 person(s) without a rating from every group dropped" "$tmp/err.txt"

# Refusals, each with its exact message.
error 2 "merit criterion: --weights: the rater-group weights sum to 1.1, not 1; if the proportions are meant, the weights are salespeople=0.45454545454545453,manager=0.2727272727272727,peer=0.2727272727272727 (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights salespeople=0.5,manager=0.3,peer=0.3
error 2 "merit criterion: --weights: the weight of rater group 'peer' must be > 0, got 0 (leave a group out by excluding it) (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights salespeople=0.7,manager=0.3,peer=0
error 2 "merit criterion: option --weights takes GROUP=NUMBER pairs separated by commas, got 'manager' (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights salespeople=0.7,manager
error 2 "merit criterion: missing required option --weights (see 'merit criterion --help')" criterion 360 --ratings "$E"
error 2 "merit criterion: unknown criterion kind 'peer'; the kind merit knows is 360 (see 'merit criterion --help')" \
  criterion peer --ratings "$E" --weights "$W"
error 2 "merit criterion: --json prints the summary on stdout; give --out for the criterion CSV (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights "$W" --json
error 2 "merit criterion: rater group 'peer' has a weight and is excluded; choose one (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights "$W" --exclude peer
error 2 "merit criterion: --group-reliability for 'manager' must lie in (0, 1], got 0 (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights "$W" --group-reliability manager=0
error 2 "merit criterion: --group-reliability names rater group 'self', which has no weight (see 'merit criterion --help')" \
  criterion 360 --ratings "$E" --weights "$W" --group-reliability self=0.5
# A group in the file without a weight, at its cell; --exclude leaves it out.
{ cat "$E"; echo "C001,self,C001-self,5"; } > "$tmp/self.csv"
error 3 "merit criterion: error: $tmp/self.csv:214:6: rater group 'self' has no weight (--weights names salespeople, manager, peer); give it a weight or --exclude it" \
  criterion 360 --ratings "$tmp/self.csv" --weights "$W"
"$merit" criterion 360 --ratings "$tmp/self.csv" --weights "$W" --exclude self --out "$tmp/x.csv" > /dev/null 2> "$tmp/err.txt"
check "--exclude leaves the group out" cmp -s "$tmp/x.csv" "$tmp/c.csv"
check "--exclude counted" grep -qF "1 row(s) of excluded groups left out" "$tmp/err.txt"
# A weighted group with no rating in the file (a misspelt name).
error 3 "merit criterion: error: $E: rater group 'peers' has a weight but no rating; check its spelling" \
  criterion 360 --ratings "$E" --weights salespeople=0.5,manager=0.3,peers=0.2 --exclude peer
# A rater who rates the same person twice, at the second rating.
{ cat "$E"; echo "C001,peer,C001-P1,2"; } > "$tmp/dup.csv"
error 3 "merit criterion: error: $tmp/dup.csv:214:11: rater 'C001-P1' of group 'peer' rates 'C001' again (first on line 6); give one rating per rater and person" \
  criterion 360 --ratings "$tmp/dup.csv" --weights "$W"
{ cat "$E"; echo "C001,peer,C001-P3,good"; } > "$tmp/text.csv"
error 3 "merit criterion: error: $tmp/text.csv:214:19: rating 'good' is not a number" \
  criterion 360 --ratings "$tmp/text.csv" --weights "$W"
printf 'candidate_id,group,rater_id,rating\nC001,peer,a,3\n' > "$tmp/header.csv"
error 3 "merit criterion: error: $tmp/header.csv:1:1: no column 'rater_group' in the header (a 360 ratings file has candidate_id, rater_group, rater_id, rating)" \
  criterion 360 --ratings "$tmp/header.csv" --weights "$W"

report "criterion.cli"
