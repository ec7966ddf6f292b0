#!/usr/bin/env bash
# A long fuzzing campaign over every libFuzzer target (tests/fuzz/README.md),
# under AddressSanitizer and UndefinedBehaviorSanitizer, one target after the
# other on one core. Each target's corpus grows in build-fuzz/campaign/<name>
# (seeded from tests/fuzz/corpus/<name>, kept between runs, so a campaign can
# continue over several sessions); crashes, leaks and timeouts are saved in
# build-fuzz/findings/. Prints one line per target: executions, coverage
# (edges, libFuzzer's "cov") and findings.
# Usage: scripts/fuzz.sh [--minutes N] [--targets "model capi ..."]
#   --minutes N   minutes per target (default 60)
#   --targets     the targets to run (default: all), names without fuzz_
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=60
targets="model judgments wide_csv long_csv jsonl greenhouse capi diff_wide diff_long"
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    *) echo "usage: scripts/fuzz.sh [--minutes N] [--targets \"NAME ...\"]" >&2; exit 2 ;;
  esac
done
case "$minutes" in ''|*[!0-9]*) echo "scripts/fuzz.sh: --minutes takes a whole number" >&2; exit 2 ;; esac

launcher=()
if command -v ccache > /dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERIT_FUZZ=ON \
  -DMERIT_SANITIZE=address,undefined -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" > /dev/null
names=()
for t in $targets; do names+=("fuzz_$t"); done
cmake --build build-fuzz -j "${MERIT_JOBS:-2}" --target "${names[@]}"

mkdir -p build-fuzz/campaign build-fuzz/findings
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
printf '%-12s %12s %8s %9s %s\n' target executions edges findings seconds
for t in $targets; do
  dict=json
  case "$t" in wide_csv|long_csv|diff_wide|diff_long) dict=csv ;; esac
  corpus=build-fuzz/campaign/$t
  log=build-fuzz/campaign/$t.log
  mkdir -p "$corpus"
  start=$(date +%s)
  before=$(find build-fuzz/findings -name "$t-*" | wc -l)
  rc=0
  build-fuzz/tests/fuzz/fuzz_"$t" -max_total_time=$((minutes * 60)) -timeout=25 -print_final_stats=1 \
    -dict=tests/fuzz/$dict.dict -artifact_prefix=build-fuzz/findings/"$t"- \
    "$corpus" tests/fuzz/corpus/"$t" > "$log" 2>&1 || rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  findings=$(($(find build-fuzz/findings -name "$t-*" | wc -l) - before))
  [ "$rc" -eq 0 ] || status=1
  printf '%-12s %12s %8s %9s %s\n' "$t" "${execs:-?}" "${edges:-?}" "$findings" $(($(date +%s) - start))
done
exit $status
