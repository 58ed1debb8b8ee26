#!/usr/bin/env bash
# Peak memory of `double-random check` on hostile workbooks (GNU time's maximum resident set
# size): every .xlsx case of this catalogue, and larger bombs built here, each as
# entities.xlsx beside test vector 01's other inputs. Each must be refused as an input problem
# (not a crash, not a pass) with a peak below MAX_KB.
#
#   tests/bad_inputs/xlsx_memory.sh [BINARY] [MAX_KB]
#
# BINARY defaults to the release build of the command line
# (`cargo build --release --example double-random`); MAX_KB to 262144 (256 MiB).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=${1:-$root/target/release/examples/double-random}
max_kb=${2:-262144}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Bombs too large to keep in the repository, written part by part (never whole in memory).
python3 - "$work/bombs" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
os.makedirs(out)
NS = "http://schemas.openxmlformats.org"
rels = f'<Relationships xmlns="{NS}/package/2006/relationships">'
fixed = {
    "[Content_Types].xml": f'<Types xmlns="{NS}/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
}
HEAD = f'<worksheet xmlns="{NS}/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'

def book(name, sheet_chunks, shared_chunks=None):
    with zipfile.ZipFile(os.path.join(out, name), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for part, body in fixed.items():
            z.writestr(part, body)
        for part, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", shared_chunks)):
            if chunks is None:
                continue
            with z.open(part, "w", force_zip64=True) as f:
                for c in chunks:
                    f.write(c.encode())

def repeat(text, times, block=1 << 20):
    while times > 0:
        n = min(times, block)
        yield text * n
        times -= n

# One cell of 1.5 GB in a file of about 1.5 MB.
book("cell-1.5GB", [HEAD, '<row r="2"><c r="A2" t="inlineStr"><is><t>', *repeat("x", 1_500_000_000), "</t></is></c></row></sheetData></worksheet>"])
# One shared string of 1.5 GB.
book("shared-string-1.5GB", [HEAD, "</sheetData></worksheet>"],
     [f'<sst xmlns="{NS}/spreadsheetml/2006/main"><si><t>', *repeat("x", 1_500_000_000), "</t></si></sst>"])
# A million 1 MB-less-a-bit cells' worth of shared strings: 2 GB past the total bound.
book("shared-strings-2GB", [HEAD, "</sheetData></worksheet>"],
     [f'<sst xmlns="{NS}/spreadsheetml/2006/main">', *repeat("<si><t>" + "x" * 1000 + "</t></si>", 2_000_000, 4096), "</sst>"])
# The reported workbook: a cell at XFD1048576, with and without the dimension.
book("cell-at-XFD1048576", ['<worksheet xmlns="' + NS + '/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'])
book("cell-at-XFD1048576-undeclared", ['<worksheet xmlns="' + NS + '/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'])
PY

vector="$root/tests/vectors/01-small-undirected"
cases=()
for d in "$root"/tests/bad_inputs/*/; do
  [ -f "$d/entities.xlsx" ] && cases+=("$d/entities.xlsx")
done
for f in "$work"/bombs/*; do cases+=("$f"); done

failed=0
printf '%-48s %9s %6s %12s  %s\n' case bytes exit "peak KB" message
for f in "${cases[@]}"; do
  name=$(basename "$(dirname "$f")")
  [ "$name" = bombs ] && name=$(basename "$f")
  dir="$work/run"
  rm -rf "$dir"; mkdir "$dir"
  for t in inspectors items conflicts history; do cp "$vector/$t.csv" "$dir/"; done
  cp "$vector/plan.toml" "$dir/"
  cp "$f" "$dir/entities.xlsx"
  set +e
  LANG=C /usr/bin/time -v "$bin" --lang en check --inputs "$dir" >"$work/out" 2>"$work/err"
  set -e
  code=$(sed -n 's/^[[:space:]]*Exit status: //p' "$work/err")
  signal=$(sed -n 's/^[[:space:]]*Command terminated by signal //p' "$work/err")
  peak=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$work/err")
  msg=$(grep -v '^[[:space:]]' "$work/err" | grep -v '^Command' | grep -m1 'entities.xlsx' || true)
  [ -n "$signal" ] && code="sig$signal"
  printf '%-48s %9s %6s %12s  %s\n' "$name" "$(stat -c %s "$f")" "$code" "$peak" "${msg:0:110}"
  if [ -n "$signal" ] || [ "$code" = 0 ] || [ "${peak:-0}" -gt "$max_kb" ] || [ -z "$msg" ]; then
    failed=1
  fi
done
if [ "$failed" = 1 ]; then
  echo "FAIL: a workbook crashed, passed, was not named, or took more than $max_kb KB" >&2
  exit 1
fi
echo "ok: every workbook refused, peak below $max_kb KB"
