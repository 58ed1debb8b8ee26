#!/usr/bin/env bash
# The bindings' overhead on a 100,000-entity ceremony: check inputs, announce, draw and verify
# (full replay) through the ABI's Rust layer, then through Python and Java, one run each.
#
#   bash benches/bindings.sh [--entities N] [--dir DIR]
#
# The roster comes from the gen-rosters example (as benches/cli.sh makes it) with the plan
# benches/compare-plan.toml. Needs the Python package installed (pip install ./bindings/python)
# and JNA (/usr/share/java/jna.jar).
set -euo pipefail
cd "$(dirname "$0")/.."
N=100000; DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --entities) N="$2"; shift ;;
    --dir) DIR="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
DIR=${DIR:-/tmp/dr-compare/$N}
cargo build --release --quiet --example gen-rosters
cargo build --release --quiet -p double-random-ffi --lib --example draw_timing
if [ ! -s "$DIR/entities.csv" ]; then
  mkdir -p "$DIR"
  target/release/examples/gen-rosters --entities "$N" --inspectors 5000 --seed 2026 --out "$DIR" >&2
fi
INPUTS=$(mktemp -d)
trap 'rm -rf "$INPUTS"' EXIT
for f in entities inspectors items conflicts history; do ln -s "$(realpath "$DIR/$f.csv")" "$INPUTS/$f.csv"; done
cp benches/compare-plan.toml "$INPUTS/plan.toml"
cat "$INPUTS"/*.csv > /dev/null  # warm the page cache
classes=$(mktemp -d)
javac --release 8 -Xlint:-options -cp /usr/share/java/jna.jar -d "$classes" \
  $(find bindings/java/src/main -name '*.java') benches/BindingsTiming.java
echo "$N entities ($(du -hL "$INPUTS/entities.csv" | cut -f1)), $(nproc) cores, one run each"
target/release/examples/draw_timing "$INPUTS"
python3 benches/bindings_timing.py "$INPUTS"
java -cp "/usr/share/java/jna.jar:$classes" -Djna.library.path="$PWD/target/release" BindingsTiming "$INPUTS"
