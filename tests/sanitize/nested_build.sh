#!/usr/bin/env bash
# Configures, builds and tests reprep in another build tree with other flags (a
# sanitizer build), as one CTest test of the main run: any compile error, test
# failure or sanitizer report makes this script, and so the CTest test, fail.
#
#   nested_build.sh <source> <binary> <cxx> <flags> <build-target> <ctest-args...>
# Extra configure arguments come from NESTED_CMAKE_ARGS (space-separated).
set -euo pipefail
src=$1 bin=$2 cxx=$3 flags=$4 target=$5
shift 5
start=$(date +%s)
cmake -S "$src" -B "$bin" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$cxx" \
      "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_EXE_LINKER_FLAGS=$flags" \
      -DREPREP_NESTED_BUILD=ON -DREPREP_BUILD_BENCHMARKS=OFF -DREPREP_BUILD_EXAMPLES=OFF ${NESTED_CMAKE_ARGS:-} >/dev/null
cmake --build "$bin" --target "$target" -j2
built=$(date +%s)
ctest --test-dir "$bin" --output-on-failure --no-tests=error "$@"
echo "nested build $bin: configure+build $((built - start)) s, tests $(( $(date +%s) - built )) s"
