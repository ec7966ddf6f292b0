# merit norms and merit score --norms end to end (run by ctest as norms.cli).
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json
"$merit" score --model "$model" --candidates examples/past_pool.csv --out "$tmp/past.csv" 2> /dev/null
"$merit" score --model "$model" --candidates examples/pool.csv --out "$tmp/new.csv" 2> /dev/null

# error CODE MESSAGE ARGS...: exit status, the exact last line of stderr, and no output file.
error() {
  local code=$1 msg=$2
  shift 2
  rm -f "$tmp/out.any"
  "$merit" "$@" > "$tmp/stdout.txt" 2> "$tmp/err.txt"
  local rc=$?
  check "exit $code: $msg" test "$rc" -eq "$code"
  check "message: $msg" test "$(tail -1 "$tmp/err.txt")" = "$msg"
  check "nothing written: $msg" test ! -e "$tmp/out.any"
}

# mid_rank FILE COLUMN VALUE_FILE: the mid-rank percentile of each fit of VALUE_FILE among the
# fits of FILE, computed here in awk (an independent implementation): "candidate_id,percentile".
mid_rank() {
  awk -F, -v col="$2" '
    NR == FNR { if (FNR == 1) { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
                if ($c != "") { s[++n] = $c + 0 } next }
    FNR == 1 { for (i = 1; i <= NF; i++) { if ($i == col) v = i; if ($i == "candidate_id") id = i } next }
    { if ($v == "") { print $id ","; next }
      below = 0; equal = 0
      for (k = 1; k <= n; k++) { if (s[k] < $v + 0) below++; else if (s[k] == $v + 0) equal++ }
      printf "%s,%.9f\n", $id, 100 * (below + equal / 2) / n }' "$1" "$3"
}

# percentiles FILE: "candidate_id,percentile" of a file with those columns.
percentiles() {
  python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1])): print(r["candidate_id"] + "," + r["percentile"])' "$1"
}

# same_percentiles A B: the same ids, percentiles within 5e-7 (6 printed decimals).
same_percentiles() {
  python3 - "$1" "$2" << 'PY'
import sys
a = dict(l.strip().split(",") for l in open(sys.argv[1]))
b = dict(l.strip().split(",") for l in open(sys.argv[2]))
ok = a.keys() == b.keys() and all((a[k] == "" and b[k] == "") or (a[k] != "" and b[k] != "" and abs(float(a[k]) - float(b[k])) <= 5e-7) for k in a)
sys.exit(0 if ok and len(a) > 0 else 1)
PY
}

# build: one group
"$merit" norms build --model "$model" --scores "$tmp/past.csv" --out "$tmp/norms.json" 2> "$tmp/err.txt"
check "build exits 0" test $? -eq 0
check "build summary" test "$(cat "$tmp/err.txt")" = "merit norms: built norms of 400 scores in 1 group (all 400)"
hash=$("$merit" profiles "$model" | awk '/^sales_enablement$/ { p = 1 } p && /scoring:/ { print $3; exit }')
check "merit profiles shows a 64-hex scoring hash" test "${#hash}" -eq 64
check "norms file fields" python3 - "$tmp/norms.json" "$hash" << 'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
ok = (list(j) == ["format", "model", "profile", "column", "by", "built", "rule", "min_n", "groups"]
      and j["format"] == "merit.norms/1" and j["model"]["id"] == "sales_enablement"
      and j["model"]["scoring_hash"] == sys.argv[2] and j["profile"] == "sales_enablement"
      and j["column"] == "fit" and j["by"] is None and j["min_n"] == 100
      and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", j["built"])
      and len(j["groups"]) == 1 and j["groups"][0]["group"] == "all" and j["groups"][0]["n"] == 400
      and sum(j["groups"][0]["counts"]) == 400 and j["groups"][0]["values"] == sorted(set(j["groups"][0]["values"])))
sys.exit(0 if ok else 1)
PY

