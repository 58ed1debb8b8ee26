"""`.xlsx` rosters (SPEC §3.3, §3.5), read with the standard library (zipfile + ElementTree).

The first worksheet (the first `<sheet>` of `xl/workbook.xml`, found through the workbook's
relationships) becomes records like a CSV file's: row 1 is the header. Cells become text as
SPEC §3.5 says:

- shared strings (`t="s"`, rich text runs concatenated, phonetic runs left out), inline
  strings (`t="inlineStr"`) and formula strings (`t="str"`) as they are;
- numbers: whole and below 2^53 in plain decimal without `.0`; other numbers in the shortest
  decimal form that reads back to the same double, written without an exponent;
- booleans `true` / `false`;
- numbers whose cell style has a date number format (a built-in date format, or a custom
  format with year, month or day fields) as `YYYY-MM-DD` of the Excel serial date (1900 or
  1904 date system, the time of day dropped); `t="d"` cells by their date part;
- a formula by its cached value (none cached: empty); empty cells empty.

A cell holding an error value (`#N/A`, …) is an error. Numbers are returned as `Number`, a
`str` carrying the value, so that the table reader can refuse a number of 10^15 or more in an
id or code column (Excel has lost digits).

Every workbook is read under the bounds of SPEC §3.5 "xlsx limits" (`LIMITS`), as the Rust
reader does: before any part is parsed, every part is inflated in chunks, counting its bytes
against the size its zip directory declares, and scanned for its cells and shared strings.
"""

import datetime
import decimal
import io
import posixpath
import re
import struct
import zipfile
import zlib
import xml.etree.ElementTree as ET
import xml.parsers.expat

from . import InputError
from .normalize import trim

# SPEC §3.5 "xlsx limits"; the Rust reader's `formats::xlsx::XlsxLimits::DEFAULT`.
LIMITS = {
    "parts": 10_000,                      # zip entries
    "part_bytes": 2 << 30,                # a part's declared (and inflated) size
    "total_bytes": 4 << 30,               # all parts' declared sizes together
    "cell_bytes": 1 << 20,                # one <c> or <si>, as stored
    "rows": 1_048_576,                    # a cell's row; the dimension's last row
    "columns": 256,                       # a cell's column; the dimension's last column
    "cells": 1 << 25,                     # <c> elements in the worksheet
    "shared_strings": 1 << 22,            # <si> elements in one part
    "shared_string_bytes": 256 << 20,     # all <si> of one part, as stored
}

_CHUNK = 64 * 1024


class LimitError(InputError):
    """A workbook past one of `LIMITS`: `limit` names it (as the Rust `WorkbookLimit` does),
    `found` is the value found (at least this much, for a bound checked while reading)."""

    def __init__(self, limit, part, found, maximum, file):
        self.limit, self.part, self.found, self.maximum = limit, part, found, maximum
        where = f"part {part}: " if part else ""
        super().__init__(f"{where}{limit} {found} is past the limit of {maximum}", file)


class Number(str):
    """The text of a numeric cell, with the number it holds."""

    def __new__(cls, text, value):
        s = super().__new__(cls, text)
        s.value = value
        return s


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children(elem, name):
    return [c for c in elem if _local(c.tag) == name]


def _child(elem, name):
    for c in elem:
        if _local(c.tag) == name:
            return c
    return None


def _rel_id(elem):
    """The r:id attribute, whatever the relationships namespace (transitional or strict)."""
    for key, value in elem.attrib.items():
        if key.startswith("{") and _local(key) == "id" and "relationships" in key:
            return value
    return None


# ---------------------------------------------------------------- numbers and dates

def number_text(value):
    """SPEC §3.5: whole numbers below 2^53 without `.0`; others in the shortest decimal form
    that reads back to the same double (Python's repr digits), written without an exponent."""
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError("the cell holds a number that is not finite")
    if value == int(value) and abs(value) < 2 ** 53:
        return str(int(value))
    text = format(decimal.Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")  # repr's '.0' on a whole number
    return text


# Built-in number formats that show a date (ECMA-376 §18.8.30, with the East Asian ones).
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)}


