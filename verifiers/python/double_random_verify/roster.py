"""Roster files (SPEC §3.3): CSV reading, encodings, header aliases, canonical rows."""

import os

from . import InputError
from . import codes, xlsx
from .normalize import code, code_list, text, text_list

# ---------------------------------------------------------------- CSV, byte level
#
# Fields are split on the raw bytes. That is safe for GB18030 too: none of its multi-byte
# sequences contains the bytes of ',', '"', CR or LF, so fields are found first and each
# field is decoded afterwards.

COMMA, QUOTE, CR, LF = 0x2C, 0x22, 0x0D, 0x0A
UTF8_BOM = b"\xef\xbb\xbf"


# ASCII white space as Rust's u8::is_ascii_whitespace: space, TAB, LF, FF, CR (not VT).
ASCII_WHITE = b" \t\n\x0c\r"


def _blank(fields):
    """SPEC §3.5: a record whose every field is empty or ASCII white space is blank."""
    return all(f.strip(ASCII_WHITE) == b"" for f in fields)


def split_records(data, file):
    """Records as (line number, [field bytes]), read as SPEC §3.5 says (the Rust `csv`
    crate's reading): a field that starts with a quote is quoted (`""` is one quote, and it
    may hold separators and line ends); text after its closing quote up to the next separator
    is appended; a quote anywhere else is an ordinary character; CRLF, LF and a lone CR each
    end a record; a quoted field still open at the end of the data ends there. Blank records
    are skipped."""
    records = []
    i, n, line = 0, len(data), 1
    while i < n:
        start_line = line
        fields = []
        while True:  # one field per iteration
            buf = bytearray()
            if i < n and data[i] == QUOTE:
                i += 1
                while i < n:
                    b = data[i]
                    if b == QUOTE:
                        if i + 1 < n and data[i + 1] == QUOTE:
                            buf.append(QUOTE)
                            i += 2
                            continue
                        i += 1
                        break
                    if b == LF:
                        line += 1
                    buf.append(b)
                    i += 1
            # unquoted text, or text after a closing quote: literal up to the separator
            start = i
            while i < n and data[i] not in (COMMA, CR, LF):
                i += 1
            buf += data[start:i]
            fields.append(bytes(buf))
            if i < n and data[i] == COMMA:
                i += 1
                continue
            break
        # end of record: CRLF, LF, lone CR, or end of data
        if i < n and data[i] == CR:
            i += 1
            if i < n and data[i] == LF:
                i += 1
        elif i < n and data[i] == LF:
            i += 1
        line += 1
        if _blank(fields):
            continue
        records.append((start_line, fields))
    return records


def decide_encoding(data, records):
    """SPEC §3.3: BOM → UTF-8; else the first field with a non-ASCII byte decides."""
    if data.startswith(UTF8_BOM):
        return "utf-8"
    for _, fields in records:
        for f in fields:
            if not f.isascii():
                try:
                    f.decode("utf-8")
                    return "utf-8"
                except UnicodeDecodeError:
                    return "gb18030"
    return "utf-8"


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(data, file):
    """(encoding, [(line, [str fields])]) with the header first."""
    if data.startswith(UTF16_BOMS):
        raise InputError("the file is UTF-16 (it starts with a UTF-16 byte order mark): save it "
                         "as UTF-8 or GB18030", file, 1)
    bom = data.startswith(UTF8_BOM)
    records = split_records(data[3:] if bom else data, file)
    encoding = decide_encoding(data, records)
    out = []
    for line, fields in records:
        decoded = []
        for col, f in enumerate(fields, 1):
            try:
                decoded.append(f.decode(encoding))
            except UnicodeDecodeError:
                raise InputError(f"column {col} is not valid {encoding.upper()}, the encoding "
                                 "decided by the first non-ASCII field", file, line) from None
            if "\ufeff" in decoded[-1]:
                raise InputError(f"column {col} holds a byte order mark (U+FEFF), which is "
                                 "allowed only at the very start of the file", file, line)
        out.append((line, decoded))
    return encoding, out