# apply: percentiles equal the awk mid-rank computation
"$merit" norms apply --model "$model" --norms "$tmp/norms.json" --scores "$tmp/new.csv" --out "$tmp/new_pct.csv" 2> "$tmp/err.txt"
check "apply exits 0" test $? -eq 0
check "apply keeps the columns and adds percentile" test "$(head -1 "$tmp/new_pct.csv")" = "$(head -1 "$tmp/new.csv"),percentile"
check "apply keeps every row" test "$(wc -l < "$tmp/new_pct.csv")" -eq "$(wc -l < "$tmp/new.csv")"
mid_rank "$tmp/past.csv" fit "$tmp/new.csv" > "$tmp/ref.txt"
percentiles "$tmp/new_pct.csv" > "$tmp/got.txt"
check "apply: percentiles equal an independent mid-rank computation" same_percentiles "$tmp/ref.txt" "$tmp/got.txt"
check "apply summary counts the row without a fit" grep -qF "merit norms: 31 rows; 1 without a score (empty percentile)" "$tmp/err.txt"
"$merit" norms apply --model "$model" --norms "$tmp/norms.json" --scores "$tmp/past.csv" --out "$tmp/past_pct.csv" 2> /dev/null
mid_rank "$tmp/past.csv" fit "$tmp/past.csv" > "$tmp/ref2.txt"
percentiles "$tmp/past_pct.csv" > "$tmp/got2.txt"
check "apply to the norm sample itself" same_percentiles "$tmp/ref2.txt" "$tmp/got2.txt"

# outside the sample's range: 0 and 100
python3 - "$tmp/past.csv" "$tmp/edge.csv" << 'PY'
import csv, sys
fits = [float(r["fit"]) for r in csv.DictReader(open(sys.argv[1])) if r["fit"]]
with open(sys.argv[2], "w") as f:
    f.write("candidate_id,fit\nlow,%.6f\nhigh,%.6f\nnone,\n" % (min(fits) - 1, 100.5))
PY
"$merit" norms apply --model "$model" --norms "$tmp/norms.json" --scores "$tmp/edge.csv" --out "$tmp/edge_pct.csv" 2> "$tmp/err.txt"
check "below the sample: 0, above: 100, no fit: empty" test "$(tail -3 "$tmp/edge_pct.csv" | cut -d, -f3 | tr '\n' ' ')" = "0.000000 100.000000  "
check "outside the range is counted" test "$(cat "$tmp/err.txt")" = \
  "merit norms: 3 rows; 1 without a score (empty percentile); 2 outside the norm sample's range (percentile 0 below it, 100 above it)"

# merit score --norms: the same percentiles as apply, and the norm group
"$merit" score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms.json" --out "$tmp/scored.csv" 2> /dev/null
check "score --norms exits 0" test $? -eq 0
check "score --norms header" test "$(head -1 "$tmp/scored.csv")" = "rank,candidate_id,fit,status,coverage,band,percentile,norm_group"
percentiles "$tmp/scored.csv" > "$tmp/got3.txt"
check "score --norms equals norms apply" same_percentiles "$tmp/got.txt" "$tmp/got3.txt"
check "score --norms: norm_group all" test "$(cut -d, -f8 "$tmp/scored.csv" | sort -u | tr '\n' ' ')" = "all norm_group "
"$merit" score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms.json" --out "$tmp/scored.jsonl" 2> /dev/null
check "score --norms JSON Lines keys" python3 - "$tmp/scored.jsonl" << 'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = all(list(r)[-2:] == ["percentile", "norm_group"] and r["norm_group"] == "all" for r in rows)
ok = ok and all((r["fit"] is None) == (r["percentile"] is None) for r in rows) and any(r["fit"] is None for r in rows)
sys.exit(0 if ok else 1)
PY

# --by region: groups, then score with --norm-group
awk -F, 'NR == 1 { print $0 ",region"; next } { print $0 "," (substr($2, 2) % 2 ? "east" : "west") }' \
  "$tmp/past.csv" > "$tmp/past_region.csv"
