#!/usr/bin/env bash
# merit kit end to end: every format, every error with its exact message, and the
# Greenhouse round trip (kit -> scorecards -> merit score --evidence, nothing
# unmapped). Usage: kit_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json

# JSON: exactly the documented shape, every profile.
for p in sales_enablement sales_operations head_of_sales_enablement vp_sales_enablement_and_operations; do
  "$merit" kit --model "$model" --profile "$p" --out "$tmp/$p.json"
  check "kit $p exits 0" test $? -eq 0
  check "kit $p json shape" python3 - "$tmp/$p.json" "$p" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert list(d) == ["profile", "stages", "coverage"], list(d)
assert d["profile"] == sys.argv[2]
for s in d["stages"]:
    assert list(s) == ["id", "method", "competencies", "minutes", "questions"], list(s)
    assert isinstance(s["minutes"], int) and s["minutes"] > 0
    if s["method"] == "structured_interview":
        assert 1 <= len(s["competencies"]) <= 6
        assert s["questions"]
    for q in s["questions"]:
        assert list(q) == ["id", "competency", "text", "probes"], list(q)
        assert q["competency"] in s["competencies"]
        assert q["text"]["en"] and q["text"]["zh-CN"]
        assert q["probes"] and all(p["en"] and p["zh-CN"] for p in q["probes"])
for c, n in d["coverage"].items():
    assert n == sum(c in s["competencies"] for s in d["stages"]), c
PY
done
"$merit" kit --model "$model" --profile sales_enablement --stages 4 > "$tmp/s4.json"
check "--stages 4 gives 4 stages" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))["stages"]) == 4' "$tmp/s4.json"
"$merit" kit --model "$model" --profile sales_enablement --stages 4 > "$tmp/s4b.json"
check "deterministic" cmp -s "$tmp/s4.json" "$tmp/s4b.json"

# Markdown, in both languages.
"$merit" kit --model "$model" --profile sales_operations --format md --out "$tmp/kit.md"
check "md exits 0" test $? -eq 0
check "md title" grep -qF "# Interview kit: Sales Operations" "$tmp/kit.md"
check "md has a question with probes" grep -qF "Tell me about how you ran pipeline reviews in your last role." "$tmp/kit.md"
check "md scoring guide" grep -qF "## Scoring guide" "$tmp/kit.md"
check "md no decision" grep -qF "\"No decision\" means you gathered no evidence" "$tmp/kit.md"
"$merit" kit --model "$model" --profile sales_operations --format md --lang zh-CN --out "$tmp/kit_zh.md"
check "md zh-CN question" grep -qF "请介绍您在上一份工作中是如何开展pipeline评审的。" "$tmp/kit_zh.md"
check "md zh-CN labels" grep -qF "## 评分指南" "$tmp/kit_zh.md"

# Greenhouse: each interview's name and attributes; the scorecards that come back
# (simulated from the kit) score with every attribute mapped.
for lang in en zh-CN; do
  for p in sales_enablement sales_operations vp_sales_enablement_and_operations; do
    "$merit" kit --model "$model" --profile "$p" --format greenhouse --lang "$lang" --out "$tmp/gh.json"
    check "greenhouse $p $lang exits 0" test $? -eq 0
    python3 - "$tmp/gh.json" "$tmp/scorecards.json" <<'PY'
import json, sys
kit = json.load(open(sys.argv[1]))
ratings = [r for r in kit["ratings"] if r != "no_decision"]
cards, n = [], 0
for cand in (101, 102, 103):
    for k, iv in enumerate(kit["interviews"]):
        who = {"id": 9000 + k, "name": f"Interviewer {k + 1}", "employee_id": f"E{k + 1:03d}"}
        attrs = []
        for a in iv["attributes"]:
            attrs.append({"name": a["name"], "type": a["type"], "note": None, "rating": ratings[n % len(ratings)]})
            n += 1
        cards.append({"id": n, "candidate_id": cand, "interview": iv["name"], "interviewer": who,
                      "submitted_by": who, "attributes": attrs})
