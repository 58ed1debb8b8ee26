"""Writes the messy exports of the sample entity roster in this folder (run from the repository
root: python3 tests/data/messy/make.py). Deterministic: the same bytes every time.

Each file holds the first ROWS rows of examples/data/entities.csv as an office's export might:
extra columns, alias headers, columns reordered or left out, GB18030, BOM, CRLF, blank lines,
full-width headers, spaces. KEPT.txt says which canonical fields each file holds; the tests
compare its digest with that of the sample rows restricted to those fields.
"""

import csv
import io
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ROWS = 200
FIELDS = ["id", "name", "kind", "authority", "region", "industry", "status", "abnormal", "risk", "tags"]

with open(os.path.join(ROOT, "examples", "data", "entities.csv"), encoding="utf-8-sig", newline="") as f:
    sample = list(csv.reader(f))[1:ROWS + 1]
rows = [dict(zip(FIELDS, r)) for r in sample]


def extra(i):
    """Columns every real export carries and the draw never reads."""
    return {
        "法定代表人": ["张", "王", "李", "赵", "陈"][i % 5] + ["伟", "芳", "军", "敏"][i % 4],
        "住所": f"贵州省贵阳市某路{i + 1}号",
        "注册资本（万元）": str(10 * (i % 50 + 1)),
        "成立日期": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
        "联系电话": f"0851-8{i:06d}",
        "序号": str(i + 1),
        # The register's detailed type, which is not the draw's kind vocabulary: left unread.
        "企业类型": ["有限责任公司（自然人投资或控股）", "个人独资企业", "股份有限公司（非上市）"][i % 3],
        "备注": "" if i % 3 else "重点监管",
    }


