#!/usr/bin/env bash
# Pool-scale benchmark (issue 5): merit against pandas, polars and DuckDB.
# Creates bench/.venv with the pinned contenders (bench/requirements.txt),
# builds merit in Release (build/), generates the pools into bench/data/
# (git-ignored, fixed seed, reused when present), runs every contender on the
# same files, checks that they agree with merit and prints the table.
# Usage: bench/run.sh [--scale 0.1] [--workloads wide,long,memory]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "${MERIT_JOBS:-2}" --target merit_cli > /dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GB; load: $(cut -d' ' -f1-3 /proc/loadavg)"
bench/.venv/bin/python bench/bench_pool.py all --merit build/merit "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