json.dump(cards, open(sys.argv[2], "w"), ensure_ascii=False)
PY
    attrs=$(python3 -c 'import json,sys; print(sum(len(c["attributes"]) for c in json.load(open(sys.argv[1]))))' "$tmp/scorecards.json")
    "$merit" score --model "$model" --profile "$p" --evidence "$tmp/scorecards.json" --out "$tmp/gh_scores.csv" 2> "$tmp/gh_err.txt"
    check "greenhouse round trip $p $lang exits 0" test $? -eq 0
    check "greenhouse round trip $p $lang: no unmapped attribute" test -z "$(grep 'maps to no competency' "$tmp/gh_err.txt" || true)"
    check "greenhouse round trip $p $lang: every attribute is an observation" \
      grep -qF "merit: $attrs observations for 3 candidates from $tmp/scorecards.json" "$tmp/gh_err.txt"
  done
done
check "greenhouse lists the work sample as outside Greenhouse" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [o["stage"] for o in d["outside_greenhouse"]] == ["work_sample"], d["outside_greenhouse"]' "$tmp/gh.json"

# Errors: exact messages, exit codes, nothing written.
"$merit" kit --model "$model" --profile sales_enablement --stages 2 --out "$tmp/no.json" 2> "$tmp/err.txt"
check "--stages too few exits 2" test $? -eq 2
check "--stages too few message" grep -qxF "merit kit: 2 stages cannot meet the rules for profile 'sales_enablement': the profile needs 18 competency assessments in interviews, and 2 interviews of at most 6 competencies hold 12; the fewest stages that can is 3 (see 'merit kit --help')" "$tmp/err.txt"
check "--stages too few writes nothing" test ! -e "$tmp/no.json"
"$merit" kit --model "$model" --profile sales_enablement --stages 0 2> "$tmp/err.txt"
check "--stages 0 exits 2" test $? -eq 2
check "--stages 0 message" grep -qxF "merit kit: option --stages takes a whole number from 1 to 64, got '0' (see 'merit kit --help')" "$tmp/err.txt"
"$merit" kit --model "$model" --profile nope 2> "$tmp/err.txt"
check "unknown profile exits 3" test $? -eq 3
check "unknown profile message" grep -qxF "merit kit: error: unknown profile 'nope' (the model has: sales_enablement, sales_operations, head_of_sales_enablement, vp_sales_enablement_and_operations)" "$tmp/err.txt"
# The shipped model without its question bank: the kit names what is missing.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for c in d["competencies"]: c.pop("questions", None)
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)' "$model" "$tmp/no_bank.json"
"$merit" kit --model "$tmp/no_bank.json" --profile sales_operations 2> "$tmp/err.txt"
check "model without questions exits 3" test $? -eq 3
check "model without questions message" grep -qxF "merit kit: error: $tmp/no_bank.json#/competencies/7/questions: competency 'territory_and_team_design' has no interview questions: the model needs a question bank (docs/model-format.md, \"Question bank\")" "$tmp/err.txt"
"$merit" kit --model tests/data/models/mini.json --profile p 2> "$tmp/err.txt"
check "model without an interview method exits 3" test $? -eq 3
check "model without an interview method message" grep -qxF "merit kit: error: tests/data/models/mini.json#/methods: the model has no method 'structured_interview' to plan interviews with" "$tmp/err.txt"
"$merit" kit --model "$model" 2> "$tmp/err.txt"
check "missing --profile exits 2" test $? -eq 2
check "missing --profile message" grep -qxF "merit kit: missing required option --profile (see 'merit kit --help')" "$tmp/err.txt"
usage_choice() {  # usage_choice NAME EXPECTED-MESSAGE ARGS...
  local name=$1 want=$2
  shift 2
  "$merit" kit "$@" > /dev/null 2> "$tmp/err.txt"
  check "$name exits 2" test $? -eq 2
  check "$name message" grep -qxF "$want" "$tmp/err.txt"
}
usage_choice "kit --format" "merit kit: option --format takes json, md, html or greenhouse, got 'pdf' (see 'merit kit --help')" \
  --model "$model" --profile sales_enablement --format pdf
usage_choice "kit --lang" "merit kit: option --lang takes en or zh-CN, got 'fr' (see 'merit kit --help')" \
  --model "$model" --profile sales_enablement --lang fr
"$merit" kit --model "$model" --profile sales_enablement --out /nonexistent/dir/kit.json 2> "$tmp/err.txt"
check "unwritable --out exits 4" test $? -eq 4
"$merit" kit --help > "$tmp/help.txt"
check "kit --help" grep -q "^usage: merit kit" "$tmp/help.txt"
check "kit --help example" grep -qF "merit kit --model competency_models/sales_enablement.json --profile sales_enablement" "$tmp/help.txt"

report "cli.kit"
