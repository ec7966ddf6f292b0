# Shared by the CLI test scripts (sourced, not run): the arguments
# MERIT_BINARY SOURCE_DIR, a temporary folder removed on exit, check() and
# report(). Usage in a script: source "$(dirname "$0")/harness.sh" "$@"
set -u
merit=$1
src=$2
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() {  # check NAME CONDITION...
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $name"; fi
}
report() {  # report SUITE: the tally, and the exit status of the script
  echo "$1: $pass passed, $fail failed"
  test "$fail" -eq 0
}
