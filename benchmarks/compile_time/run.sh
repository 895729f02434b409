#!/usr/bin/env bash
# Compile time of a user's units in both modes (docs/ci.md, "Compile time of a user's
# units"): user CPU seconds of GCC for the umbrella-only unit at -O1 and the serving unit
# at -O2, header-only and compiled mode (-DREPREP_COMPILED_LIB: the headers then only
# declare the registry, which lives in libreprep_compiled.a). Compile only, no link.
#   benchmarks/compile_time/run.sh [runs]      default 2 runs each; quote the range
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
runs="${1:-2}"
flags=(-std=c++20 -I"$root/include" -isystem /usr/include/eigen3 -ffp-contract=off)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
measure() {  # label, then compiler arguments
  local label="$1"; shift
  for ((i = 1; i <= runs; ++i)); do
    /usr/bin/time -f "$label: %U s user" -o "$out/t" g++ "${flags[@]}" "$@" -c -o "$out/o.o"
    cat "$out/t"
  done
}
measure "umbrella -O1, header-only" -O1 "$here/umbrella_unit.cpp"
measure "umbrella -O1, compiled mode" -O1 -DREPREP_COMPILED_LIB "$here/umbrella_unit.cpp"
measure "serving unit -O2, header-only" -O2 "$here/serving_unit.cpp"
measure "serving unit -O2, compiled mode" -O2 -DREPREP_COMPILED_LIB "$here/serving_unit.cpp"
measure "serving unit naming its 4 kinds -O2, header-only" -O2 -DREPREP_NAMED_KINDS "$here/serving_unit.cpp"
