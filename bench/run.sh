#!/usr/bin/env bash
# Pool-scale benchmark (issues 5 and 13): merit against pandas, polars and DuckDB.
# Creates bench/.venv with the pinned contenders (bench/requirements.txt), builds
# merit in Release (build/) and the floor program (bench/bench_floor.cpp, g++ -O2),
# generates the pools into bench/data/ (git-ignored, fixed seed, reused when present),
# runs every contender on the same files in interleaved rounds, checks that they agree
# with merit and prints the table.
# Usage: bench/run.sh [--quick] [--scale 0.1] [--rounds 5] [--threads 2] [--workloads wide,long,memory]
#   --quick = --scale 0.1 --rounds 3: a check that everything runs (181 s under load 8 on
#   2 cores, generating its data included); its numbers are not the benchmark's.
set -euo pipefail
cd "$(dirname "$0")/.."
args=()
for a in "$@"; do
  if [ "$a" = "--quick" ]; then args+=(--scale 0.1 --rounds 3); else args+=("$a"); fi
done
if [ ! -x bench/.venv/bin/python ] || ! cmp -s bench/requirements.txt bench/.venv/requirements.txt; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
  cp bench/requirements.txt bench/.venv/requirements.txt
fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DMERIT_BUILD_TESTS=OFF > /dev/null
cmake --build build -j "${MERIT_JOBS:-2}" --target merit_cli > /dev/null
g++ -O2 -std=c++17 bench/bench_floor.cpp -o build/bench_floor
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- 2>/dev/null || echo ' (+ local changes)')"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), $(g++ --version | head -1)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
bench/.venv/bin/python - <<'PY'
import sys, importlib.metadata as m
print("python " + sys.version.split()[0] + "; " + ", ".join(f"{p} {m.version(p)}" for p in ("duckdb", "polars", "pandas", "numpy", "pyarrow")))
PY
bench/.venv/bin/python bench/bench_pool.py all --merit build/merit --floor build/bench_floor "${args[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
