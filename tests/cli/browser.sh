# Headless Chromium for the tests of printed pages (sourced after harness.sh):
# the interview kit's guide (tests/kit) and the reports (tests/report).
# need_tools TOOL...: fail (never pass silently) when a tool is missing.
# print_pdf HTML PDF: print to PDF, no header or footer.
# screenshot HTML PNG: the first screen (1280 x 900), with the console log in PNG.log.
# console_errors LOG: the page's console messages in a Chromium log (none expected:
# the pages have no script, so any message is an error of the page).
need_tools() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" > /dev/null; then
      echo "FAILED: $tool is not installed (run scripts/install-deps.sh); the printed page cannot be checked"
      exit 1
    fi
  done
}
chromium_run() {  # chromium_run LOG ARGS...: headless, no sandbox as root
  local log=$1 sandbox=()
  shift
  [ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)
  timeout 60 chromium --headless "${sandbox[@]}" --disable-gpu --user-data-dir="$tmp/chromium" "$@" > "$log" 2>&1
}
print_pdf() {
  chromium_run "$2.log" --no-pdf-header-footer --print-to-pdf="$2" "file://$1"
}
screenshot() {
  chromium_run "$2.log" --enable-logging=stderr --v=0 --hide-scrollbars --window-size=1280,900 \
    --screenshot="$2" "file://$1"
}
console_errors() {
  grep -F ':CONSOLE' "$1" || true
}