# ---------------------------------------------------------------- tables

def _header_key(s):
    """Header cells are matched after code()-style folding (ASCII case-insensitive)."""
    return code(s)


class Column:
    def __init__(self, name, aliases, required=False):
        self.name = name
        self.aliases = aliases
        self.required = required


def _columns(spec, required):
    return [Column(name, aliases, name in required) for name, aliases in spec]


ENTITY_ID_HEADERS = ["统一社会信用代码", "统一社会信用代码/注册号", "统一社会信用代码(注册号)",
                     "注册号/统一社会信用代码", "社会信用代码", "注册号"]
INSPECTOR_ID_HEADERS = ["执法证号", "执法证件号", "执法证编号", "执法证件号码", "执法证件编号", "证件号"]

TABLE_COLUMNS = {
    "entities": _columns([
        ("id", ENTITY_ID_HEADERS),
        ("name", ["名称", "企业名称", "主体名称", "企业(机构)名称", "市场主体名称", "单位名称"]),
        ("kind", ["type", "市场主体类型", "主体类型", "类型", "主体类别",
                  "市场主体类别"]),
        ("authority", ["登记机关", "登记机关名称"]),
        ("region", ["行政区划代码", "行政区划", "区划代码", "所在行政区划代码",
                    "住所所在行政区划代码"]),
        ("industry", ["行业代码", "国民经济行业代码", "所属行业代码",
                      "行业分类代码", "国民经济行业分类代码"]),
        ("status", ["登记状态", "经营状态", "企业状态", "主体状态", "企业登记状态"]),
        ("abnormal", ["经营异常名录", "列入经营异常名录", "是否列入经营异常名录"]),
        ("risk", ["信用风险分类", "风险分类", "风险等级", "信用风险分类结果", "信用风险等级"]),
        ("tags", ["标签"]),
    ], {"id", "name", "status"}),
    "inspectors": _columns([
        ("id", ["certificate", "执法证号", "执法证件号", "执法证编号", "执法证件号码", "执法证件编号",
                "证件号", "编号"]),
        ("name", ["姓名", "执法人员姓名", "人员姓名"]),
        ("department", ["所属部门", "部门", "所属机构", "单位", "所属单位", "工作单位"]),
        ("region", ["行政区划代码", "行政区划", "所在行政区划代码"]),
        ("qualifications", ["执法资质", "执法门类", "资质"]),
        ("specialties", ["业务专长", "专长"]),
        ("kind", ["人员类别", "类别", "人员类型"]),
        ("status", ["状态", "在岗状态"]),
    ], {"id", "name", "department"}),
    "items": _columns([
        ("id", ["事项编号"]),
        ("name", ["事项名称"]),
        ("basis", ["检查依据"]),
        ("subject", ["检查主体"]),
        ("content", ["检查内容"]),
        ("method", ["检查方式"]),
        ("category", ["事项类别"]),
        ("qualification", ["所需资质"]),
    ], {"id", "name", "category"}),
    "conflicts": _columns([
        ("inspector", INSPECTOR_ID_HEADERS),
        ("entity", ENTITY_ID_HEADERS),
        ("reason", ["回避事由", "事由"]),
    ], {"inspector", "entity"}),
    "history": _columns([
        ("entity", ENTITY_ID_HEADERS),
        ("date", ["检查日期"]),
        ("item", ["事项编号"]),
        ("inspectors", ["检查人员"]),
        ("kind", ["检查类型"]),
    ], {"entity", "date"}),
}


def _nonempty(value, what):
    if value == "":
        raise InputError(f"{what} is empty")
    return value


