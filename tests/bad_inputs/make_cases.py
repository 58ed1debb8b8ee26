#!/usr/bin/env python3
"""Writes the plain-text cases of the bad-input catalogue (rosters, plans, draws).

The signed cases (signatures, verification, logs) are written by
`DR_WRITE_BAD_INPUTS=1 cargo test --test all bad_inputs::`. Each case is a directory holding its
files and `expect.toml`; `tests/all/bad_inputs.rs` runs them all.
"""
import os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))
BOM = "\ufeff"
ENT_H = "统一社会信用代码,名称,市场主体类型,登记机关,行政区划代码,行业代码,登记状态,经营异常名录,信用风险分类,标签"
ENT = [
    "93520103URQ283FQEL,娄山0汽车租赁有限公司,农民专业合作社,贵阳市市场监督管理局,520103,C3011,存续,否,,小微企业",
    "92520123DKQQ0NE8P5,花溪1医药有限公司,个体工商户,贵阳市市场监督管理局,520123,C1391,存续,否,,",
    "93520102H0YWCM6DPP,黔味源2医药有限公司,农民专业合作社,贵阳市市场监督管理局,520102,F5211,存续,否,,小微企业;电商",
]
INS_H = "执法证号,姓名,所属部门,行政区划代码,执法资质,业务专长,人员类别,状态"
INS = [f"5201000000100{i},检查员{i},市场监督管理局,520102,,,执法人员,在岗" for i in range(8)]
PLAN = """plan_id = "V-1"
plan_name = "测试"
task_id = "T-1"
task_name = "坏输入"
batch = "1"
authority = "贵阳市市场监督管理局"
draw_date = 2026-03-01
items = ["SC-001"]
[filters]
statuses = ["存续"]
[strata]
by = "none"
ratio = "10%"
[team]
officers = 2
"""

cases = []


def case(name, files, **expect):
    cases.append((name, files, expect))


def ents(*rows, header=ENT_H):
    return BOM + header + "\n" + "".join(r + "\n" for r in rows)


def roster(name, text, table, error, line, field=None, contains=(), file=None):
    file = file or f"{table}.csv"
    case(name, {file: text}, input="roster", table=table, file=file, error=error,
         line=line, field=field, contains=list(contains))


def plan(name, text, error, line, field, contains=()):
    case(name, {"plan.toml": text}, input="plan", file="plan.toml", error=error,
         line=line, field=field, contains=list(contains))


# --- rosters -------------------------------------------------------------------------------
roster("unclosed-quote", ents(ENT[0], '92520123DKQQ0NE8P5,"花溪1医药有限公司,个体工商户,贵阳市市场监督管理局,520123,C1391,存续,否,,'),
       "entities", "FieldCount", 3)
# A quoted name spanning lines 3-4; the short row after it is on physical line 5.
roster("quoted-multiline-then-short-row", ents(ENT[0], '92520123DKQQ0NE8P5,"花溪1医药\n有限公司",个体工商户,贵阳市市场监督管理局,520123,C1391,存续,否,,',
       "93520102H0YWCM6DPP,黔味源2医药有限公司,农民专业合作社"), "entities", "FieldCount", 5)
roster("too-few-columns", ents(ENT[0], "92520123DKQQ0NE8P5,花溪1医药有限公司,个体工商户"),
       "entities", "FieldCount", 3)
roster("too-many-columns", ents(ENT[0], ENT[1] + ",多余"), "entities", "FieldCount", 3)
# Region is optional (SPEC §3.3); status is required.
roster("missing-required-header", ents("93520103URQ283FQEL,娄山0,农民专业合作社,贵阳,C3011,否,,",
       header="统一社会信用代码,名称,市场主体类型,登记机关,行业代码,经营异常名录,信用风险分类,标签"),
       "entities", "MissingColumn", 1, contains=["status"])
# An unknown header is an ignored column; two aliases of one field (full-width parentheses fold
# to ASCII) are a column given twice.
roster("alias-repeats-a-column", ents(ENT[0] + ",x", header=ENT_H + ",统一社会信用代码（注册号）"),
       "entities", "DuplicateColumn", 1, contains=["id"])
