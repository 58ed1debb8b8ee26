#!/usr/bin/env bash
# Side-by-side timing of the streamed draw against the floor of reading the file and against the
# usual Python ways of drawing a stratified sample.
#
#   bash benches/compare.sh [--big] [--teams] [--rounds N] [--no-write] [--dir DIR]
#
# Generates a 1,000,000-entity roster (and with --big a 10,000,000-entity one, ~1.5 GB) with the
# gen-rosters example into DIR (default /tmp/dr-compare; reused when present), then measures in
# one run, each with /usr/bin/time -v (wall time and peak RSS):
#   floor     the `floor` example: read entities.csv, SHA-256 it and run one csv::ByteRecord
#             pass over it, sequentially on one thread
#   parse only  the `floor` example with --parse-only: the ByteRecord pass alone
#   draw      the `pipeline` example: double_random::pipeline::draw (read, validate, digest
#             every input, draw, read back the drawn rows, assign teams)
#   replay    the `pipeline` example: pipeline::replay against the digests the draw wrote
#   pandas    read_csv (C parser), then groupby(risk).sample(frac=...)  (benches/compare_baselines.py)
#   pandas-pyarrow  the same with read_csv(engine="pyarrow")
#   polars    read_csv (multi-threaded), filter, per-class sample(n=...)
#   consistent_sampler  Rivest's consistent_sampler, same counts
#   random.sample       csv.reader + random.sample, same counts
# With --rounds N (default 1) every method is measured N times, in N rounds that each run every
# method once, so that a slow spell of a shared machine falls on all of them alike; the table
# gives each method's fastest wall time and its highest peak RSS.
# The plan is benches/compare-plan.toml. It prints a Markdown table (times, ratio to the floor,
# peak RSS) and, unless --no-write, puts it into docs/PERFORMANCE.md between the markers
# <!-- compare:begin --> and <!-- compare:end -->. With --teams it also runs the criterion bench
# of team assignment for 500,000 drawn entities × 5,000 inspectors (takes about a minute).
# Needs: cargo, python3 with pandas, pyarrow, polars and consistent_sampler (pip install pandas
# pyarrow polars consistent_sampler), GNU time (apt-get install time).
set -euo pipefail
cd "$(dirname "$0")/.."

BIG=0; TEAMS=0; WRITE=1; DIR=/tmp/dr-compare; ROUNDS=1
while [ $# -gt 0 ]; do
  case "$1" in
    --big) BIG=1 ;;
    --teams) TEAMS=1 ;;
    --no-write) WRITE=0 ;;
    --dir) DIR="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

cargo build --release --example gen-rosters --example floor --example pipeline
BIN=target/release/examples
PLAN=benches/compare-plan.toml
SEED=$(printf '20%.0s' $(seq 32))

sizes=(1000000)
[ "$BIG" = 1 ] && sizes+=(10000000)

# measure LABEL CMD...: appends "label<TAB>seconds<TAB>peak KiB" to $RESULTS
measure() {
  local label="$1"; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  rm -f "$log"
  local secs
  secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  printf '%s\t%s\t%s\n' "$label" "$secs" "$rss" >> "$RESULTS"
  echo "  $label: ${secs} s, ${rss} KiB" >&2
}

RESULTS=$(mktemp)
for n in "${sizes[@]}"; do
  d="$DIR/$n"
  if [ ! -s "$d/entities.csv" ]; then
    mkdir -p "$d"
    "$BIN/gen-rosters" --entities "$n" --inspectors 5000 --seed 2026 --out "$d" >&2
  fi
  echo "$n entities ($(du -h "$d/entities.csv" | cut -f1)):" >&2
  cat "$d"/*.csv > /dev/null  # warm the page cache for everyone alike
  for round in $(seq "$ROUNDS"); do
    [ "$ROUNDS" = 1 ] || echo " round $round of $ROUNDS" >&2
    measure "$n floor" "$BIN/floor" "$d/entities.csv"
    measure "$n parse only" "$BIN/floor" --parse-only "$d/entities.csv"
    measure "$n draw" "$BIN/pipeline" draw "$d" "$PLAN" "$SEED" "$d/digests.json"
    measure "$n replay" "$BIN/pipeline" replay "$d" "$PLAN" "$SEED" "$d/digests.json"
    measure "$n pandas" python3 benches/compare_baselines.py pandas "$d/entities.csv"
    measure "$n pandas-pyarrow" python3 benches/compare_baselines.py pandas-pyarrow "$d/entities.csv"
    measure "$n polars" python3 benches/compare_baselines.py polars "$d/entities.csv"
    measure "$n consistent_sampler" python3 benches/compare_baselines.py consistent "$d/entities.csv"
    measure "$n random.sample" python3 benches/compare_baselines.py random "$d/entities.csv"
  done
done

TABLE=$(python3 - "$RESULTS" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = {}
for label, secs, rss in rows:
    n, what = label.split(" ", 1)
    best, peak = data.setdefault(n, {}).get(what, (float("inf"), 0))
    data[n][what] = (min(best, float(secs)), max(peak, int(rss)))
out = ["| entities | method | wall time (s) | × floor | peak RSS (MiB) |", "|---:|---|---:|---:|---:|"]
for n, d in data.items():
    floor = d["floor"][0] or 0.01
    for what, (secs, rss) in d.items():
        out.append(f"| {int(n):,} | {what} | {secs:.2f} | {secs / floor:.2f} | {rss / 1024:.0f} |")
sizes = list(data)
notes = []
for n in sizes:
    d = data[n]
    for base in ("pandas", "pandas-pyarrow", "polars", "consistent_sampler"):
        notes.append(f"- {int(n):,}: {base} time / draw time = {d[base][0] / d['draw'][0]:.2f}")
if len(sizes) > 1:
    a, b = sizes[0], sizes[-1]
    for what in ("draw", "replay"):
        notes.append(f"- {what}: the {int(b):,} run takes {data[b][what][0] / data[a][what][0]:.1f}× the time of the {int(a):,} run")
    notes.append(f"- peak memory of draw at {int(b):,}: {data[b]['draw'][1] * 1024 / int(b):.0f} bytes per entity")
print("\n".join(out + [""] + notes))
PY
)

if [ "$TEAMS" = 1 ]; then
  TEAM=$(DR_BENCH_LARGE=1 cargo bench --bench draw -- 'teams/assign/500000' 2>/dev/null | grep -A1 'teams/assign/500000' | grep -o 'time: *\[[^]]*\]' || true)
  TABLE="$TABLE
- team assignment, 500,000 drawn × 5,000 inspectors (criterion): $TEAM"
fi

echo "$TABLE"
if [ "$WRITE" = 1 ]; then
  python3 - docs/PERFORMANCE.md "$TABLE" <<'PY'
import sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
b, e = "<!-- compare:begin -->", "<!-- compare:end -->"
i, j = text.index(b) + len(b), text.index(e)
open(path, "w").write(text[:i] + "\n" + table + "\n" + text[j:])
PY
  echo "written into docs/PERFORMANCE.md" >&2
fi
rm -f "$RESULTS"
