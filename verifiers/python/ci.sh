#!/usr/bin/env bash
# Recomputes every test vector (SPEC §15) with the Python replayer; ceremony vectors are
# verified in full as well. Any difference fails.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
status=0
shopt -s nullglob
for case in "$root"/tests/vectors/*/; do
  [ -f "$case/expected.json" ] || continue
  echo "--- vector $(basename "$case")"
  python3 -m double_random_verify vector "$case" || status=1
  if [ -f "$case/announcement.json" ] && [ -f "$case/sheet.json" ]; then
    python3 -m double_random_verify "$case" || status=1
  fi
done
exit $status
