#!/usr/bin/env bash
# The README's main job: runs the examples from the build tree given as $1.
set -euo pipefail
build="${1:-build/dev}"
"$build/examples/example_quickstart"
