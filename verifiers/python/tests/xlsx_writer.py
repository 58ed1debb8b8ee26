"""A minimal .xlsx writer for the tests: enough of SpreadsheetML to exercise the reader.

A cell is given as a str (a shared string), ("inline", s), ("num", x[, style]), ("bool", b),
("formula", cached text or number), ("error", "#N/A"), ("date", serial[, style]), ("isodate",
"2026-03-01") or None (no cell at all).
"""

import io
import zipfile
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

# cellXfs: 0 General, 1 built-in 14 (m/d/yyyy), 2 custom yyyy"年"m"月"d"日", 3 custom 0.00,
# 4 built-in 49 (@), 5 custom [$-804]yyyy/m/d;@, 6 custom h:mm:ss (a time, not a date)
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="4"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>
<numFmt numFmtId="177" formatCode="0.00"/><numFmt numFmtId="178" formatCode="[$-804]yyyy/m/d;@"/>
<numFmt numFmtId="179" formatCode="h:mm:ss"/></numFmts>
<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>
<xf numFmtId="176" applyNumberFormat="1"/><xf numFmtId="177"/><xf numFmtId="49"/>
<xf numFmtId="178"/><xf numFmtId="179"/></cellXfs>
</styleSheet>"""


def _col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _sheet(rows, shared, index):
    out = [f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>']
    for r, row in enumerate(rows, 1):
        if row is None:
            continue  # a missing <row>
        out.append(f'<row r="{r}">')
        for c, cell in enumerate(row):
            if cell is None:
                continue
            ref = f"{_col(c)}{r}"
            if isinstance(cell, str):
                if cell not in index:
                    index[cell] = len(shared)
                    shared.append(cell)
                out.append(f'<c r="{ref}" t="s"><v>{index[cell]}</v></c>')
                continue
            kind, value, *rest = cell
            style = f' s="{rest[0]}"' if rest else ""
            if kind == "inline":
                out.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}'
                           '</t></is></c>')
            elif kind == "num":
                out.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
            elif kind == "date":
                out.append(f'<c r="{ref}" s="{rest[0] if rest else 1}"><v>{value}</v></c>')
            elif kind == "bool":
                out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif kind == "formula":
                t = ' t="str"' if isinstance(value, str) else ""
                out.append(f'<c r="{ref}"{t}><f>A1&amp;""</f><v>{escape(str(value))}</v></c>')
            elif kind == "error":
                out.append(f'<c r="{ref}" t="e"><f>NA()</f><v>{value}</v></c>')
            elif kind == "isodate":
                out.append(f'<c r="{ref}" t="d"><v>{value}</v></c>')
            elif kind == "empty":
                out.append(f'<c r="{ref}"{style}/>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def workbook(rows, other_sheet=None, date1904=False, rich=None):
    """The bytes of a workbook whose first sheet holds rows. The first sheet is stored as
    sheet2.xml and a second one as sheet1.xml, so that the reader must follow the workbook's
    order and relationships. rich: {text: xml of an <si>} to write some shared strings as
    rich text."""
    shared, index = [], {}
    first = _sheet(rows, shared, index)
    second = _sheet(other_sheet or [["other"]], shared, index)
    sis = []
    for s in shared:
        if rich and s in rich:
            sis.append(rich[s])
        else:
            sis.append(f'<si><t xml:space="preserve">{escape(s)}</t></si>')
    sst = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(shared)}" '
           f'uniqueCount="{len(shared)}">' + "".join(sis) + "</sst>")
    pr = '<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>"
    wb = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">{pr}'
          '<sheets><sheet name="名单" sheetId="2" r:id="rId7"/><sheet name="说明" sheetId="1" '
          'r:id="rId1"/></sheets></workbook>')
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
               f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
               f'<Relationship Id="rId7" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
               f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
               f'<Relationship Id="rId4" Type="{REL}/styles" Target="styles.xml"/>'
               "</Relationships>")
    root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                 "</Relationships>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        z.writestr("xl/worksheets/sheet2.xml", first)
        z.writestr("xl/worksheets/sheet1.xml", second)
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/styles.xml", STYLES)
    return buf.getvalue()
