#!/usr/bin/env python3
"""Writes the seeds of the `xlsx` fuzz target (`fuzz/corpus/xlsx/seed-*`).

Input format of `double_random::fuzzing::check_xlsx`: byte 0 holds flags (bit 0: the rest is a
whole workbook; otherwise the rest is a worksheet's XML, `0xFF`, a shared strings part's XML,
packed into a workbook, deflated if bit 1). The seeds are the first rows of test vector 01's
tables, with inline strings and with shared strings, and two whole packages (stored and
deflated). Run from the repository root.
"""
import csv, io, os, zipfile

NS = "http://schemas.openxmlformats.org"
OUT = "fuzz/corpus/xlsx"
V = "tests/vectors/01-small-undirected"


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def esc(t):
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet(rows, shared=None, dim=True):
    body = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            if v == "":
                continue
            ref = f"{col(c)}{r}"
            if v.isdigit() and len(v) < 10:
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            elif shared is not None:
                if v not in shared:
                    shared.append(v)
                cells.append(f'<c r="{ref}" t="s"><v>{shared.index(v)}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(v)}</t></is></c>')
        body.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    width = max(len(r) for r in rows)
    d = f'<dimension ref="A1:{col(width - 1)}{len(rows)}"/>' if dim else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">{d}<sheetData>'
            + "".join(body) + "</sheetData></worksheet>").encode()


def sst(strings):
    return (f'<sst xmlns="{NS}/spreadsheetml/2006/main" count="{len(strings)}" uniqueCount="{len(strings)}">'
            + "".join(f"<si><t>{esc(s)}</t></si>" for s in strings) + "</sst>").encode()


def table(name, n):
    with open(f"{V}/{name}.csv", encoding="utf-8-sig") as f:
        return list(csv.reader(f))[:n]


def package(sheet_xml, shared_xml, method):
    buf = io.BytesIO()
    rels = f'<Relationships xmlns="{NS}/package/2006/relationships">'
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{NS}/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'.encode(),
        "_rels/.rels": (rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>').encode(),
        "xl/workbook.xml": f'<workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>'.encode(),
        "xl/_rels/workbook.xml.rels": (rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode(),
        "xl/worksheets/sheet1.xml": sheet_xml,
        "xl/sharedStrings.xml": shared_xml,
    }
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, (2026, 3, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, body)
    return buf.getvalue()


seeds = {}
for name, n in (("entities", 6), ("inspectors", 5), ("items", 4), ("history", 4), ("conflicts", 3)):
    rows = table(name, n)
    seeds[f"seed-{name}-inline"] = b"\x00" + sheet(rows)
    strings = []
    s = sheet(rows, strings, dim=False)
    seeds[f"seed-{name}-shared"] = b"\x00" + s + b"\xff" + sst(strings)
rows = table("entities", 4)
strings = []
s = sheet(rows, strings)
seeds["seed-entities-shared-deflated"] = b"\x02" + s + b"\xff" + sst(strings)
seeds["seed-package-stored"] = b"\x01" + package(s, sst(strings), zipfile.ZIP_STORED)
seeds["seed-package-deflated"] = b"\x01" + package(s, sst(strings), zipfile.ZIP_DEFLATED)
for k, v in seeds.items():
    with open(os.path.join(OUT, k), "wb") as f:
        f.write(v)
print(len(seeds), "seeds")
