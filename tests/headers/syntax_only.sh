#!/bin/sh
# Compiler launcher of reprep_header_check (tests/headers/CMakeLists.txt): runs the
# compile command it is given with -fsyntax-only, then creates the empty object file the
# build system expects. A header compiled alone is checked by the front end (parsing,
# name lookup, types, every non-template body, the warnings of -Wall -Wextra); code
# generation adds nothing to that check and cost a third of its CPU time (docs/ci.md).
# Any further launcher (ccache, a timing wrapper) comes first in "$@" and is kept.
while [ "$#" -gt 0 ] && [ -z "$1" ]; do shift; done  # an empty launcher entry
out=""
prev=""
for a in "$@"; do
  [ "$prev" = "-o" ] && out="$a"
  prev="$a"
done
"$@" -fsyntax-only || exit $?
if [ -n "$out" ]; then : > "$out"; fi