def _entity(f):
    # SPEC §3.3: an absent kind column gives null, an absent region column "" (every other
    # optional field's default is what its empty cell reads as).
    return {
        "abnormal": codes.vocab(codes.BOOLEAN, f["abnormal"], "yes/no value"),
        "authority": text(f["authority"]),
        "id": codes.entity_id(f["id"]),
        "industry": codes.industry(f["industry"]),
        "kind": (None if f["kind"] is None
                 else codes.vocab(codes.ENTITY_KIND, f["kind"], "entity kind")),
        "name": _nonempty(text(f["name"]), "name"),
        "region": "" if f["region"] is None else codes.region(f["region"]),
        "risk": codes.vocab(codes.RISK_CLASS, f["risk"], "risk class"),
        "status": codes.vocab(codes.ENTITY_STATUS, f["status"], "entity status"),
        "tags": text_list(f["tags"]),
    }


def _inspector(f):
    return {
        "department": _nonempty(text(f["department"]), "department"),
        "id": _nonempty(code(f["id"]), "inspector id"),
        "kind": codes.vocab(codes.INSPECTOR_KIND, f["kind"], "inspector kind"),
        "name": _nonempty(text(f["name"]), "name"),
        "qualifications": text_list(f["qualifications"]),
        "region": codes.optional_region(f["region"]),
        "specialties": text_list(f["specialties"]),
        "status": codes.vocab(codes.INSPECTOR_STATUS, f["status"], "inspector status"),
    }


def _item(f):
    return {
        "basis": text(f["basis"]),
        "category": codes.vocab(codes.ITEM_CATEGORY, f["category"], "item category"),
        "content": text(f["content"]),
        "id": _nonempty(code(f["id"]), "item id"),
        "method": text(f["method"]),
        "name": _nonempty(text(f["name"]), "item name"),
        "qualification": text(f["qualification"]),
        "subject": text(f["subject"]),
    }


def _conflict(f):
    return {
        "entity": codes.entity_id(f["entity"]),
        "inspector": code(f["inspector"]),  # may name nobody: it then matches nothing
        "reason": text(f["reason"]),
    }


def _history(f):
    return {
        "date": codes.date(f["date"]).isoformat(),
        "entity": codes.entity_id(f["entity"]),
        "inspectors": code_list(f["inspectors"]),
        "item": code(f["item"]),
        "kind": codes.vocab(codes.HISTORY_KIND, f["kind"], "history kind"),
    }


BUILDERS = {
    "entities": _entity,
    "inspectors": _inspector,
    "items": _item,
    "conflicts": _conflict,
    "history": _history,
}

# The error for a field is located at the column the builder was reading; the builders
# read fields in a fixed order, so a wrapper records the field being read.


class _Fields(dict):
    def __init__(self, values):
        super().__init__(values)
        self.current = None

    def __getitem__(self, name):
        """A field's cell; "" when its column is absent, except for the fields whose absent
        column has a default of its own (entity kind and region: None)."""
        self.current = name
        value = super().__getitem__(name)
        if value is None and name not in self.absent_as_none:
            return ""
        return value

    absent_as_none = frozenset()


def _unique_key(kind, row):
    if kind in ("entities", "inspectors", "items"):
        return ("id", row["id"])
    if kind == "conflicts":
        return ("inspector+entity", (row["inspector"], row["entity"]))
    return None


class Table:
    """A parsed roster: canonical rows with the line each came from."""

    def __init__(self, kind, file, encoding, rows, lines, ignored=(), absent=()):
        self.kind = kind
        self.file = file
        self.encoding = encoding
        self.rows = rows
        self.lines = lines
        self.ignored = list(ignored)  # header texts of the columns that name no field
        self.absent = list(absent)    # canonical names of the fields no column holds


# Columns holding ids or codes: a spreadsheet number of 10^15 or more there has lost digits
# (SPEC §3.5).
CODE_COLUMNS = {
    "entities": {"id", "region", "industry"},
    "inspectors": {"id", "region"},
    "items": {"id"},
    "conflicts": {"inspector", "entity"},
    "history": {"entity", "item", "inspectors"},
}

# SPEC §3.3: entity fields whose absent column has a default of its own (kind null, region "").
ENTITY_ABSENT_AS_NONE = frozenset({"kind", "region"})

