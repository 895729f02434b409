#!/usr/bin/env bash
# Regenerates tests/golden/repro.txt from the GCC -O2 configuration of the matrix.
# Run it when a change is meant to move bits (a new component, a new formula, a new
# format version), then run tests/repro/run_matrix.sh to see every configuration agree.
# The probe's own in-run checks (chunking, row order, threads) must pass, or nothing
# is written.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake --preset repro-gcc-O2 >/dev/null
cmake --build --preset repro-gcc-O2
out=build/repro-gcc-O2/repro.txt
build/repro-gcc-O2/tests/repro_probe > "$out"
cp "$out" tests/golden/repro.txt
echo "wrote tests/golden/repro.txt ($(wc -l < tests/golden/repro.txt) lines)"
