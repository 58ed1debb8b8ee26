"""Writes a CSV roster as an .xlsx workbook (first worksheet, every cell an inline string, as a
roster kept in Excel with its columns formatted as Text), for the browser cases.

    python3 web/test/csv2xlsx.py ROSTER.csv ROSTER.xlsx

Standard library only.
"""
import csv, sys, zipfile
from xml.sax.saxutils import escape
src, dst = sys.argv[1], sys.argv[2]
NS = "http://schemas.openxmlformats.org"
def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
rows = []
with open(src, encoding="utf-8-sig", newline="") as f:
    for r, row in enumerate(csv.reader(f), 1):
        cells = "".join(f'<c r="{col(i)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                        for i, v in enumerate(row) if v != "")
        rows.append(f'<row r="{r}">{cells}</row>')
sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main"><sheetData>{"".join(rows)}</sheetData></worksheet>'
parts = {
    "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for n, b in parts.items():
        z.writestr(n, b)