roster("duplicate-header", ents(ENT[0] + ",娄山", header=ENT_H + ",企业名称"), "entities", "DuplicateColumn", 1,
       contains=["name"])
roster("duplicate-entity-id", ents(ENT[0], ENT[1], ENT[0]), "entities", "DuplicateId", 4, "id",
       contains=["93520103URQ283FQEL", "line 2"])
roster("duplicate-inspector-id", BOM + INS_H + "\n" + INS[0] + "\n" + INS[1] + "\n" + INS[0] + "\n",
       "inspectors", "DuplicateId", 4, "id")
roster("uscc-bad-check-char", ents(ENT[0], "92520123DKQQ0NE8P6" + ENT[1][18:]), "entities", "Code/BadCheck", 3, "id")
roster("uscc-too-short", ents(ENT[0], "92520123DKQQ0NE8P" + ENT[1][18:]), "entities", "Code/BadLength", 3, "id")
roster("uscc-bad-character", ents(ENT[0], "92520123DKQQ0NEIP5" + ENT[1][18:]), "entities", "Code/BadCharacter", 3, "id")
roster("uscc-scientific-notation", ents(ENT[0], "9.25201E+17" + ENT[1][18:]), "entities", "Code/ScientificNotation", 3, "id")
roster("legacy-number-bad-check", ents("110000000000001" + ENT[1][18:]), "entities", "Code/BadCheck", 2, "id")
roster("empty-required-field", ents(ENT[0], "92520123DKQQ0NE8P5,,个体工商户,贵阳市市场监督管理局,520123,C1391,存续,否,,"),
       "entities", "Empty", 3, "name")
roster("unknown-status", ents(ENT[0].replace("存续", "营业中")), "entities", "UnknownValue", 2, "status")
roster("bad-region", ents(ENT[0].replace(",520103,", ",52010,")), "entities", "Code/RegionDigitMissing", 2, "region")
roster("industry-contradicts-section", ents(ENT[0].replace("C3011", "A3011")), "entities", "Code/IndustrySectionMismatch", 2, "industry")
roster("bad-abnormal-flag", ents(ENT[0].replace(",否,", ",也许,")), "entities", "BadBool", 2, "abnormal")
roster("stray-bom-in-second-row", ents(ENT[0], BOM + ENT[1]), "entities", "MisplacedBom", 3)
case("mixed-encodings", {"entities.csv": (ents(ENT[0]).encode("utf-8") + ENT[1].encode("gbk") + b"\n")},
     input="roster", table="entities", file="entities.csv", error="MixedEncoding", line=3, field=None, contains=[])
case("invalid-utf8", {"entities.csv": BOM.encode() + ENT_H.encode() + b"\n" + ENT[0].encode().replace("娄山".encode(), b"\xff\xfe\xfd") + b"\n"},
     input="roster", table="entities", file="entities.csv", error="InvalidEncoding", line=2, field=None, contains=[])
roster("empty-file", "", "entities", "EmptyFile", 0)
roster("header-only", ents(), "entities", "NoRows", 1)
# Enormous files are not stored: the runner replaces the marker @@ by `repeat` copies of `with`.
case("enormous-field", {"entities.csv": ents(ENT[0], "92520123DKQQ0NE8P5,@@,个体工商户,贵阳市市场监督管理局,520123,C1391,存续,否,,")},
     input="roster", table="entities", file="entities.csv", error="FieldTooLong", line=3, field=None,
     contains=[], expand_with="名", expand_times=30000)
case("enormous-row", {"entities.csv": ents(ENT[0], ENT[1][:-1] + "@@", ENT[2])},
     input="roster", table="entities", file="entities.csv", error="RowTooLong", line=3, field=None,
     contains=[], expand_with="标签;", expand_times=150000)
roster("bad-history-date", BOM + "统一社会信用代码,检查日期,事项编号,检查人员,检查类型\n93520103URQ283FQEL,2026-02-30,SC-001,52010000001000,双随机\n",
       "history", "BadDate", 2, "date")
