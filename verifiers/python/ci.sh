#!/usr/bin/env bash
# The Python replayer against the Rust implementation, byte for byte:
#  - every v2 test vector with an expected.json (SPEC §15) is recomputed and compared
#    (vectors of algorithm v1 are not replayed: SPEC §16);
#  - every ceremony vector (an office folder: office.log, checkpoints/, organizer.pub and draw
#    folders) is verified in full (SPEC §13) with its key, log and tsa.pem when present, and
#    each recomputed sheet must equal its sheet.json.
# DR_VECTORS names another vectors folder; DR_CEREMONY_DIRS extra draw folders (space-separated,
# e.g. a fresh demo), each verified with the organizer.pub beside or in it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
vectors="${DR_VECTORS:-$root/tests/vectors}"
cd "$here"
status=0
shopt -s nullglob

verify_draw() {
  local dir="$1" office="$2" args=()
  local key="$office/organizer.pub"
  [ -f "$key" ] || key="$dir/organizer.pub"
  args+=(--public-key "$key")
  [ -f "$office/office.log" ] && args+=(--log "$office/office.log")
  for cert in "$office/tsa.pem" "$dir/tsa.pem"; do
    [ -f "$cert" ] && args+=(--tsa-cert "$cert")
  done
  python3 -m double_random_verify "$dir" "${args[@]}" || status=1
  if [ -f "$dir/sheet.json" ]; then
    if python3 -m double_random_verify "$dir" "${args[@]}" --json 2>/dev/null >"$tmp"; then
      cmp -s "$tmp" "$dir/sheet.json" || { echo "FAIL: recomputed sheet differs from $dir/sheet.json"; status=1; }
    else
      echo "FAIL: no sheet recomputed for $dir"; status=1
    fi
  fi
}

tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
for case in "$vectors"/*/; do
  case="${case%/}"
  if [ -f "$case/expected.json" ]; then
    if grep -q '"version":"v2"' "$case/expected.json"; then
      echo "--- vector $(basename "$case")"
      python3 -m double_random_verify vector "$case" || status=1
    else
      echo "--- vector $(basename "$case"): not v2, skipped"
    fi
  fi
  if [ -f "$case/office.log" ]; then
    for draw in "$case"/*/; do
      draw="${draw%/}"
      [ -f "$draw/announcement.json" ] || continue
      if [ ! -f "$draw/sheet.json" ] && [ ! -f "$draw/void.json" ]; then
        echo "--- pending $(basename "$case")/$(basename "$draw"): announced, not drawn: nothing to replay"
        continue
      fi
      echo "--- ceremony $(basename "$case")/$(basename "$draw")"
      verify_draw "$draw" "$case"
    done
  fi
done
for dir in ${DR_CEREMONY_DIRS:-}; do
  echo "--- ceremony $dir"
  verify_draw "$dir" "$(dirname "$dir")"
done
exit $status
