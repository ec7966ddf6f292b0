#!/usr/bin/env bash
# End-to-end checks of the merit CLI. Usage: cli_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/harness.sh" "$@"
model=competency_models/sales_enablement.json
mini=tests/data/models/mini.json

# The main job works and writes the documented header.
"$merit" score --model "$model" --profile sales_enablement --candidates examples/pool.csv --out "$tmp/out.csv"
check "score exits 0" test $? -eq 0
check "score header (band: the profile gives a reliability)" test "$(head -1 "$tmp/out.csv")" = "rank,candidate_id,fit,status,coverage,band"
check "score writes every candidate" test "$(wc -l < "$tmp/out.csv")" -eq 32
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

# A protected characteristic in a JSON candidates file is refused wherever it
# sits, not only inside "scores" (issue 18): exit 3, its JSON pointer.
"$merit" score --model "$mini" --candidates tests/data/bad/cand_json_protected_key.json --out "$tmp/prot.csv" 2> "$tmp/err.txt"
check "protected top-level key exits 3" test $? -eq 3
check "protected key message" grep -qxF "merit score: error: tests/data/bad/cand_json_protected_key.json#/1/gender: key 'gender' names a protected characteristic ('gender'); demographic data never enters a score" "$tmp/err.txt"
check "no output for a protected key" test ! -e "$tmp/prot.csv"

# A bad model: exit 3 with its JSON pointer.
"$merit" score --model tests/data/bad/model_weight_negative.json --candidates examples/pool.csv --out "$tmp/x.csv" 2> "$tmp/err.txt"
check "bad model exits 3" test $? -eq 3
check "bad model pointer" grep -qF "model_weight_negative.json#/profiles/0/targets/beta/weight: weight must be finite and >= 0, got -1" "$tmp/err.txt"

# An existing output survives a failed run untouched.
echo keep > "$tmp/keep.csv"
"$merit" score --model "$mini" --candidates tests/data/bad/cand_empty.csv --out "$tmp/keep.csv" 2> /dev/null
check "existing output untouched" test "$(cat "$tmp/keep.csv")" = keep