roster("duplicate-conflict", BOM + "执法证号,统一社会信用代码,回避事由\n52010000001001,93520103URQ283FQEL,亲属\n52010000001001,93520103URQ283FQEL,同学\n",
       "conflicts", "DuplicateConflict", 3)
roster("item-unknown-category", BOM + "事项编号,事项名称,事项类别\nSC-001,企业公示信息检查,特别\n", "items", "UnknownValue", 2, "category")

# --- hostile workbooks: one case per bound of an .xlsx workbook (SPEC §3.5 "xlsx limits") -----
# Numbered after the signed cases (41-58), so that the numbers of the others stay.
xlsx_cases = []
NS = "http://schemas.openxmlformats.org"


def xlsx(sheet_rows, dimension="", shared=None, declare=None):
    """A one-sheet workbook, its parts deflated; `declare` = {part: size} overwrites the
    uncompressed size its local header and the zip directory declare."""
    import io, zipfile
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">'
             f'{dimension}<sheetData>{sheet_rows}</sheetData></worksheet>')
    rels = f'<Relationships xmlns="{NS}/package/2006/relationships">'
    shared_rel = (f'<Relationship Id="rId2" Type="{NS}/officeDocument/2006/relationships/sharedStrings" '
                  'Target="sharedStrings.xml"/>' if shared is not None else "")
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{NS}/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{NS}/spreadsheetml/2006/main" xmlns:r="{NS}/officeDocument/2006/relationships"><sheets><sheet name="名录" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels + f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' + shared_rel + '</Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{NS}/spreadsheetml/2006/main">{shared}</sst>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, (2026, 3, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, body.encode("utf-8"), compresslevel=9)
    data = bytearray(buf.getvalue())
    for name, size in (declare or {}).items():
        patched = 0
        for sig, off, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            at = data.find(sig)
            while at >= 0:
                if data[at + name_at:at + name_at + len(name)] == name.encode():
                    data[at + off:at + off + 4] = size.to_bytes(4, "little")
                    patched += 1
                at = data.find(sig, at + 1)
        assert patched == 2, name
    return bytes(data)


def workbook_limit(name, data, contains):
    xlsx_cases.append((name, {"entities.xlsx": data}, dict(
        input="roster", table="entities", file="entities.xlsx", error="WorkbookLimit", line=0,
        field=None, contains=list(contains))))


HEAD = '<row r="1"><c r="A1" t="inlineStr"><is><t>统一社会信用代码</t></is></c></row>'
workbook_limit("xlsx-huge-declared-dimension",
               xlsx(HEAD + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                    dimension='<dimension ref="A1:XFD1048576"/>'),
               ["dimension", "column 16384", "limit of 256 columns"])
SHEET_ROWS = HEAD + "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, 60))
SHEET_LEN = len((f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">'
                 f'<sheetData>{SHEET_ROWS}</sheetData></worksheet>').encode())
workbook_limit("xlsx-part-inflates-past-its-declared-size",
               xlsx(SHEET_ROWS, declare={"xl/worksheets/sheet1.xml": SHEET_LEN - 100}),
               ["xl/worksheets/sheet1.xml", f"more than the {SHEET_LEN - 100} bytes its zip directory declares"])
workbook_limit("xlsx-part-declared-too-large",
               xlsx(SHEET_ROWS, declare={"xl/worksheets/sheet1.xml": 3 << 30}),
               ["xl/worksheets/sheet1.xml", "declares 3221225472 bytes", "limit of 2147483648"])
workbook_limit("xlsx-giant-cell",
               xlsx(HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "名" * 400_000 + "</t></is></c></row>"),
               ["xl/worksheets/sheet1.xml", "a cell of at least", "limit of 1048576"])
workbook_limit("xlsx-too-many-rows", xlsx(HEAD + '<row r="1048577"><c r="A1048577"><v>1</v></c></row>'),
               ["row 1048577", "limit of 1048576 rows"])
