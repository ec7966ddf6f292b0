#!/usr/bin/env bash
# Installs merit into a temporary prefix and builds a small consumer against
# it with find_package(merit CONFIG), then the same consumer through
# add_subdirectory; then a C consumer of the C ABI alone, through
# find_package(merit COMPONENTS c) with Eigen, nlohmann_json and Boost made
# unfindable, and through pkg-config. Usage: consumer_test.sh BUILD_DIR SOURCE_DIR GENERATOR
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

# The C ABI alone needs none of the C++ library's dependencies: with them
# made unfindable, the c component is found and the default (cxx) is not.
no_cxx_deps=(-DCMAKE_DISABLE_FIND_PACKAGE_Eigen3=ON -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON
  -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON)
model="$tmp/prefix/share/merit/competency_models/sales_enablement.json"
if cmake -S "$src/tests/package/consumer" -B "$tmp/cxx_without_deps" -G "$gen" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  "${no_cxx_deps[@]}" > /dev/null 2>&1; then
  echo "find_package(merit) succeeded without Eigen, nlohmann_json and Boost: the check below proves nothing" >&2
  exit 1
fi
cmake -S "$src/tests/package/c_consumer" -B "$tmp/c_component" -G "$gen" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  "${no_cxx_deps[@]}" > /dev/null
cmake --build "$tmp/c_component" > /dev/null
out3=$("$tmp/c_component/c_consumer" "$model")
echo "find_package(merit COMPONENTS c): $out3"
test "$out" = "$out3"

# pkg-config, from the installed merit.pc (relocatable: found via its own place).
export PKG_CONFIG_PATH=$(dirname "$(find "$tmp/prefix" -name merit.pc | head -1)")
test "$(pkg-config --modversion merit)" = "$(sed -n 's/^project(merit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Werror "$src/tests/package/c_consumer/main.c" -o "$tmp/pc_consumer" $(pkg-config --cflags --libs merit)
out4=$(LD_LIBRARY_PATH=$(pkg-config --variable=libdir merit) "$tmp/pc_consumer" "$model")
echo "pkg-config: $out4"
test "$out" = "$out4"
echo "package: 4 passed, 0 failed"
