# merit match-title and merit score --title: JSON Lines in input order, the
# seed's title rules end to end, and an exact message for each error.
source "$(dirname "$0")/harness.sh" "$@"
model=competency_models/sales_enablement.json

printf 'req_id,title\nR1,"VP, Sales Enablement"\nR2,销售运营经理（上海）\n' > "$tmp/reqs.csv"
"$merit" match-title --model "$model" --titles "$tmp/reqs.csv" "Sales Empowerment" "Marketing Operations Manager" \
  "Sales Enablement & Operations Manager" --out "$tmp/t.jsonl" 2> "$tmp/err.txt"
check "match-title exits 0" test $? -eq 0
check "one line per title" test "$(wc -l < "$tmp/t.jsonl")" -eq 5
check "titles in input order, with the seed's rules" python3 - "$tmp/t.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [r["title"] for r in rows] == ["VP, Sales Enablement", "销售运营经理（上海）", "Sales Empowerment",
                                      "Marketing Operations Manager", "Sales Enablement & Operations Manager"], rows
assert [r["profile"] for r in rows] == ["head_of_sales_enablement", "sales_operations", None, None,
                                        "vp_sales_enablement_and_operations"], rows
assert rows[0]["score"] == 1.0 and rows[0]["alternatives"] == [{"profile": "sales_enablement", "score": 0.67}], rows[0]
assert rows[1]["score"] == 1.0 and rows[1]["reason"] == "title alias of sales_operations", rows[1]
assert rows[2]["score"] == 0 and "not Sales Empowerment" in rows[2]["reason"], rows[2]
assert list(rows[0]) == ["title", "profile", "score", "alternatives", "reason"]
PY

"$merit" match-title --model "$model" 2> "$tmp/err.txt"
check "no title exits 2" test $? -eq 2
check "no title message" grep -qF "merit match-title: no title: pass --titles FILE.csv or one or more TITLE arguments" "$tmp/err.txt"

"$merit" match-title --model "$model" "Sales Ops" "(Remote)" 2> "$tmp/err.txt"
check "empty title exits 2" test $? -eq 2
check "empty title message" grep -qF "merit match-title: TITLE 2 ('(Remote)'): job title is empty; pass a title such as \"Sales Enablement Manager\"" "$tmp/err.txt"

printf 'req_id,name\nR1,Sales Ops\n' > "$tmp/nocol.csv"
"$merit" match-title --model "$model" --titles "$tmp/nocol.csv" 2> "$tmp/err.txt"
check "no title column exits 3" test $? -eq 3
check "no title column message" grep -qF "merit match-title: error: $tmp/nocol.csv:1:1: no 'title' column (the header has: req_id, name)" "$tmp/err.txt"

printf 'title,req_id\nSales Ops,R1\n" [Berlin] ",R2\n' > "$tmp/empty.csv"
"$merit" match-title --model "$model" --titles "$tmp/empty.csv" --out "$tmp/e.jsonl" 2> "$tmp/err.txt"
check "empty title row exits 3" test $? -eq 3
check "empty title row message" grep -qF "merit match-title: error: $tmp/empty.csv:3:1: the title is empty; fill it in or remove the row" "$tmp/err.txt"
check "no output on error" test ! -e "$tmp/e.jsonl"

"$merit" score --model "$model" --title "VP, Sales Enablement (London)" --candidates examples/pool.csv --csv --quiet > "$tmp/byt.csv" 2> "$tmp/err.txt"
check "score --title exits 0" test $? -eq 0
"$merit" score --model "$model" --profile head_of_sales_enablement --candidates examples/pool.csv --csv --quiet > "$tmp/byp.csv" 2> /dev/null
check "score --title scores the profile the title decides" cmp -s "$tmp/byt.csv" "$tmp/byp.csv"

"$merit" score --model "$model" --title "Sales and Marketing Operations Manager" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "ambiguous title exits 2" test $? -eq 2
check "ambiguous title names the alternatives" grep -qF "merit score: --title: title 'Sales and Marketing Operations Manager' is ambiguous (terms sales+operations route to sales_operations: The seed: Sales Operation (销售运营). (but 'marketing' names a neighbouring field)); it could be sales_operations (0.70); choose one of them explicitly with --profile (see 'merit score --help')" "$tmp/err.txt"

"$merit" score --model "$model" --title "Chief Enablement Officer" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "title with no sales term exits 2" test $? -eq 2
check "title with no sales term names the alternatives" grep -qF "merit score: --title: title 'Chief Enablement Officer' is ambiguous ('enablement' with no sales term: enablement or operations of what?); it could be head_of_sales_enablement (0.30), sales_enablement (0.30); choose one of them explicitly with --profile" "$tmp/err.txt"

"$merit" score --model "$model" --title "Account Executive" --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "unmapped title exits 2" test $? -eq 2
check "unmapped title message" grep -qF "merit score: --title: title 'Account Executive' maps to no profile (a generic title: no sales, enablement or operations term); choose the profile explicitly with --profile (see 'merit score --help')" "$tmp/err.txt"

"$merit" score --model "$model" --title "Sales Ops" --profile sales_operations --candidates examples/pool.csv > /dev/null 2> "$tmp/err.txt"
check "--title with --profile exits 2" test $? -eq 2
check "--title with --profile message" grep -qF "merit score: --profile and --title exclude each other (see 'merit score --help')" "$tmp/err.txt"

report "cli.titles"