def is_date_format(code):
    """A custom number format shows a date when, outside quoted text, escapes and [..]
    sections, it has a year or day field, or a month field without hours or seconds."""
    s = re.sub(r"\[([hms])\1*\]", r"\1", code, flags=re.I)  # elapsed time: [h]:mm
    s = re.sub(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', "", s).lower()
    s = s.split(";")[0]
    if s.strip() in ("", "general", "@"):
        return False
    return "y" in s or "d" in s or ("m" in s and "h" not in s and "s" not in s)


def serial_date(serial, date1904):
    """An Excel serial day number → datetime.date (the time of day dropped)."""
    if serial != serial or serial < 0:
        raise InputError(f"{serial} is not a date serial number")
    days = int(serial)
    if date1904:
        return datetime.date(1904, 1, 1) + datetime.timedelta(days=days)
    if days == 60:
        raise InputError("the serial date 60 is 1900-02-29, a day that does not exist")
    if days < 60:  # Excel counts the non-existent 1900-02-29
        return datetime.date(1899, 12, 31) + datetime.timedelta(days=days)
    return datetime.date(1899, 12, 30) + datetime.timedelta(days=days)


# ---------------------------------------------------------------- the workbook

class _Scan:
    """Measures the <c> and <si> elements of one part as expat reads it: from the start of
    the start tag to the start of the end tag (an empty-element tag: its end), in bytes as
    stored; counts the <si> and their bytes."""

    def __init__(self, part, file, limits):
        self.part, self.file, self.limits = part, file, limits
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.open = {}
        self.strings = 0
        self.string_bytes = 0
        self.fed = 0
        self.broken = False

    def _over(self, limit, found, maximum):
        return LimitError(limit, self.part, found, maximum, self.file)

    def _start(self, name, attrs):
        local = name.rsplit(":", 1)[-1]
        if local == "si":
            self.strings += 1
            if self.strings > self.limits["shared_strings"]:
                raise self._over("SharedStrings", self.strings, self.limits["shared_strings"])
        if local in ("c", "si"):
            self.open[local] = self.parser.CurrentByteIndex

    def _end(self, name):
        local = name.rsplit(":", 1)[-1]
        start = self.open.pop(local, None) if local in ("c", "si") else None
        if start is None:
            return
        # The start of the end tag; after an empty-element tag, its end.
        end = self.parser.CurrentByteIndex
        length = end - start
        if length > self.limits["cell_bytes"]:
            raise self._over("Cell" if local == "c" else "SharedString", length,
                             self.limits["cell_bytes"])
        if local == "si":
            self.string_bytes += length
            if self.string_bytes > self.limits["shared_string_bytes"]:
                raise self._over("SharedStringBytes", self.string_bytes,
                                 self.limits["shared_string_bytes"])

    def feed(self, chunk):
        if not self.broken:
            try:
                self.parser.Parse(chunk, False)
            except xml.parsers.expat.ExpatError:
                self.broken = True  # not XML (a picture): only its size is bounded
        self.fed += len(chunk)
        for local, start in self.open.items():
            if self.fed - start > self.limits["cell_bytes"]:
                raise self._over("Cell" if local == "c" else "SharedString", self.fed - start,
                                 self.limits["cell_bytes"])


def _inflate(raw, inflater):
    """The part's bytes, at most `_CHUNK` at a time: never more in memory, whatever they
    inflate to."""
    for i in range(0, len(raw), _CHUNK):
        if inflater is None:
            yield raw[i:i + _CHUNK]
            continue
        buf = raw[i:i + _CHUNK]
        while True:
            out = inflater.decompress(buf, _CHUNK)
            buf = inflater.unconsumed_tail
            if out:
                yield out
            elif not buf or inflater.eof:
                break
        if inflater.eof:
            return


class _Book:
    def __init__(self, data, file, limits=None):
        self.file = file
        self.limits = limits or LIMITS
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise InputError("not an .xlsx workbook (not a zip archive)", file) from None
        self.names = set(self.zip.namelist())
        self._check_parts(data)

    def _check_parts(self, data):
        """SPEC §3.5 "xlsx limits": the zip directory, then every part inflated in chunks,
        counted against its declared size and scanned, before anything is parsed."""
        lim, file = self.limits, self.file
        infos = self.zip.infolist()
        if len(infos) > lim["parts"]:
            raise LimitError("Parts", "", len(infos), lim["parts"], file)
        total = 0
        for info in infos:
            if info.file_size > lim["part_bytes"]:
                raise LimitError("PartBytes", info.filename, info.file_size, lim["part_bytes"], file)
            total += info.file_size
            if total > lim["total_bytes"]:
                raise LimitError("TotalBytes", "", total, lim["total_bytes"], file)
        for info in infos:
            self._check_part(data, info)

    def _check_part(self, data, info):
        lim, file, name = self.limits, self.file, info.filename
        at = info.header_offset
        if data[at:at + 4] != b"PK\x03\x04" or info.flag_bits & 1:
            raise InputError(f"not an .xlsx workbook: part {name} cannot be read", file)
        name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
        start = at + 30 + name_len + extra_len
        raw = data[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            inflater = None
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
        else:
            raise InputError(f"not an .xlsx workbook: part {name} uses compression method "
                             f"{info.compress_type}", file)
        scan = _Scan(name, file, lim)
        inflated = 0
        try:
            for chunk in _inflate(raw, inflater):
                inflated += len(chunk)
                if inflated > info.file_size:
                    raise LimitError("PartInflated", name, inflated, info.file_size, file)
                scan.feed(chunk)
        except zlib.error as e:
            raise InputError(f"not an .xlsx workbook: part {name}: {e}", file) from None

    def xml(self, name, required=True):
        if name not in self.names:
            if required:
                raise InputError(f"not an .xlsx workbook: {name} is missing", self.file)
            return None
        try:
            return ET.fromstring(self.zip.read(name))
        except ET.ParseError as e:
            raise InputError(f"{name} is not well-formed XML: {e}", self.file) from None

    def rels(self, part):
        """{id: (type, target part name)} for a part's relationships."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"), required=False)
        out = {}
        if root is None:
            return out
        for rel in _children(root, "Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            if target.startswith("/"):
                name = target[1:]
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out[rel.get("Id")] = (rel.get("Type", ""), name)
        return out


def _workbook_part(book):
    for rel_type, name in book.rels("").values():
        if rel_type.endswith("/officeDocument"):
            return name
    return "xl/workbook.xml"


def _text_of(elem):
    """A string item (<si> or <is>): its <t>, or its rich-text runs' <t>, without <rPh>."""
    if elem is None:
        return ""
    parts = []
    for c in elem:
        name = _local(c.tag)
        if name == "t":
            parts.append(c.text or "")
        elif name == "r":
            t = _child(c, "t")
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _column_index(ref):
    m = _REF.fullmatch(ref or "")
    if not m:
        return None
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_records(data, file, limits=None):
    """[(row number, [cell text])] of the first worksheet, header first, blank rows skipped,
    every row padded to the widest row. A workbook past `limits` (default `LIMITS`) raises
    `LimitError`."""
    book = _Book(data, file, limits)
    lim = book.limits
    wb_part = _workbook_part(book)
    wb = book.xml(wb_part)
    wb_rels = book.rels(wb_part)
    pr = _child(wb, "workbookPr")
    date1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    sheets = _child(wb, "sheets")
    first = _children(sheets, "sheet")[0] if sheets is not None and _children(sheets, "sheet") else None
    if first is None or _rel_id(first) not in wb_rels:
        raise InputError("the workbook has no worksheet", file)
    sheet_part = wb_rels[_rel_id(first)][1]

    shared, styles = [], None
    for rel_type, name in wb_rels.values():
        if rel_type.endswith("/sharedStrings"):
            root = book.xml(name)
            shared = [_text_of(si) for si in _children(root, "si")]
        elif rel_type.endswith("/styles"):
            styles = book.xml(name)
    date_styles = _date_styles(styles)

    sheet = book.xml(sheet_part)
    sheet_name = first.get("name", "")
    dimension = _child(sheet, "dimension")
    if dimension is not None:
        ends = [_REF.fullmatch(p) for p in (dimension.get("ref") or "").split(":")]
        last = ends[-1]
        if len(ends) == 2 and all(ends) and (int(ends[0].group(2)) > int(ends[1].group(2)) or
                                             _column_index(ends[0].group(0)) > _column_index(ends[1].group(0))):
            raise InputError(f"the worksheet's dimension {dimension.get('ref')} ends before it starts", file)
        if last:
            if int(last.group(2)) > lim["rows"]:
                raise LimitError("DimensionRows", sheet_name, int(last.group(2)), lim["rows"], file)
            if _column_index(last.group(0)) + 1 > lim["columns"]:
                raise LimitError("DimensionColumns", sheet_name, _column_index(last.group(0)) + 1,
                                 lim["columns"], file)
    sheet_data = _child(sheet, "sheetData")
    rows = []
    width = 0
    next_row = 1
    count = 0
    for row in (_children(sheet_data, "row") if sheet_data is not None else []):
        number = int(row.get("r")) if (row.get("r") or "").isdigit() else next_row
        next_row = number + 1
        cells = {}
        next_col = 0
        for c in _children(row, "c"):
            col = _column_index(c.get("r"))
            if col is None:
                col = next_col
            next_col = col + 1
            count += 1
            if count > lim["cells"]:
                raise LimitError("Cells", sheet_name, count, lim["cells"], file)
            at = _REF.fullmatch(c.get("r") or "")
            cell_row = int(at.group(2)) if at else number
            if max(number, cell_row) > lim["rows"]:
                raise LimitError("Rows", sheet_name, max(number, cell_row), lim["rows"], file)
            if col + 1 > lim["columns"]:
                raise LimitError("Columns", sheet_name, col + 1, lim["columns"], file)
            try:
                value = _cell_text(c, shared, date_styles, date1904)
            except InputError as e:
                raise InputError(f"cell {c.get('r') or col + 1}: {e.message}", file, number) from None
            cells[col] = value
        if cells:
            width = max(width, max(cells) + 1)
        rows.append((number, cells))
    records = []
    for number, cells in rows:
        fields = [cells.get(i, "") for i in range(width)]
        if all(trim(f) == "" for f in fields):
            continue  # a blank row: every cell empty after trim() (SPEC §3.5)
        if not records and number != 1:
            raise InputError("row 1 of the worksheet is empty: the first row must name the "
                             "columns (SPEC §3.5)", file, number)
        records.append((number, fields))
    return records


def _date_styles(styles):
    """The set of cellXfs indexes whose number format shows a date."""
    if styles is None:
        return set()
    custom = {}
    fmts = _child(styles, "numFmts")
    for f in (_children(fmts, "numFmt") if fmts is not None else []):
        try:
            custom[int(f.get("numFmtId"))] = f.get("formatCode", "")
        except (TypeError, ValueError):
            continue
    out = set()
    xfs = _child(styles, "cellXfs")
    for index, xf in enumerate(_children(xfs, "xf") if xfs is not None else []):
        try:
            fmt = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        if fmt in custom:
            if is_date_format(custom[fmt]):
                out.add(index)
        elif fmt in BUILTIN_DATE_FORMATS:
            out.add(index)
    return out


def _cell_text(c, shared, date_styles, date1904):
    kind = c.get("t", "n")
    v = _child(c, "v")
    raw = v.text if v is not None and v.text is not None else None
    if kind == "inlineStr":
        return _text_of(_child(c, "is"))
    if raw is None:
        return ""  # empty, or a formula without a cached value
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise InputError(f"shared string {raw!r} does not exist") from None
    if kind == "str":
        return raw
    if kind == "b":
        return "true" if raw.strip() in ("1", "true") else "false"
    if kind == "e":
        raise InputError(f"the cell holds the error {raw}")
    if kind == "d":
        m = re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw)
        if not m:
            raise InputError(f"{raw!r} is not an ISO 8601 date")
        return m.group(0)
    try:
        value = float(raw)
    except ValueError:
        raise InputError(f"{raw!r} is not a number") from None
    style = int(c.get("s", "0")) if (c.get("s") or "0").isdigit() else 0
    if style in date_styles:
        return serial_date(value, date1904).isoformat()
    return Number(number_text(value), value)