# The shipped Shrout & Fleiss (1979) table gives the paper's ICCs (table 4: .17 .29 .71 .44 .62 .91).
"$merit" reliability icc --wide examples/ratings_shrout_fleiss_1979.csv --json > "$tmp/sf.json"
check "example ICCs are the paper's" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = {k: round(d[k]["value"], 2) for k in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k")}
want = {"icc1": .17, "icc2": .29, "icc3": .71, "icc1k": .44, "icc2k": .62, "icc3k": .91}
sys.exit(0 if got == want else print(got) or 1)' "$tmp/sf.json"

# Usage errors exit 2; --help and --version exit 0.
"$merit" score --model "$model" 2> "$tmp/err.txt"
check "missing option exits 2" test $? -eq 2
check "missing option message" grep -qF "merit score: missing required option --candidates (or --evidence) (see 'merit score --help')" "$tmp/err.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --frobnicate 2> "$tmp/err.txt"
check "unknown option exits 2" test $? -eq 2
"$merit" score --model "$model" --profile nope --candidates examples/pool.csv 2> "$tmp/err.txt"
check "unknown profile message" grep -qF "unknown profile 'nope' (the model has: sales_enablement, sales_operations, head_of_sales_enablement, vp_sales_enablement_and_operations)" "$tmp/err.txt"
# Every choice-valued option is checked by one helper, with one wording.
usage_choice() {  # usage_choice NAME EXPECTED-MESSAGE COMMAND...
  local name=$1 want=$2
  shift 2
  "$merit" "$@" > /dev/null 2> "$tmp/err.txt"
  check "$name exits 2" test $? -eq 2
  check "$name message" grep -qxF "$want" "$tmp/err.txt"
}
usage_choice "weights --method" "merit weights: option --method takes eigen or geometric, got 'power' (see 'merit weights --help')" \
  weights ahp --judgments competency_models/judgments/sales_enablement.json --method power
usage_choice "weights --aggregate" "merit weights: option --aggregate takes aij or aip, got 'mean' (see 'merit weights --help')" \
  weights ahp --judgments competency_models/judgments/sales_enablement.json --aggregate mean
usage_choice "weights --ri" "merit weights: option --ri takes saaty1980, saaty2005, donegan_dodd or tummala_ling, got 'alonso' (see 'merit weights --help')" \
  weights ahp --judgments competency_models/judgments/sales_enablement.json --ri alonso
usage_choice "reliability --missing" "merit reliability: option --missing takes pairwise or listwise, got 'mean' (see 'merit reliability --help')" \
  reliability alpha --wide examples/pool.csv --missing mean
usage_choice "diff --lang" "merit diff: option --lang takes en or zh-CN, got 'fr' (see 'merit diff --help')" \
  diff "$model" "$model" --lang fr
for cmd in score validate profiles diff roles; do
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

# diff: the kept 1.0.0 model against itself, a hand-edited copy and another model.
kept=tests/data/models/sales_enablement-1.0.0.json
"$merit" diff "$kept" "$kept" > "$tmp/diff.txt"
check "diff of a model with itself exits 0" test $? -eq 0
check "diff says no differences" test "$(cat "$tmp/diff.txt")" = "no differences between sales_enablement 1.0.0 and sales_enablement 1.0.0"
python3 - "$kept" "$tmp/edited.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["version"] = "1.0.1"
m["profiles"][0]["targets"]["content_clarity"]["weight"] = 6
m["profiles"][0]["targets"]["sales_coaching"]["minimum"] = 2
json.dump(m, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
PY
"$merit" diff "$kept" "$tmp/edited.json" > "$tmp/diff.txt"
check "diff of an edited model exits 1" test $? -eq 1
check "diff header" test "$(head -1 "$tmp/diff.txt")" = "sales_enablement 1.0.0 -> sales_enablement 1.0.1: 16 changes"
check "diff version" grep -qxF "  ~ version: 1.0.0 -> 1.0.1" "$tmp/diff.txt"
check "diff profile section" grep -qxF "profiles / sales_enablement" "$tmp/diff.txt"
check "diff normalised weight" grep -qxF "  ~ target content_clarity weight: 0.0882353 -> 0.162162 (raw weight 3 -> 6)" "$tmp/diff.txt"
check "diff hurdle added" grep -qxF "  + target sales_coaching minimum: 2" "$tmp/diff.txt"
"$merit" diff "$kept" "$mini" --lang zh-CN > "$tmp/diff.txt"
check "diff against another model exits 1" test $? -eq 1
check "diff model id" grep -qxF "  ~ id: sales_enablement -> mini" "$tmp/diff.txt"
check "diff --lang zh-CN names" grep -qxF "  - content_clarity: 内容清晰度" "$tmp/diff.txt"
"$merit" diff "$kept" "$tmp/edited.json" --json > "$tmp/diff.json"
check "diff --json exits 1" test $? -eq 1
check "diff --json" python3 - "$tmp/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["old"]["version"] == "1.0.0" and d["new"]["version"] == "1.0.1" and len(d["new"]["hash"]) == 64
keys = ["kind", "what", "profile", "competency", "method", "cluster", "field", "before", "after", "note"]
assert all(list(c) == keys for c in d["changes"])
hurdle = [c for c in d["changes"] if c["field"] == "minimum"]
assert hurdle == [dict(zip(keys, ["added", "target", "sales_enablement", "sales_coaching", None, None, "minimum", None, "2", None]))]
PY
"$merit" diff "$kept" 2> "$tmp/err.txt"
check "diff with one file exits 2" test $? -eq 2
"$merit" diff "$kept" tests/data/bad/model_weight_negative.json 2> "$tmp/err.txt"
check "diff of a bad model exits 3" test $? -eq 3
check "diff bad model message" grep -qF "merit diff: error: tests/data/bad/model_weight_negative.json#/profiles/0/targets/beta/weight: weight must be finite and >= 0, got -1" "$tmp/err.txt"

# diff: the shipped 1.0.0 model against today's (2.1.0) lists what model 2 changed.
"$merit" diff "$kept" "$model" --json > "$tmp/v2.json"
check "diff 1.0.0 -> 2.1.0 exits 1" test $? -eq 1
check "diff 1.0.0 -> 2.1.0 content" python3 - "$tmp/v2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["old"]["version"], d["new"]["version"]) == ("1.0.0", "2.1.0")
ch = d["changes"]
def has(**kw):
    return any(all(c[k] == v for k, v in kw.items()) for c in ch)
assert has(kind="added", what="profile", profile="vp_sales_enablement_and_operations")
for cid in ["industry_domain_knowledge", "enablement_team_leadership", "enablement_budget_accountability",
            "executive_partnership", "enablement_continuity", "sales_performance_participation"]:
    assert has(kind="added", what="competency", competency=cid), cid
assert has(kind="removed", what="method", method="greenhouse_scorecard")
assert has(kind="removed", what="competency", competency="content_clarity", field="ownership")
assert has(kind="changed", what="method", method="reference_check", field="scale.levels.strong_yes", before="4", after="5")
assert has(kind="added", what="target", profile="head_of_sales_enablement", competency="executive_partnership")
assert has(kind="changed", what="target", profile="sales_enablement", competency="sales_automation_thinking", field="target")
PY

# roles: one JSON line per candidate with the role answer's schema.
"$merit" roles --model "$model" --candidates examples/pool.csv --out "$tmp/roles.jsonl" 2> /dev/null
check "roles exits 0" test $? -eq 0
check "roles answers" python3 - "$tmp/roles.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 31
by = {r["candidate_id"]: r for r in rows}
assert all(list(r) == ["candidate_id", "best_profile", "margin", "fits", "profiles", "reason"] for r in rows)
assert all(list(p) == ["fit", "status", "coverage", "pattern"] for r in rows for p in r["profiles"].values())
assert by["C001"]["best_profile"] == "sales_enablement" and by["C001"]["fits"] == ["sales_enablement"]
assert by["C002"]["best_profile"] == "sales_operations"
assert by["C004"]["best_profile"] == "head_of_sales_enablement"
assert by["C031"]["best_profile"] == "vp_sales_enablement_and_operations"
assert by["C003"]["best_profile"] is None and by["C003"]["reason"].startswith("no distinct role")
assert by["C028"]["fits"] == ["sales_operations"]
PY
"$merit" roles --model "$model" --candidates examples/pool.csv 2> /dev/null | cmp -s - "$tmp/roles.jsonl"
check "roles to standard output equals --out" test $? -eq 0
"$merit" roles --model "$model" 2> "$tmp/err.txt"
check "roles without candidates exits 2" test $? -eq 2
check "roles usage message" grep -qxF "merit roles: missing required option --candidates (or --evidence) (see 'merit roles --help')" "$tmp/err.txt"

# Evidence: long CSV with calibration, Greenhouse scorecards, panel reliability.
"$merit" score --model "$model" --evidence examples/evidence_long.csv --calibrate leniency --out "$tmp/ev.csv" 2> "$tmp/ev_err.txt"
check "evidence score exits 0" test $? -eq 0
check "evidence scores every candidate" test "$(wc -l < "$tmp/ev.csv")" -eq 32
check "leniency table on stderr" grep -q 'rater calibration (leniency)' "$tmp/ev_err.txt"
"$merit" score --model "$model" --evidence examples/greenhouse_scorecards.json --out "$tmp/gh.csv" 2> "$tmp/gh_err.txt"
check "greenhouse exits 0" test $? -eq 0
check "unmapped attribute reported" grep -qF "attribute 'Culture Add' (1 rating) maps to no competency" "$tmp/gh_err.txt"
"$merit" score --model "$mini" --evidence tests/data/evidence/long_unknown_method.csv --out "$tmp/u.csv" 2> "$tmp/err.txt"
check "unknown method exits 3" test $? -eq 3
check "unknown method message" grep -qF "long_unknown_method.csv:3:10: unknown method 'astrology'" "$tmp/err.txt"
"$merit" reliability panel --model "$model" --evidence examples/evidence_long.csv --json > "$tmp/panel.json"
check "panel exits 0" test $? -eq 0
check "panel json" python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['method']=='structured_interview' and len(d['competencies'])==26" "$tmp/panel.json"

# --no-band keeps the five documented columns even when the profile has a reliability.
"$merit" score --model "$model" --candidates examples/pool.csv --no-band --out "$tmp/nb.csv" 2> /dev/null
check "--no-band header" test "$(head -1 "$tmp/nb.csv")" = "rank,candidate_id,fit,status,coverage"
"$merit" score --model "$model" --candidates examples/pool.csv --no-band --reliability 0.9 2> "$tmp/err.txt"
check "--no-band with --reliability exits 2" test $? -eq 2

# A measured reliability: the --json output of 'merit reliability icc'.
"$merit" reliability icc --wide examples/ratings_shrout_fleiss_1979.csv --json > "$tmp/icc.json" 2> /dev/null
"$merit" score --model "$model" --candidates examples/pool.csv --reliability "$tmp/icc.json:icc3k" --out "$tmp/b.csv" 2> "$tmp/err.txt"
check "--reliability FILE:KEY exits 0" test $? -eq 0
check "--reliability FILE:KEY note" grep -qF "r_xx 0.909 from icc3k measured in" "$tmp/err.txt"
"$merit" score --model "$model" --candidates examples/pool.csv --reliability "$tmp/icc.json:nope" --out "$tmp/b2.csv" 2> "$tmp/err.txt"
check "--reliability unknown key exits 3" test $? -eq 3
check "--reliability unknown key message" grep -qF "no 'nope' in this reliability file" "$tmp/err.txt"

report cli
