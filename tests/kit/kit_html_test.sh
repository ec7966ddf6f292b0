#!/usr/bin/env bash
# The printable interviewer guide (merit kit --format html) printed to PDF by
# headless Chromium: one A4 page per stage, then the scoring guide, text present
# in English and Chinese. Needs chromium and pdftotext (poppler-utils), which
# scripts/install-deps.sh installs; without them this test fails, it never passes
# silently. Usage: kit_html_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/../cli/harness.sh" "$@"
model=competency_models/sales_enablement.json
source "$(dirname "$0")/../cli/browser.sh"
need_tools chromium pdftotext

# guide PROFILE LANG: print the guide, then check one page per stage.
guide() {
  local p=$1 lang=$2 base="$tmp/$1-$2"
  "$merit" kit --model "$model" --profile "$p" --lang "$lang" --format html --out "$base.html"
  check "html $p $lang exits 0" test $? -eq 0
  check "html $p $lang is self-contained" test -z "$(grep -Eo '<(script|link|img)[^>]*>|url\(' "$base.html" || true)"
  check "html $p $lang has print CSS for A4" grep -qF "@page { size: A4;" "$base.html"
  print_pdf "$base.html" "$base.pdf"
  check "chromium prints $p $lang" test -s "$base.pdf"
  "$merit" kit --model "$model" --profile "$p" --lang "$lang" > "$base.json"
  local stages pages
  stages=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["stages"]))' "$base.json")
  pages=$(grep -acE '/Type ?/Page([^s]|$)' "$base.pdf")
  check "$p $lang: a page per stage, then the scoring guide ($pages pages, $stages stages)" test "$pages" -gt "$stages"
  # Page i holds stage i's heading and its first and last questions, and no other stage's heading.
  python3 - "$base.json" "$lang" > "$base.expect" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lang = sys.argv[2]
for s in d["stages"]:
    qs = s["questions"]
    first = qs[0]["text"][lang][:18] if qs else ""
    last = qs[-1]["text"][lang][:18] if qs else ""
    print("\t".join([s["id"], first, last]))
PY
  local i=0 id first last
  while IFS=$'\t' read -r id first last; do
    i=$((i + 1))
    pdftotext -f "$i" -l "$i" "$base.pdf" "$base.page$i.txt"
    tr -d '\n ' < "$base.page$i.txt" > "$base.page$i.flat"
    if [ -n "$first" ]; then
      check "$p $lang page $i has $id's first question" grep -qF "$(echo "$first" | tr -d ' ')" "$base.page$i.flat"
      check "$p $lang page $i has $id's last question" grep -qF "$(echo "$last" | tr -d ' ')" "$base.page$i.flat"
    fi
  done < "$base.expect"
  pdftotext "$base.pdf" "$base.txt"
  if [ "$lang" = en ]; then
    check "$p en: scoring guide present" grep -qF "Scoring guide" "$base.txt"
    check "$p en: no decision explained" grep -qF "No decision" "$base.txt"
  else
    check "$p zh-CN: scoring guide present" grep -qF "评分指南" "$base.txt"
    check "$p zh-CN: no decision explained" grep -qF "未决定" "$base.txt"
  fi
}
guide head_of_sales_enablement en
guide sales_operations zh-CN

report "cli.kit_html"
