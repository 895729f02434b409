#!/usr/bin/env bash
# Runs one CMake workflow preset (configure, build, test) of the source tree as a
# single CTest test of the main build: sanitize_tsan and fuzz_bounded (ASan + UBSan
# need no tree of their own: the dev tree builds the test executables with them).
# Any compile error, failing test or sanitizer report fails the workflow and so this
# test. The flags live once, in CMakePresets.json (the tsan and fuzz presets).
#
#   run_preset.sh <source-dir> <preset>
set -euo pipefail
cd "$1"
start=$(date +%s)
cmake --workflow --preset "$2"
echo "workflow preset $2: $(( $(date +%s) - start )) s wall"
