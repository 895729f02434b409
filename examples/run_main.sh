#!/usr/bin/env bash
# The README's main job: train -> serve -> inspect, from the build tree given as $1.
# Ends by printing both fingerprints and "identical", or a clear failure.
set -euo pipefail
build="${1:-build/dev}"
work="$build/demo"
mkdir -p "$work"
echo "== train (research side)"
"$build/examples/example_train" "$work" | tee "$work/train.log"
echo "== serve (a separate serving binary)"
"$build/examples/example_serve" "$work" | tee "$work/serve.log"
echo "== inspect"
"$build/examples/reprep-inspect" "$work/penguins.rpp"
trained=$(sed -n 's/^train: fingerprint //p' "$work/train.log")
served=$(sed -n 's/^serve: fingerprint //p' "$work/serve.log")
ok=1
[ -n "$trained" ] && [ "$trained" = "$served" ] && grep -q "identical to the training side" "$work/serve.log" || ok=0

# The same training in Python, as a notebook would write it (docs/python.md), when the
# build tree has the Python extension: the C++ serving binary must apply its artifact
# with the same bits, and the artifact must be the C++ one, byte for byte.
if compgen -G "$build/python/reprep/_reprep*.so" >/dev/null; then
  echo "== train in Python (examples/train.py), serve in C++"
  PYTHONPATH="$build/python" /usr/bin/python3 examples/train.py "$work/python" | tee "$work/train_py.log"
  "$build/examples/example_serve" "$work/python" | tee "$work/serve_py.log"
  grep -q "identical to the training side" "$work/serve_py.log" || ok=0
  if cmp -s "$work/penguins.rpp" "$work/python/penguins.rpp"; then
    echo "the Python artifact is byte-identical to the C++ one"
  else
    echo "FAILED: the Python artifact differs from the C++ one" >&2
    ok=0
  fi
else
  echo "== Python training skipped: $build has no Python extension (REPREP_BUILD_PYTHON off)"
fi

echo "== result"
echo "training fingerprint: $trained"
echo "serving fingerprint:  $served"
if [ "$ok" = 1 ]; then
  echo "identical"
else
  echo "FAILED: the serving side does not reproduce the training side" >&2
  exit 1
fi