workbook_limit("xlsx-too-many-columns", xlsx('<row r="1"><c r="IW1"><v>1</v></c></row>'),
               ["column 257", "limit of 256 columns"])
workbook_limit("xlsx-too-many-shared-strings",
               xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared="<si/>" * ((1 << 22) + 1)),
               ["xl/sharedStrings.xml", "4194305 shared strings", "limit of 4194304"])
workbook_limit("xlsx-shared-strings-too-large",
               xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                    shared=("<si><t>" + "x" * 1_040_000 + "</t></si>") * 260),
               ["xl/sharedStrings.xml", "shared strings of part", "limit of 268435456"])

# --- plans -----------------------------------------------------------------------------------
plan("ratio-below-zero", PLAN.replace('ratio = "10%"', 'ratio = "-5%"'), "BadRatio", 13, "strata.ratio")
plan("ratio-above-hundred", PLAN.replace('ratio = "10%"', 'ratio = "120%"'), "BadRatio", 13, "strata.ratio")
plan("officers-below-two", PLAN.replace("officers = 2", "officers = 1"), "TooFewOfficers", 15, "team.officers")
plan("unknown-key", PLAN.replace("[team]", "[team]\nofficer = 3"), "UnknownKey", 15, "team.officer")
plan("min-above-max", PLAN.replace('ratio = "10%"', 'ratio = "10%"\nmin = 5\nmax = 2'), "MinAboveMax", 14, "strata")
plan("not-toml", PLAN.replace("[team]", "[team"), "Syntax", 14, "")
plan("bad-draw-date", PLAN.replace("2026-03-01", '"2026-02-30"'), "BadDate", 7, "draw_date")

# --- draws ----------------------------------------------------------------------------------
def draw(name, files, error, contains):
    case(name, files, input="draw", error=error, contains=list(contains))

draw("plan-item-not-on-item-list", {"plan.toml": PLAN.replace('items = ["SC-001"]', 'items = ["SC-001", "SC-999"]')},
     "UnknownItem", ["SC-999"])
draw("no-eligible-inspector", {"inspectors.csv": BOM + INS_H + "\n" + "".join(r.replace("在岗", "休假") + "\n" for r in INS)},
     "EmptyPool", ["officers"])
draw("conflicts-leave-one-inspector", {
    "entities.csv": ents(ENT[0]),
    "conflicts.csv": BOM + "执法证号,统一社会信用代码,回避事由\n" + "".join(f"5201000000100{i},93520103URQ283FQEL,亲属\n" for i in range(7)),
}, "NotEnoughEligible", ["93520103URQ283FQEL", "officers"])
draw("risk-class-without-quota", {
    "entities.csv": ents(ENT[0].replace(",,小微企业", ",A,小微企业")),
    "plan.toml": PLAN.replace('by = "none"\nratio = "10%"', 'by = "risk"\n[strata.B]\nratio = "10%"'),
}, "NoStratum", ["93520103URQ283FQEL"])

for name, files, expect in cases:
    pass

# Write: numbered directories, in the order above.
for d in os.listdir(HERE):
    p = os.path.join(HERE, d)
    if os.path.isdir(p) and d[:2].isdigit() and not os.path.exists(os.path.join(p, ".generated")):
        shutil.rmtree(p)
for n, (name, files, expect) in [*enumerate(cases, 1), *enumerate(xlsx_cases, 59)]:
    d = os.path.join(HERE, f"{n:02d}-{name}")
    os.makedirs(d)
    for f, content in files.items():
        with open(os.path.join(d, f), "wb") as fh:
            fh.write(content if isinstance(content, bytes) else content.encode("utf-8"))
    lines = []
    for k, v in expect.items():
        if v is None:
            continue
        if isinstance(v, list):
            if v:
                lines.append(f"{k} = [" + ", ".join('"%s"' % x for x in v) + "]")
        elif isinstance(v, int):
            lines.append(f"{k} = {v}")
        else:
            lines.append(f'{k} = "{v}"')
    with open(os.path.join(d, "expect.toml"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
print(len(cases) + len(xlsx_cases), "cases")
