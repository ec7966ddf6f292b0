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
wide_pool() {  # wide_pool MODEL FILE N: N candidates with levels 1..5 on every competency of MODEL
  python3 - "$1" "$2" "$3" <<'PY'
import json, random, sys
comps = [c["id"] for c in json.load(open(sys.argv[1]))["competencies"]]
rng = random.Random(18)
with open(sys.argv[2], "w") as f:
    f.write("candidate_id," + ",".join(comps) + "\n")
    for n in range(int(sys.argv[3])):
        f.write(f"C{n:05d}," + ",".join(str(rng.randint(1, 5)) for _ in comps) + "\n")
PY
}
