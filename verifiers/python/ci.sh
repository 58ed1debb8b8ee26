#!/usr/bin/env bash
# The Python replayer against the Rust implementation, byte for byte:
#  - every test vector with an expected.json (SPEC §15) is recomputed and compared;
#  - every ceremony vector (announcement.json + sheet.json) is verified in full (SPEC §13),
#    with its office log when present, and the recomputed sheet must equal sheet.json.
# Set DR_CEREMONY_DIRS to extra folders (space-separated), e.g. a fresh demo, to verify them too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$here"
status=0
shopt -s nullglob

verify_ceremony() {
  local dir="$1" args=()
  [ -f "$dir/office.log" ] && args+=(--log "$dir/office.log")
  python3 -m double_random_verify "$dir" "${args[@]}" || status=1
  if python3 -m double_random_verify "$dir" --json 2>/dev/null >"$tmp"; then
    cmp -s "$tmp" "$dir/sheet.json" || { echo "FAIL: recomputed sheet differs from $dir/sheet.json"; status=1; }
  else
    echo "FAIL: no sheet recomputed for $dir"; status=1
  fi
}

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
for case in "$root"/tests/vectors/*/; do
  case="${case%/}"
  if [ -f "$case/expected.json" ]; then
    echo "--- vector $(basename "$case")"
    python3 -m double_random_verify vector "$case" || status=1
  fi
  if [ -f "$case/announcement.json" ] && [ -f "$case/sheet.json" ]; then
    echo "--- ceremony $(basename "$case")"
    verify_ceremony "$case"
  fi
done
for dir in ${DR_CEREMONY_DIRS:-}; do
  echo "--- ceremony $dir"
  verify_ceremony "$dir"
done
exit $status
