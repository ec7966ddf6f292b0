#!/usr/bin/env bash
# Installs what is missing, builds merit and runs every test suite:
#   1. the C++ suite, CLI and packaging tests (ctest) on a release build;
#   2. the same under AddressSanitizer and UndefinedBehaviorSanitizer;
#   3. every libFuzzer target (tests/fuzz) under AddressSanitizer and
#      UndefinedBehaviorSanitizer: its corpus replayed, then a fixed-seed run;
#   4. the threaded pool engine and the C ABI's threads under ThreadSanitizer;
#   5. the Python package, installed with pip into a fresh virtual
#      environment, and its tests (pytest), including peer cross-checks;
#   (the release suite includes the Java library and its consumer: Maven + JNA).
# Usage: scripts/test.sh     (from anywhere; build trees go under build*/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=${MERIT_JOBS:-$(nproc)}
suites_passed=0
step() { printf '\n== %s ==\n' "$*"; }

step "dependencies"
bash scripts/install-deps.sh

step "release build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMERIT_TEST_JAVA=ON > /dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "AddressSanitizer + UndefinedBehaviorSanitizer build and tests"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMERIT_SANITIZE=address,undefined \
  -DMERIT_INSTALL=OFF > /dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "libFuzzer targets (clang) under AddressSanitizer + UndefinedBehaviorSanitizer: corpora and fixed seeds"
# ctest label fuzz: fuzz_<name>_corpus replays tests/fuzz/corpus/<name>
# (-runs=0), fuzz_<name>_seed1 runs -seed=1 for MERIT_FUZZ_RUNS executions.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERIT_FUZZ=ON \
  -DMERIT_SANITIZE=address,undefined -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ > /dev/null
cmake --build build-fuzz -j "$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-fuzz -L fuzz --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "ThreadSanitizer: the threaded pool engine and the C ABI's threads"
# ctest label threads: merit_threads_tests (test_pool.cpp, test_rank.cpp) and capi.
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERIT_SANITIZE=thread \
  -DMERIT_BUILD_CLI=OFF -DMERIT_INSTALL=OFF > /dev/null
cmake --build build-tsan -j "$jobs" --target merit_threads_tests merit_capi_tests
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan -L threads --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "Python: a fresh virtual environment, the package (pip install .) and the tests"
rm -rf build-venv
python3 -m venv build-venv
build-venv/bin/pip install -q --upgrade pip
build-venv/bin/pip install -q -r tests/python/requirements.txt
if [ -f pyproject.toml ]; then build-venv/bin/pip install -q .; fi
# The reference data folder the C++ suite was configured with (CMake's MERIT_SHARED_DIR).
shared_dir=$(sed -n 's/^MERIT_SHARED_DIR:PATH=//p' build/CMakeCache.txt)
MERIT_CLI="$root/build/merit" MERIT_SHARED_DIR="${MERIT_SHARED_DIR:-$shared_dir}" \
  build-venv/bin/python -m pytest -q tests/python
suites_passed=$((suites_passed + 1))

echo
echo "merit test suites: $suites_passed passed, 0 failed"