"$merit" norms build --model "$model" --scores "$tmp/past_region.csv" --by region --out "$tmp/norms_region.json" 2> "$tmp/err.txt"
check "build --by exits 0" test $? -eq 0
check "build --by summary" test "$(cat "$tmp/err.txt")" = "merit norms: built norms of 400 scores in 2 groups (east 200, west 200)"
"$merit" norms apply --model "$model" --norms "$tmp/norms_region.json" --scores "$tmp/past_region.csv" \
  --out "$tmp/region_pct.csv" 2> /dev/null
awk -F, 'NR == 1 || $NF == "east"' "$tmp/past_region.csv" > "$tmp/east.csv"
mid_rank "$tmp/east.csv" fit "$tmp/east.csv" > "$tmp/ref4.txt"
awk -F, 'NR > 1 && $(NF - 1) == "east" { print $2 "," $NF }' "$tmp/region_pct.csv" > "$tmp/got4.txt"
check "apply --by: percentiles within the row's group" same_percentiles "$tmp/ref4.txt" "$tmp/got4.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms_region.json" --norm-group west \
  --out "$tmp/scored_west.csv" 2> /dev/null
check "score --norm-group west" test "$(cut -d, -f8 "$tmp/scored_west.csv" | sort -u | tr '\n' ' ')" = "norm_group west "

# errors, each with its exact message and nothing written
for col in race sex national_origin; do
  error 3 "merit norms: error: norm groups by '$col' would norm by a protected characteristic ('$col'): norming scores by race, color, religion, sex or national origin is unlawful in the US (42 U.S.C. 2000e-2(l)); group by job, level or region" \
    norms build --model "$model" --scores "$tmp/past.csv" --by "$col" --out "$tmp/out.any"
done
head -51 "$tmp/past.csv" > "$tmp/small.csv"
error 3 "merit norms: error: $tmp/small.csv: group 'all' has 50 scores; norms need at least 100 per group (docs/norms.md)" \
  norms build --model "$model" --scores "$tmp/small.csv" --out "$tmp/out.any"
error 3 "merit norms: error: $tmp/small.csv:1:1: no column 'region' in the header" \
  norms build --model "$model" --scores "$tmp/small.csv" --by region --out "$tmp/out.any"
sed -E '5s/,(east|west)$/,/' "$tmp/past_region.csv" > "$tmp/empty_group.csv"
error 3 "merit norms: error: $tmp/empty_group.csv:5:$(sed -n 5p "$tmp/empty_group.csv" | wc -c): empty norm group in column 'region'; every row needs its group" \
  norms build --model "$model" --scores "$tmp/empty_group.csv" --by region --out "$tmp/out.any"
sed '3s/^\([^,]*\),\([^,]*\),[^,]*,/\1,\2,abc,/' "$tmp/past.csv" > "$tmp/bad_fit.csv"
error 3 "merit norms: error: $tmp/bad_fit.csv:3:$(( $(sed -n 3p "$tmp/bad_fit.csv" | cut -d, -f1-2 | wc -c) + 1 )): 'abc' in column 'fit' is not a number" \
  norms build --model "$model" --scores "$tmp/bad_fit.csv" --out "$tmp/out.any"
sed 's/,west$/,north/' "$tmp/past_region.csv" > "$tmp/north.csv"
line=$(awk -F, '$NF == "north" { print NR; exit }' "$tmp/north.csv")
error 3 "merit norms: error: $tmp/north.csv:$line:$(( $(sed -n "${line}p" "$tmp/north.csv" | wc -c) - 5 )): no norms for group 'north' (the norms have: east, west)" \
  norms apply --model "$model" --norms "$tmp/norms_region.json" --scores "$tmp/north.csv" --out "$tmp/out.any"
error 3 "merit norms: error: $tmp/new.csv:1:1: no column 'region' in the header (the norms are grouped by it)" \
  norms apply --model "$model" --norms "$tmp/norms_region.json" --scores "$tmp/new.csv" --out "$tmp/out.any"
error 3 "merit norms: error: $tmp/new_pct.csv:1:1: the scores already have a 'percentile' column" \
  norms apply --model "$model" --norms "$tmp/norms.json" --scores "$tmp/new_pct.csv" --out "$tmp/out.any"
