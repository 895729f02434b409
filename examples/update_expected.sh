#!/usr/bin/env bash
# Regenerates examples/expected/*.txt from a build tree (default build/dev). Review the
# diff before committing: a change in a fingerprint is a change in fitted state.
set -euo pipefail
cd "$(dirname "$0")/.."
b="${1:-build/dev}/examples"
work="$(mktemp -d)"
mkdir -p examples/expected
"$b/example_quickstart" > examples/expected/quickstart.txt
"$b/example_cross_validation" > examples/expected/cross_validation.txt
"$b/example_custom_component" > examples/expected/custom_component.txt
"$b/example_train" "$work" > examples/expected/train.txt
"$b/example_serve" "$work" > examples/expected/serve.txt
"$b/reprep-inspect" "$work/penguins.rpp" > examples/expected/inspect.txt
if [ -x "$b/example_distributed_fit" ]; then
  mpirun --allow-run-as-root --oversubscribe -np 3 "$b/example_distributed_fit" > examples/expected/distributed_fit.txt
fi
rm -rf "$work"