# SPEC §3.5: these tables need at least one row; conflicts and history may be header-only.
NEED_ROWS = {"entities", "inspectors", "items"}


def parse_table(kind, data, file):
    """A CSV roster (bytes) → Table."""
    encoding, records = read_csv(data, file)
    return parse_records(kind, records, file, encoding)


def parse_records(kind, records, file, encoding):
    """Records [(line, [str cells])], header first (from CSV or a worksheet) → Table."""
    columns = TABLE_COLUMNS[kind]
    if not records:
        raise InputError("the file is empty: the first row must be the header", file)
    header_line, header = records[0]
    by_key = {}
    for col in columns:
        for alias in [col.name, *col.aliases]:
            by_key[_header_key(alias)] = col.name
    positions = {}
    ignored = []  # SPEC §3.3: a header naming no field is an ignored column; never read
    for pos, cell in enumerate(header):
        if _header_key(cell) == "":
            continue  # an empty header cell: ignored too, whatever the column holds
        name = by_key.get(_header_key(cell))
        if name is None:
            ignored.append(text(str(cell)))
            continue
        if name in positions:
            raise InputError(f"column {cell!r} repeats column '{name}'", file, header_line)
        positions[name] = pos
    for col in columns:
        if col.required and col.name not in positions:
            raise InputError(f"required column '{col.name}' is missing", file, header_line)

    build = BUILDERS[kind]
    rows, lines, seen = [], [], {}
    for line, cells in records[1:]:
        if len(cells) != len(header):
            raise InputError(f"{len(cells)} fields where the header has {len(header)}", file, line)
        for name in CODE_COLUMNS[kind]:
            cell = cells[positions[name]] if name in positions else ""
            if isinstance(cell, xlsx.Number) and abs(cell.value) >= 1e15:
                raise InputError(f"the number {cell} has 16 or more digits, more than a spreadsheet "
                                 "keeps exactly: format the column as Text and type the code "
                                 "again", file, line, name)
        fields = _Fields({c.name: (cells[positions[c.name]] if c.name in positions else None)
                          for c in columns})
        if kind == "entities":
            fields.absent_as_none = ENTITY_ABSENT_AS_NONE
        try:
            row = build(fields)
        except InputError as e:
            raise e.located(file, line, fields.current) from None
        key = _unique_key(kind, row)
        if key is not None:
            if key[1] in seen:
                raise InputError(f"duplicate {key[0]} {key[1]!r}, first on line {seen[key[1]]}",
                                 file, line, key[0])
            seen[key[1]] = line
        rows.append(row)
        lines.append(line)
    if not rows and kind in NEED_ROWS:
        raise InputError(f"no rows: the {kind} table needs at least one row below the header",
                         file, header_line)
    absent = [c.name for c in columns if c.name not in positions]
    return Table(kind, file, encoding, rows, lines, ignored, absent)


def parse_xlsx_table(kind, data, file):
    """An .xlsx roster (bytes) → Table: its first worksheet, row 1 the header."""
    return parse_records(kind, xlsx.read_records(data, file), file, "xlsx")


def read_table(kind, path):
    """A roster file: `.xlsx` read as a workbook, anything else as CSV."""
    file = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file) from None
    if file.lower().endswith(".xlsx"):
        return parse_xlsx_table(kind, data, file)
    return parse_table(kind, data, file)


XLSX_TABLES = ("entities", "inspectors")


def find_input(directory, kind):
    """The file name of a roster in a folder: `<kind>.csv`, or for entities and inspectors
    also `<kind>.xlsx` (SPEC §3.3); None when none is there. Both at once is an error: which
    one was announced cannot be guessed."""
    exts = (".csv", ".xlsx") if kind in XLSX_TABLES else (".csv",)
    present = [kind + ext for ext in exts
               if os.path.isfile(os.path.join(directory, kind + ext))]
    if len(present) > 1:
        raise InputError(f"both {present[0]} and {present[1]} are given: keep the one announced",
                         present[0])
    return present[0] if present else None
