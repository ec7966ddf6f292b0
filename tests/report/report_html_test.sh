#!/usr/bin/env bash
# merit report in a real browser: headless Chromium renders every report. The
# first screen is not blank (pixel statistics), the console is silent, the
# printed PDF has at most 2 A4 pages (candidate) or 3 (pool) and carries the
# labels in the report's language - the Chinese names too, in a real CJK font.
# The drawing is pinned to the numbers (check_report.py). Screenshots and PDFs
# are left in ARTIFACT_DIR for a person to look at; they are not committed.
# Usage: report_html_test.sh MERIT_BINARY SOURCE_DIR ARTIFACT_DIR
source "$(dirname "$0")/../cli/harness.sh" "$@"
source "$(dirname "$0")/../cli/browser.sh"
need_tools chromium pdftotext pdfinfo fc-list
art=${3:-$tmp}
mkdir -p "$art"
model=competency_models/sales_enablement.json
checker="$(dirname "$0")/check_report.py"
[ "${checker#/}" = "$checker" ] && checker="$src/tests/report/check_report.py"

# The console check catches a console message (so a silent log means something).
printf '<html><body><p>x</p><script>console.error("boom")</script></body></html>' > "$tmp/noisy.html"
screenshot "$tmp/noisy.html" "$tmp/noisy.png"
check "the console check sees a page's console error" test -n "$(console_errors "$tmp/noisy.png.log")"

# render NAME MAX_PAGES: the HTML at $art/NAME.html is self-contained, renders
# non-blank without console messages, and prints on at most MAX_PAGES A4 pages.
render() {
  local name=$1 max=$2 f="$art/$1"
  check "$name is self-contained (no script, link, image or external url)" \
    test -z "$(grep -Eo '<(script|link|img|iframe)[^>]*>|url\([^#]|https?://[^" ]*\.(css|js|png|woff)' "$f.html" || true)"
  check "$name has print CSS for A4" grep -qF "@page { size: A4;" "$f.html"
  screenshot "$f.html" "$f.png"
  check "$name: chromium takes a screenshot" test -s "$f.png"
  check "$name: the first screen is not blank" python3 "$checker" screenshot "$f.png"
  local errors
  errors=$(console_errors "$f.png.log")
  check "$name: no console errors ($errors)" test -z "$errors"
  print_pdf "$f.html" "$f.pdf"
  check "$name: chromium prints it" test -s "$f.pdf"
  local pages
  pages=$(pdfinfo "$f.pdf" | awk '/^Pages:/ {print $2}')
  check "$name: $pages A4 pages, at most $max" test "${pages:-99}" -le "$max"
  check "$name: the pages are A4" sh -c "pdfinfo '$f.pdf' | grep -q '^Page size:.*(A4)'"
  pdftotext "$f.pdf" "$f.txt"
}

# Candidate reports: from scores (English) and from raw evidence (Chinese).
"$merit" report candidate --model "$model" --profile sales_enablement --candidates examples/pool.csv --id C001 \
  --out "$art/candidate_en.html"
check "candidate report exits 0" test $? -eq 0
render candidate_en 2
check "candidate en: the drawing matches the numbers" \
  python3 "$checker" candidate "$art/candidate_en.html" "$model" examples/pool.csv sales_enablement C001
check "candidate en PDF: header" grep -qF "Candidate C001 for Sales Enablement" "$art/candidate_en.txt"
check "candidate en PDF: a competency name" grep -qF "Sales content management" "$art/candidate_en.txt"

"$merit" report candidate --model "$model" --profile head_of_sales_enablement --evidence examples/evidence_long.csv \
  --id C002 --lang zh-CN --out "$art/candidate_zh.html" 2> /dev/null
check "candidate zh-CN report exits 0" test $? -eq 0
render candidate_zh 2
check "candidate zh-CN: SE whiskers from the evidence" grep -qF 'class="whisker"' "$art/candidate_zh.html"
rater=$(grep -m1 '^C002,' examples/evidence_long.csv | cut -d, -f4)
check "candidate zh-CN: raters named ($rater)" grep -qF "$rater" "$art/candidate_zh.html"

# The Chinese names reach the PDF as text (a real CJK font, not empty boxes).
check "a Chinese font is installed (fc-list :lang=zh)" test -n "$(fc-list :lang=zh)"
zh_names=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
p = next(p for p in d["profiles"] if p["id"] == "head_of_sales_enablement")
print(p["name"]["zh-CN"])
for c in d["competencies"][:3]: print(c["name"]["zh-CN"])' "$model")
tr -d ' \n' < "$art/candidate_zh.txt" > "$art/candidate_zh.flat"
while IFS= read -r name; do
  check "candidate zh-CN PDF carries '$name'" grep -qF "$(echo "$name" | tr -d ' ')" "$art/candidate_zh.flat"
done <<< "$zh_names"
check "the font stack's Chinese fallback resolves to a CJK font ($(fc-match -f '%{family}' 'Noto Sans CJK SC:lang=zh-cn'))" \
  sh -c "fc-match -f '%{family}' 'Noto Sans CJK SC:lang=zh-cn' | grep -qiE 'CJK|WenQuanYi|Source Han'"

# Pool reports: scores with a top-5 shortlist, and raw evidence with raters and panel.
# A groups file made up for the test: two categories and one unknown.
python3 -c '
import csv, sys
ids = [r["candidate_id"] for r in csv.DictReader(open("examples/pool.csv"))]
with open(sys.argv[1], "w") as f:
    f.write("candidate_id,sex\n")
    for k, i in enumerate(ids):
        f.write("%s,%s\n" % (i, "" if k == 7 else ("female" if k % 3 == 0 else "male")))' "$tmp/groups.csv"
"$merit" report pool --model "$model" --profile sales_enablement --candidates examples/pool.csv --top 5 \
  --groups "$tmp/groups.csv" --by sex --out "$art/pool_en.html"
check "pool report exits 0" test $? -eq 0
render pool_en 3
check "pool en: the drawing matches the numbers" \
  python3 "$checker" pool "$art/pool_en.html" "$model" examples/pool.csv sales_enablement
check "pool en PDF: funnel" grep -qF "Status funnel" "$art/pool_en.txt"
check "pool en: impact ratios as computed from the groups" \
  python3 "$checker" impact "$art/pool_en.html" "$model" examples/pool.csv sales_enablement "$tmp/groups.csv" sex 5
check "pool en PDF: four-fifths line" grep -qF "4/5" "$art/pool_en.txt"
"$merit" report pool --model "$model" --profile sales_enablement --evidence examples/evidence_long.csv --lang zh-CN \
  --out "$art/pool_zh.html" 2> /dev/null
check "pool zh-CN report exits 0" test $? -eq 0
render pool_zh 3
check "pool zh-CN: rater leniency drawn" grep -qF 'class="leniency"' "$art/pool_zh.html"
check "pool zh-CN: panel reliability table" grep -qF 'id="panel"' "$art/pool_zh.html"
check "pool zh-CN PDF: Chinese labels" grep -qF "状态漏斗" "$art/pool_zh.txt"

report "cli.report_html"