error 3 "merit norms: error: $tmp/norms.json: these norms are for column 'fit', not 'coverage'" \
  norms apply --model "$model" --norms "$tmp/norms.json" --scores "$tmp/new.csv" --column coverage --out "$tmp/out.any"
# A changed target changes the scoring hash: the norms no longer apply; a reworded question does not.
python3 - "$model" "$tmp/edited.json" "$tmp/reworded.json" << 'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["competencies"][0]["questions"][0]["text"]["en"] = "Reworded: tell me about a time you organised sales content."
json.dump(m, open(sys.argv[3], "w"), ensure_ascii=False)
m["profiles"][0]["targets"]["content_clarity"]["target"] = 5
json.dump(m, open(sys.argv[2], "w"), ensure_ascii=False)
PY
new_hash=$("$merit" profiles "$tmp/edited.json" | awk '/^sales_enablement$/ { p = 1 } p && /scoring:/ { print $3; exit }')
error 3 "merit norms: error: $tmp/norms.json: these norms were built with scoring hash ${hash:0:12} (model sales_enablement 2.1.0), but profile 'sales_enablement' now scores with ${new_hash:0:12}: a target, weight, hurdle, scale mapping or evidence weight changed, so the norms no longer describe its scores; rebuild them with 'merit norms build'" \
  norms apply --model "$tmp/edited.json" --norms "$tmp/norms.json" --scores "$tmp/new.csv" --out "$tmp/out.any"
error 3 "merit score: error: $tmp/norms.json: these norms were built with scoring hash ${hash:0:12} (model sales_enablement 2.1.0), but profile 'sales_enablement' now scores with ${new_hash:0:12}: a target, weight, hurdle, scale mapping or evidence weight changed, so the norms no longer describe its scores; rebuild them with 'merit norms build'" \
  score --model "$tmp/edited.json" --candidates examples/pool.csv --norms "$tmp/norms.json" --out "$tmp/out.any"
"$merit" norms apply --model "$tmp/reworded.json" --norms "$tmp/norms.json" --scores "$tmp/new.csv" --out "$tmp/reworded_pct.csv" 2> /dev/null
check "a reworded question keeps the norms" cmp -s "$tmp/reworded_pct.csv" "$tmp/new_pct.csv"
error 3 "merit score: error: $tmp/norms.json: these norms are for profile 'sales_enablement', not 'sales_operations'" \
  score --model "$model" --profile sales_operations --candidates examples/pool.csv --norms "$tmp/norms.json" --out "$tmp/out.any"
error 3 "merit score: error: $tmp/norms_region.json: these norms have several groups (by 'region': east, west); name the candidates' group" \
  score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms_region.json" --out "$tmp/out.any"
error 3 "merit score: error: $tmp/norms_region.json: no norms for group 'south' (the norms have: east, west)" \
  score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms_region.json" --norm-group south --out "$tmp/out.any"
error 2 "merit score: --norm-group needs --norms (see 'merit score --help')" \
  score --model "$model" --candidates examples/pool.csv --norm-group east --out "$tmp/out.any"
error 2 "merit score: --norms adds columns to CSV or JSON Lines; it excludes --table (see 'merit score --help')" \
  score --model "$model" --candidates examples/pool.csv --norms "$tmp/norms.json" --table --out "$tmp/out.any"
echo '{"format": "merit.norms/1", "model": {"id": "x"}}' > "$tmp/bad_norms.json"
error 3 "merit norms: error: $tmp/bad_norms.json#/model: missing 'version'" \
  norms apply --model "$model" --norms "$tmp/bad_norms.json" --scores "$tmp/new.csv" --out "$tmp/out.any"
error 2 "merit norms: unknown subcommand 'show'; expected build or apply (see 'merit norms --help')" norms show
error 2 "merit norms: missing subcommand (merit norms build ... or merit norms apply ...) (see 'merit norms --help')" norms
"$merit" norms --help > "$tmp/help.txt"
check "help names the statute" grep -qF "(42 U.S.C. 2000e-2(l))" "$tmp/help.txt"

report norms.cli
