#!/usr/bin/env bash
# Wall time and peak memory of the command-line example's ceremony on a large roster: check,
# announce, draw, verify, amend and verify again (with the amendment), as an office runs them.
#
#   bash benches/cli.sh [--entities N] [--rounds R] [--dir DIR] [BIN ...]
#
# Generates a roster of N entities (default 1,000,000) with the gen-rosters example into DIR
# (default /tmp/dr-compare/N, shared with benches/compare.sh; reused when present), with the plan
# benches/compare-plan.toml, and times every step with /usr/bin/time. Each BIN is a build of the
# double-random example (default: this checkout's release build); with several, the rounds
# alternate between them, so that a slow spell of a shared machine falls on all alike. Each
# ceremony runs in a fresh office folder under a temporary directory, with a new key and no
# witness or beacon (the organizer's secret alone), and must end in PASS.
# Needs: cargo, python3, GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

N=1000000; ROUNDS=1; DIR=""; BINS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --entities) N="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) BINS+=("$1") ;;
  esac
  shift
done
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }
DIR=${DIR:-/tmp/dr-compare/$N}

cargo build --release --example gen-rosters --example double-random
[ ${#BINS[@]} -gt 0 ] || BINS=(target/release/examples/double-random)
if [ ! -s "$DIR/entities.csv" ]; then
  mkdir -p "$DIR"
  target/release/examples/gen-rosters --entities "$N" --inspectors 5000 --seed 2026 --out "$DIR" >&2
fi
INPUTS=$(mktemp -d)
trap 'rm -rf "$INPUTS"' EXIT
for f in entities inspectors items conflicts history; do ln -s "$(realpath "$DIR/$f.csv")" "$INPUTS/$f.csv"; done
cp benches/compare-plan.toml "$INPUTS/plan.toml"
cat "$INPUTS"/*.csv > /dev/null  # warm the page cache

# step NAME BIN ARGS...: runs BIN ARGS and prints "NAME  seconds  peak MiB  BIN"
step() {
  local label="$1"; shift
  local log; log=$(mktemp)
  if ! /usr/bin/time -f '%e %M' "$@" >"$log.out" 2>"$log"; then
    tail -n 5 "$log" "$log.out" >&2; rm -f "$log" "$log.out"; return 1
  fi
  local secs kib
  read -r secs kib < <(tail -n 1 "$log")
  printf '%-9s %7s s %6d MiB  %s\n' "$label" "$secs" $((kib / 1024)) "$1"
  rm -f "$log" "$log.out"
}

echo "$N entities ($(du -h "$DIR/entities.csv" | cut -f1)), $(nproc) cores"
for round in $(seq "$ROUNDS"); do
  for bin in "${BINS[@]}"; do
    office=$(mktemp -d)
    "$bin" --lang en keygen --office "$office" --unencrypted >/dev/null
    step check "$bin" --lang en check --inputs "$INPUTS"
    # A timing run, not a draw anyone relies on: a declared drill (no witness, no beacon).
    step announce "$bin" --lang en announce --draw-id BENCH-1 --inputs "$INPUTS" \
      --dir "$office/draw" --office "$office" --no-independent-randomness
    step draw "$bin" --lang en draw "$office/draw" --office "$office"
    step verify "$bin" --lang en verify "$office/draw" --public-key "$office/organizer.pub"
    "$bin" --lang en verify "$office/draw" --public-key "$office/organizer.pub" | grep -q PASS || { echo "verify did not PASS" >&2; exit 1; }
    first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entities"][0]["id"])' "$office/draw/sheet.json")
    step amend "$bin" --lang en amend "$office/draw" --office "$office" \
      --replace-entity "$first" --reason entity-closed --text bench
    step verify+1 "$bin" --lang en verify "$office/draw" --public-key "$office/organizer.pub"
    rm -rf "$office"
  done
done
