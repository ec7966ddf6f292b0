#!/usr/bin/env bash
# Installs merit into a temporary prefix and builds a small consumer against
# it with find_package(merit CONFIG), then the same consumer through
# add_subdirectory. Usage: consumer_test.sh BUILD_DIR SOURCE_DIR GENERATOR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
gen=${3:-Ninja}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
test -f "$tmp/prefix/include/merit/merit.hpp"
test -f "$tmp/prefix/share/merit/competency_models/sales_enablement.json"

cmake -S "$src/tests/package/consumer" -B "$tmp/by_package" -G "$gen" -DCMAKE_PREFIX_PATH="$tmp/prefix" > /dev/null
cmake --build "$tmp/by_package" > /dev/null
out=$("$tmp/by_package/consumer" "$tmp/prefix/share/merit/competency_models/sales_enablement.json")
echo "find_package: $out"
echo "$out" | grep -q '^sales_enablement: [0-9.]*$'

cmake -S "$src/tests/package/consumer" -B "$tmp/by_subdir" -G "$gen" -DMERIT_SOURCE="$src" > /dev/null
cmake --build "$tmp/by_subdir" > /dev/null
out2=$("$tmp/by_subdir/consumer" "$src/competency_models/sales_enablement.json")
echo "add_subdirectory: $out2"
test "$out" = "$out2"
echo "package: 2 passed, 0 failed"
