#!/usr/bin/env bash
# Time of the verification page (web/dist/verify.html) in headless Chromium: the demo's public
# draw with its office log and outcome records, and a full replay of a drawn roster of N
# entities (rosters, plan and log given to the page), each verdict compared with the command
# line's `verify --json` by web/test/drive.py; then the page's size.
#
#   bash benches/web.sh [--entities N] [--dir DIR]
#
# The roster (default 100,000 entities, 5,000 inspectors) is generated with the gen-rosters
# example into DIR (default /tmp/dr-compare/N, shared with benches/cli.sh; reused when
# present), with the plan benches/compare-plan.toml, and drawn as a declared drill in a fresh
# office. Each case prints its wall time in Chromium (`--dump-dom`, Chromium's start included)
# and that time less the same for the page with no files: the latter is the verification,
# with the page's decoding of the dropped files (base64 in the test page) and the module's
# start. The page's own clock is virtual under --virtual-time-budget, so it is not used; the
# module's own time is measured in Node instead (web/test/time.js), when node is installed.
# Needs: cargo, python3, chromium (node optional).
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

cargo build --quiet --release --example gen-rosters --example double-random
bin=target/release/examples/double-random
if [ ! -s "$DIR/entities.csv" ]; then
  mkdir -p "$DIR"
  target/release/examples/gen-rosters --entities "$N" --inspectors 5000 --seed 2026 --out "$DIR" >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The demo's public draw, as the office publishes it (log and calendars beside the folder).
"$bin" --lang en demo --out "$work/demo-run" >/dev/null
draw=$(dirname "$(ls "$work"/demo-run/public/*/sheet.json | head -n 1)")
mkdir -p "$work/demo"
cp -r "$draw" "$work/demo/"
cp "$work/demo-run/organizer.pub" "$work/demo/$(basename "$draw")/"
cp "$work/demo-run/public/office.log" "$work"/demo-run/holidays-*.toml "$work/demo/"

# N entities, announced and drawn (the draw folder holds the rosters and the plan).
inputs="$work/inputs"
mkdir -p "$inputs"
for f in entities inspectors items conflicts history; do cp "$DIR/$f.csv" "$inputs/"; done
cp benches/compare-plan.toml "$inputs/plan.toml"
office="$work/office"
"$bin" --lang en keygen --office "$office" --unencrypted >/dev/null
"$bin" --lang en announce --draw-id WEB-1 --inputs "$inputs" --dir "$office/WEB-1" \
  --office "$office" --no-independent-randomness >/dev/null
"$bin" --lang en draw "$office/WEB-1" --office "$office" >/dev/null
cp "$office/organizer.pub" "$office/WEB-1/"
# The page is given the draw folder and the files beside it: keep only the log there.
mkdir -p "$work/big"
mv "$office/WEB-1" "$work/big/"
cp "$office/office.log" "$work/big/"

echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(chromium --version 2>/dev/null | head -n 1)"
echo "$N entities: $(du -h "$DIR/entities.csv" | cut -f1) entities.csv, $(du -sh "$work/big/WEB-1" | cut -f1) draw folder"
python3 web/test/drive.py web/dist/verify.html "$bin" "$work/shots" \
  "demo=$work/demo/$(basename "$draw")" "replay-$N=$work/big/WEB-1"
# The page's module alone on the same folder, in Node (V8, as in Chromium, with a real clock):
# one run, in a fresh process, as a page runs it once.
if command -v node >/dev/null; then
  node web/test/time.js web/dist/verify.html "$work/big/WEB-1" 1
fi
# The command line on the same folder, for comparison (the log beside it found as the page's).
TIMEFORMAT="the command line's verify on the same folder: %R s"
time "$bin" --lang en verify "$work/big/WEB-1" --public-key "$work/big/WEB-1/organizer.pub" >/dev/null
echo "page: $(stat -c %s web/dist/verify.html) bytes"