def write(name, header, cells, encoding="utf-8", bom=False, crlf=True, before="", quote_all=False):
    """header: the header cells; cells(i, row) -> the cells of row i."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n" if crlf else "\n",
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    for i, r in enumerate(rows):
        w.writerow(cells(i, r))
    data = (before + out.getvalue()).encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


kept = {}
ignored = {}


def case(name, columns, **kw):
    """columns: [(header, field or None for an extra column)]."""
    fields = [f for _, f in columns if f in FIELDS]
    kept[name] = sorted(fields, key=FIELDS.index)
    ignored[name] = [h for h, f in columns if f not in FIELDS and h.strip()]
    header = [h for h, _ in columns]

    def cells(i, r):
        ex = extra(i)
        return [r[f] if f in FIELDS else ex.get(f, "") for _, f in columns]
    write(name, header, cells, **kw)


ALL_ZH = [("统一社会信用代码", "id"), ("名称", "name"), ("市场主体类型", "kind"), ("登记机关", "authority"),
          ("行政区划代码", "region"), ("行业代码", "industry"), ("登记状态", "status"),
          ("经营异常名录", "abnormal"), ("信用风险分类", "risk"), ("标签", "tags")]
NEEDED = [("统一社会信用代码", "id"), ("企业名称", "name"), ("行政区划代码", "region"),
          ("登记状态", "status"), ("信用风险分类", "risk")]

# 01: the full sample columns plus the extra columns an export carries, at the end.
case("01-extra-columns.csv", ALL_ZH + [("法定代表人", "法定代表人"), ("住所", "住所"),
                                       ("注册资本（万元）", "注册资本（万元）"), ("成立日期", "成立日期")],
     bom=True)
# 02: extra columns first and between, as 国家企业信用信息公示系统 exports lay them out.
case("02-extra-columns-between.csv",
     [("序号", "序号"), ("企业（机构）名称", "name"), ("统一社会信用代码（注册号）", "id"),
      ("法定代表人", "法定代表人"), ("市场主体类型", "kind"), ("企业类型", "企业类型"),
      ("成立日期", "成立日期"), ("登记机关名称", "authority"), ("住所所在行政区划代码", "region"), ("住所", "住所"),
      ("行业代码", "industry"), ("登记状态", "status"), ("经营异常名录", "abnormal"),
      ("信用风险分类", "risk"), ("标签", "tags")], bom=True)
# 03: only the columns the sample plan needs (kind, authority, industry, abnormal, tags absent).
case("03-needed-columns-only.csv", NEEDED, bom=True)
# 04: needed columns, reordered, with extras, GB18030 (Excel's "CSV" on a Chinese system).
case("04-gb18030-reordered.csv",
     [("信用风险分类", "risk"), ("住所", "住所"), ("登记状态", "status"), ("市场主体名称", "name"),
      ("联系电话", "联系电话"), ("所在行政区划代码", "region"), ("统一社会信用代码", "id")],
     encoding="gb18030")
# 05: ASCII-parenthesised aliases, LF line ends, no BOM.
case("05-ascii-aliases-lf.csv",
     [("统一社会信用代码(注册号)", "id"), ("企业(机构)名称", "name"), ("主体类别", "kind"),
      ("所在行政区划代码", "region"), ("所属行业代码", "industry"), ("企业状态", "status"),
      ("信用风险等级", "risk"), ("法定代表人", "法定代表人")], crlf=False)
# 06: full-width headers (typed in full-width mode), with ideographic spaces around them.
case("06-full-width-headers.csv",
     [("\u3000统一社会信用代码\u3000", "id"), ("名称", "name"), ("ＴＹＰＥ", "kind"),
      ("行政区划代码", "region"), ("登记状态", "status"), ("信用风险分类", "risk"),
      ("ＴＡＧＳ", "tags"), ("注册资本（万元）", "注册资本（万元）")], bom=True)
# 07: English headers in mixed case, extra English columns.
case("07-english-headers.csv",
     [("ID", "id"), ("Name", "name"), ("Region", "region"), ("Status", "status"), ("Risk", "risk"),
      ("Legal Representative", "法定代表人"), ("Address", "住所")], crlf=False)
# 08: blank lines (and a line of empty cells) before the header, as some exports begin.
case("08-blank-lines-before-header.csv", NEEDED + [("住所", "住所")], bom=True,
     before="\r\n,,,,,\r\n\r\n")
# 09: every cell quoted, as some database exports write them.
case("09-all-quoted.csv", ALL_ZH + [("住所", "住所")], quote_all=True)
# 10: an empty header cell over a column of values, and a trailing empty column.
case("10-unnamed-columns.csv",
     [("统一社会信用代码", "id"), ("", "成立日期"), ("名称", "name"), ("行政区划代码", "region"),
      ("登记状态", "status"), ("信用风险分类", "risk"), ("", None)], bom=True)
# 11: GB18030 with every sample column under other aliases, and extras.
case("11-gb18030-aliases.csv",
     [("社会信用代码", "id"), ("单位名称", "name"), ("市场主体类别", "kind"), ("登记机关", "authority"),
      ("区划代码", "region"), ("国民经济行业代码", "industry"), ("经营状态", "status"),
      ("是否列入经营异常名录", "abnormal"), ("风险分类", "risk"), ("标签", "tags"),
      ("法定代表人", "法定代表人"), ("成立日期", "成立日期")], encoding="gb18030")
# 12: header and extra columns only at the end; no tags, no abnormal.
case("12-no-tags-no-abnormal.csv",
     [("统一社会信用代码", "id"), ("名称", "name"), ("市场主体类型", "kind"), ("登记机关", "authority"),
      ("行政区划代码", "region"), ("行业代码", "industry"), ("登记状态", "status"),
      ("信用风险分类", "risk"), ("联系电话", "联系电话")], bom=True)
# 13: the 主体 aliases.
case("13-subject-aliases.csv",
     [("主体名称", "name"), ("统一社会信用代码/注册号", "id"), ("主体类型", "kind"),
      ("行政区划", "region"), ("主体状态", "status"), ("信用风险分类结果", "risk"),
      ("住所", "住所")], bom=True)
# 14: a long export: every extra column and the needed ones, LF, UTF-8 without BOM.
case("14-wide-export.csv",
     [("序号", "序号"), ("统一社会信用代码", "id"), ("名称", "name"), ("法定代表人", "法定代表人"),
      ("注册资本（万元）", "注册资本（万元）"), ("成立日期", "成立日期"), ("住所", "住所"),
      ("联系电话", "联系电话"), ("行政区划代码", "region"), ("登记状态", "status"),
      ("信用风险分类", "risk"), ("备注", "备注")], crlf=False)
# 15: the 登记机关/行业 aliases, reordered, CRLF, BOM.
case("15-authority-industry-aliases.csv",
     [("国民经济行业分类代码", "industry"), ("登记机关名称", "authority"), ("统一社会信用代码", "id"),
      ("名称", "name"), ("住所所在行政区划代码", "region"), ("企业登记状态", "status"),
      ("风险等级", "risk")], bom=True)
# 16: GB18030, blank lines before the header, LF.
case("16-gb18030-blank-lines.csv", NEEDED + [("法定代表人", "法定代表人")], encoding="gb18030",
     crlf=False, before="\n\n")

with open(os.path.join(HERE, "KEPT.txt"), "w", encoding="utf-8", newline="\n") as f:
    f.write("# file: the canonical fields it holds | the headers of its ignored columns (make.py)\n")
    for name in sorted(kept):
        f.write(f"{name}: {','.join(kept[name])} | {','.join(ignored[name])}\n")
print(f"{len(kept)} files", file=sys.stderr)
