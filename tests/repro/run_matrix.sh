#!/usr/bin/env bash
# Runs the reproducibility matrix locally, outside CTest: every repro-* preset is
# configured into build/repro-<cfg>, only repro_probe is built, and its output is
# compared with tests/golden/repro.txt (a unified diff on mismatch).
#   tests/repro/run_matrix.sh                   all configurations
#   tests/repro/run_matrix.sh gcc-O2 aarch64-qemu   some of them
# CTest runs the same thing as the tests repro_<cfg> (ctest --preset repro).
set -euo pipefail
cd "$(dirname "$0")/../.."
all=(gcc-O0 gcc-O2 gcc-O3-native gcc-O3-x86-64-v4 clang-O2-libcxx clang-O3-native aarch64-qemu s390x-qemu fp-contract)
cfgs=("$@")
((${#cfgs[@]})) || cfgs=("${all[@]}")
failed=()
for cfg in "${cfgs[@]}"; do
  expect=golden
  [ "$cfg" = fp-contract ] && expect=refuse
  [ "$cfg" = gcc-O3-x86-64-v4 ] && expect=avx512  # built everywhere, run only on AVX-512 CPUs
  echo "== repro-$cfg (expect $expect)"
  start=$(date +%s)
  if cmake -DPRESET="repro-$cfg" -DEXPECT="$expect" -DSOURCE_DIR="$PWD" -DGOLDEN="$PWD/tests/golden/repro.txt" \
       -P tests/repro/run_config.cmake; then
    echo "== repro-$cfg: ok ($(($(date +%s) - start)) s)"
  else
    echo "== repro-$cfg: FAILED ($(($(date +%s) - start)) s)"
    failed+=("$cfg")
  fi
done
if ((${#failed[@]})); then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all ${#cfgs[@]} configurations reproduce tests/golden/repro.txt"
