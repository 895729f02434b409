#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh main   install what is missing, build the demo, run train -> serve -> inspect
#   ./run.sh test   install what is missing, build, run every test (CTest); CI runs this
#   ./run.sh quick  the developer's loop: build/quick at -O0 without sanitizers, the quick tests only
# Both are idempotent and incremental: packages already present are not touched and
# the build tree in build/ is reused.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the build and the tests need (README "Dependencies").
packages=(cmake g++ make pkg-config libeigen3-dev libxxhash-dev doctest-dev libbenchmark-dev
          libmpfr-dev libgmp-dev python3-numpy python3-sklearn
          clang-14 lld-14 libc++-14-dev libc++abi-14-dev qemu-user g++-aarch64-linux-gnu g++-s390x-linux-gnu  # the dev tree (Clang, lld) and the repro matrix
          libclang-rt-14-dev gcovr  # fuzzing (libFuzzer) and coverage, docs/reliability.md
          pybind11-dev python3-pybind11 python3-dev python3-pytest python3-pandas  # the Python package, docs/python.md
          python3-venv python3-pip  # python_fresh_venv: the README's venv + pip install, docs/python.md
          libopenmpi-dev openmpi-bin  # reprep::mpi::fit and its test, docs/distributed.md
          python3-dask python3-distributed)  # reprep.dask.fit and its test, docs/distributed.md

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "run.sh: installing missing Debian packages: ${missing[*]}"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# The main job needs only the demo programs, not the whole test suite.
build_demo() {
  cmake --preset dev >/dev/null
  local targets=(example_train example_serve reprep-inspect)
  # The Python training step (examples/train.py) when pybind11 is there (docs/python.md).
  grep -q '^REPREP_BUILD_PYTHON:BOOL=ON' build/dev/CMakeCache.txt && targets+=(reprep_python)
  cmake --build --preset dev --target "${targets[@]}"
}

case "${1:-}" in
  main)
    install_missing
    build_demo
    bash examples/run_main.sh build/dev
    ;;
  test)
    install_missing
    cmake --workflow --preset dev
    ;;
  quick)
    install_missing
    cmake --workflow --preset quick
    ;;
  *)
    echo "usage: ./run.sh main|test|quick" >&2
    exit 2
    ;;
esac
