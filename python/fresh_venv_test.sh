#!/usr/bin/env bash
# CTest `python_fresh_venv` (docs/python.md "Install"): the README's two install lines, as
# a new user runs them, into a throw-away venv, then import and fit from that venv.
#
#   python/fresh_venv_test.sh SOURCE_DIR PYTHON [EXAMPLE_SERVE]
#
# - The source is copied first (what a clean clone holds: setup.py, pyproject.toml,
#   include/, python/, ...), so that no in-tree build of an earlier install can be reused.
# - pip runs offline (--no-index) with --no-build-isolation, in a venv made with
#   --system-site-packages: Debian's setuptools, pybind11, numpy, pandas and
#   scikit-learn, nothing from PyPI.
# - REPREP_BUILD_OPT=-O0: the install is what is tested, not the optimiser (an -O2 build
#   of the units takes about 400 CPU-seconds, an -O0 one about a third of that); the
#   optimisation level changes no bit of any result, which the fingerprint check shows.
# - REPREP_BUILD_JOBS=1: setup.py then compiles the extension as one unity unit, the least
#   CPU of any split (85 CPU-s at -O0 against about 115 for two units and 245 for the nine
#   units one by one); ctest's other slot keeps the second core busy.
# - The check: examples/train.py, run by the venv's Python from outside the source tree,
#   must import reprep from the venv and print the fingerprint that the C++ training
#   example prints (examples/expected/train.txt); with EXAMPLE_SERVE, the C++ serving
#   binary applies the artifact with the same bits.
set -euo pipefail
src="$(cd "$1" && pwd)"
python="$2"
serve="${3:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir "$work/src"
cp -r "$src/setup.py" "$src/pyproject.toml" "$src/LICENSE" "$src/README.md" "$src/include" "$src/python" "$work/src/"
rm -rf "$work/src/python/tests"

"$python" -m venv --system-site-packages "$work/venv"
REPREP_BUILD_OPT=-O0 REPREP_BUILD_DEBUG_INFO=0 REPREP_BUILD_JOBS=1 "$work/venv/bin/pip" install --quiet --no-index --no-build-isolation --no-deps \
  --disable-pip-version-check "$work/src"

cd "$work"  # not the source tree: `import reprep` must find the installed package
where="$("$work/venv/bin/python" -c 'import reprep, sys; print(reprep.__file__)')"
case "$where" in
  "$work/venv/"*) echo "fresh venv: reprep imported from $where" ;;
  *) echo "FAILED: reprep was imported from $where, not from the venv" >&2; exit 1 ;;
esac

"$work/venv/bin/python" "$src/examples/train.py" "$work/out" "$src/examples/data/penguins.csv" | tee "$work/train.log"
got="$(sed -n 's/^train.py: fingerprint //p' "$work/train.log")"
want="$(sed -n 's/^train: fingerprint //p' "$src/examples/expected/train.txt")"
if [ -z "$got" ] || [ "$got" != "$want" ]; then
  echo "FAILED: the venv's fit has fingerprint '$got'; the C++ training example's is '$want'" >&2
  exit 1
fi
echo "fresh venv: fingerprint $got equals the C++ training example's"

if [ -n "$serve" ]; then
  "$serve" "$work/out" | tee "$work/serve.log"
  grep -q "identical to the training side" "$work/serve.log" || {
    echo "FAILED: the C++ serving example does not reproduce the venv's fit" >&2
    exit 1
  }
fi
echo "fresh venv: install, import and fit OK"
