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
echo "== result"
echo "training fingerprint: $trained"
echo "serving fingerprint:  $served"
if [ -n "$trained" ] && [ "$trained" = "$served" ] && grep -q "identical to the training side" "$work/serve.log"; then
  echo "identical"
else
  echo "FAILED: the serving side does not reproduce the training side" >&2
  exit 1
fi
