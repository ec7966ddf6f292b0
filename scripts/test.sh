#!/usr/bin/env bash
# Installs what is missing, builds merit and runs every test suite:
#   1. the C++ suite, CLI and packaging tests (ctest) on a release build;
#   2. one clang tree under AddressSanitizer and UndefinedBehaviorSanitizer:
#      the same suites, then every libFuzzer target (tests/fuzz): its corpus
#      replayed and a fixed-seed run;
#   3. the threaded pool engine and the C ABI's threads under ThreadSanitizer;
#   4. the Python package, installed with pip into a fresh virtual
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

# ccache (installed by install-deps.sh) when present, unless MERIT_CCACHE=0:
# a rerun, or a second clone on the same machine, compiles only what changed.
# Paths under the clone are hashed relative to it, so clones share a cache.
launcher=()
if [ "${MERIT_CCACHE:-1}" != 0 ] && command -v ccache > /dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
fi

step "release build and tests"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMERIT_TEST_JAVA=ON "${launcher[@]}" > /dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "AddressSanitizer + UndefinedBehaviorSanitizer (clang): every suite, then the libFuzzer targets"
# One tree for both, so the sanitized code is compiled once: the whole suite
# (ctest without the label fuzz), then the label fuzz: fuzz_<name>_corpus
# replays tests/fuzz/corpus/<name> (-runs=0), fuzz_<name>_seed1 runs -seed=1
# for MERIT_FUZZ_RUNS executions. Debug (-O0, assertions on): clang compiles
# the sanitized code 2.4 times faster than at -O1 (src/pool/options.cpp: 13 s
# against 32 s of CPU); the suite then runs in about 4.5 minutes on 2 cores.
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DMERIT_SANITIZE=address,undefined -DMERIT_FUZZ=ON \
  -DMERIT_BUILD_CLI=ON -DMERIT_BUILD_C_API=ON -DMERIT_BUILD_TESTS=ON -DMERIT_INSTALL=OFF "${launcher[@]}" > /dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -LE fuzz --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -L fuzz --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "ThreadSanitizer: the threaded pool engine and the C ABI's threads"
# ctest label threads: merit_threads_tests (test_pool.cpp, test_rank.cpp) and capi.
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERIT_SANITIZE=thread \
  -DMERIT_BUILD_CLI=OFF -DMERIT_INSTALL=OFF "${launcher[@]}" > /dev/null
cmake --build build-tsan -j "$jobs" --target merit_threads_tests merit_capi_tests
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan -L threads --output-on-failure -j "$jobs"
suites_passed=$((suites_passed + 1))

step "Python: a fresh virtual environment, the package (pip install .) and the tests"
rm -rf build-venv
python3 -m venv build-venv
build-venv/bin/pip install -q --upgrade pip
build-venv/bin/pip install -q -r tests/python/requirements.txt
pip_cmake=()
for d in "${launcher[@]}"; do pip_cmake+=("-Ccmake.define.${d#-D}"); done
if [ -f pyproject.toml ]; then build-venv/bin/pip install -q "${pip_cmake[@]}" .; fi
# The reference data folder the C++ suite was configured with (CMake's MERIT_SHARED_DIR).
shared_dir=$(sed -n 's/^MERIT_SHARED_DIR:PATH=//p' build/CMakeCache.txt)
MERIT_CLI="$root/build/merit" MERIT_SHARED_DIR="${MERIT_SHARED_DIR:-$shared_dir}" \
  build-venv/bin/python -m pytest -q tests/python
suites_passed=$((suites_passed + 1))

echo
echo "merit test suites: $suites_passed passed, 0 failed"
