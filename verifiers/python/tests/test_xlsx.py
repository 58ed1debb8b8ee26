import datetime
import os
import re
import shutil
import tempfile
import unittest

import fixtures  # noqa: F401
import xlsx_writer
from xlsx_writer import workbook
from double_random_verify import InputError, jcs
from double_random_verify.digest import table_digest
from double_random_verify.roster import parse_table, parse_xlsx_table, read_csv
from double_random_verify.vector import recompute
from double_random_verify.xlsx import (LIMITS, LimitError, is_date_format, number_text, read_records,
                                       serial_date)

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.environ.get("DR_VECTORS") or os.path.join(HERE, "..", "..", "..", "tests", "vectors")

ENT_HEADER = ["统一社会信用代码", "名称", "类型", "行政区划代码", "登记状态", "风险等级", "标签",
              "经营异常名录"]
ENT_CSV = ("统一社会信用代码,名称,类型,行政区划代码,登记状态,风险等级,标签,经营异常名录\n"
           "91350100M000100Y43,甲公司,企业,350102,存续,A,食品;餐饮,true\n"
           "110108000000016,乙 \"商行\",个体,350103,在营,,,否\n")


def cells(data):
    return [fields for _, fields in read_records(data, "t.xlsx")]


class CellText(unittest.TestCase):
    def test_numbers(self):
        cases = {350102.0: "350102", -3.0: "-3", 0.0: "0", -0.0: "0", 0.1 + 0.2: "0.30000000000000004",
                 2.5: "2.5", 1e16: "10000000000000000", 2.0 ** 53: "9007199254740992",
                 2.0 ** 53 - 1: "9007199254740991", 1.5e-7: "0.00000015", 1e300: "1" + "0" * 300,
                 123456.789: "123456.789"}
        for value, text in cases.items():
            with self.subTest(value=value):
                self.assertEqual(number_text(value), text)
                self.assertEqual(float(text), value)

    def test_date_formats(self):
        for code in ('yyyy"年"m"月"d"日"', "yyyy/m/d", "[$-804]yyyy/m/d;@", "d-mmm-yy", "mmm-yy",
                     "yyyy-mm-dd hh:mm", "[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\""):
            self.assertTrue(is_date_format(code), code)
        for code in ("General", "0.00", "@", "0", '"day"0', "h:mm:ss", "[h]:mm", "mm:ss", "0.00E+00",
                     "#,##0;[Red]-#,##0"):
            self.assertFalse(is_date_format(code), code)

    def test_serial_dates(self):
        self.assertEqual(serial_date(45000, False), datetime.date(2023, 3, 15))
        self.assertEqual(serial_date(45000.75, False), datetime.date(2023, 3, 15))
        self.assertEqual(serial_date(61, False), datetime.date(1900, 3, 1))
        self.assertEqual(serial_date(59, False), datetime.date(1900, 2, 28))
        self.assertEqual(serial_date(1, False), datetime.date(1900, 1, 1))
        self.assertEqual(serial_date(43538, True), datetime.date(2023, 3, 15))
        for bad in (60, -1):
            with self.assertRaises(InputError):
                serial_date(bad, False)

    def test_cell_kinds(self):
        data = workbook([
            ["a", ("inline", " b "), ("num", 350102.0), ("num", 2.5, 3), ("bool", True), ("bool", False),
             ("formula", "f"), ("formula", 12.0), ("date", 45000), ("date", 45000, 2), ("date", 45000, 5),
             ("num", 45000.0, 6), ("isodate", "2026-03-01T00:00:00"), ("empty", None), "", "中文"],
        ])
        self.assertEqual(cells(data), [["a", " b ", "350102", "2.5", "true", "false", "f", "12",
                                        "2023-03-15", "2023-03-15", "2023-03-15", "45000",
                                        "2026-03-01", "", "", "中文"]])
        self.assertEqual(cells(workbook([[("date", 43538)]], date1904=True)), [["2023-03-15"]])

    def test_rich_text_and_phonetic_runs(self):
        rich = {"X": "<si><r><rPr><b/></rPr><t>甲</t></r><r><t xml:space=\"preserve\">公 司</t></r>"
                     "<rPh sb=\"0\" eb=\"1\"><t>jia</t></rPh></si>"}
        self.assertEqual(cells(workbook([["X"]], rich=rich)), [["甲公 司"]])

    def test_error_cell(self):
        with self.assertRaises(InputError) as e:
            read_records(workbook([["a", "b"], ["c", ("error", "#N/A")]]), "t.xlsx")
        self.assertIn("line 2", str(e.exception))
        self.assertIn("B2", str(e.exception))
        self.assertIn("#N/A", str(e.exception))

    def test_sparse_rows_blank_rows_and_the_first_sheet(self):
        data = workbook([["h1", "h2", "h3"], None, ["x", None, "z"], [" ", ("inline", "\t")],
                         [None, None, ("num", 1.0)]], other_sheet=[["not", "this"]])
        self.assertEqual(read_records(data, "t.xlsx"),
                         [(1, ["h1", "h2", "h3"]), (3, ["x", "", "z"]), (5, ["", "", "1"])])

    def test_blank_rows_are_empty_after_trim_and_the_header_is_in_row_1(self):
        """SPEC §3.5: an xlsx row is blank when every cell is empty after trim() (TRIM set);
        the first row that is not blank must be row 1."""
        data = workbook([["h1", "h2", "h3"], ["\u3000", "\u00a0", "\ufeff"], ["x", "y", "z"]])
        self.assertEqual(read_records(data, "t.xlsx"), [(1, ["h1", "h2", "h3"]), (3, ["x", "y", "z"])])
        for rows in ([None, ["h1", "h2"]], [["\u3000", " "], ["h1", "h2"]]):
            with self.assertRaises(InputError) as e:
                read_records(workbook(rows), "t.xlsx")
            self.assertEqual(e.exception.line, 2)

    def test_not_a_workbook(self):
        with self.assertRaises(InputError) as e:
            read_records(b"PK not really", "t.xlsx")
        self.assertIn("t.xlsx", str(e.exception))


class Tables(unittest.TestCase):
    def entity_rows(self):
        return [ENT_HEADER,
                ["91350100M000100Y43", "甲公司", "企业", ("num", 350102.0), "存续", "A", "食品;餐饮",
                 ("bool", True)],
                [("inline", "110108000000016"), "乙 \"商行\"", "个体", ("formula", "350103"), "在营", None,
                 None, "否"]]

    def test_same_digest_as_csv(self):
        csv = parse_table("entities", ENT_CSV.encode(), "e.csv")
        book = parse_xlsx_table("entities", workbook(self.entity_rows()), "e.xlsx")
        self.assertEqual(book.rows, csv.rows)
        self.assertEqual(book.encoding, "xlsx")
        self.assertEqual(table_digest("entities", book.rows), table_digest("entities", csv.rows))

    def test_lost_digits_in_a_code_column(self):
        rows = self.entity_rows()
        rows[1][0] = ("num", 9.13501e17)
        with self.assertRaises(InputError) as e:
            parse_xlsx_table("entities", workbook(rows), "e.xlsx")
        self.assertIn("line 2", str(e.exception))
        self.assertIn("field 'id'", str(e.exception))
        self.assertIn("Text", str(e.exception))
        # a 15-digit number is still exact; a big number in a text column is just text
        rows[1][0] = ("num", 110108000000016.0)
        rows[2][0] = "91350100M000100Y43"
        rows[1][1] = ("num", 1e16)
        t = parse_xlsx_table("entities", workbook(rows), "e.xlsx")
        self.assertEqual([r["id"] for r in t.rows], ["110108000000016", "91350100M000100Y43"])
        self.assertEqual(t.rows[0]["name"], "10000000000000000")

    def test_value_beyond_the_header(self):
        rows = self.entity_rows()
        clean = parse_xlsx_table("entities", workbook(rows), "e.xlsx")
        rows[2] = rows[2] + [None, "多余"]
        # SPEC §3.3: a column without a header cell is ignored, whatever it holds
        t = parse_xlsx_table("entities", workbook(rows), "e.xlsx")
        self.assertEqual(t.rows, clean.rows)

    def test_history_dates(self):
        rows = [["统一社会信用代码", "检查日期"],
                ["91350100M000100Y43", ("date", 45000)],
                ["91350100M000100Y43", ("date", 45001, 2)],
                ["91350100M000100Y43", "2023年3月17日"]]
        t = parse_xlsx_table("history", workbook(rows), "h.xlsx")
        self.assertEqual([r["date"] for r in t.rows], ["2023-03-15", "2023-03-16", "2023-03-17"])
        rows.append(["91350100M000100Y43", ("num", 45002.0)])  # a number not formatted as a date
        with self.assertRaises(InputError) as e:
            parse_xlsx_table("history", workbook(rows), "h.xlsx")
        self.assertIn("line 5", str(e.exception))
        self.assertIn("field 'date'", str(e.exception))


def csv_to_xlsx(data, file):
    """A CSV roster as a workbook: short digit strings as numbers, dates as date cells."""
    _, records = read_csv(data, file)
    rows = []
    for _, fields in records:
        row = []
        for f in fields:
            m = re.fullmatch(r"([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})", f)
            if f == "":
                row.append(None)
            elif re.fullmatch(r"[1-9][0-9]{0,8}", f):
                row.append(("num", float(f)))
            elif m:
                d = datetime.date(*map(int, m.groups()))
                row.append(("date", (d - datetime.date(1899, 12, 30)).days, 2))
            else:
                row.append(f)
        rows.append(row)
    return xlsx_writer.workbook(rows)


class Vectors(unittest.TestCase):
    def test_every_vector_from_workbooks(self):
        from double_random_verify.vector import is_v2_vector
        cases = sorted(c for c in os.listdir(VECTORS)
                       if os.path.exists(os.path.join(VECTORS, c, "expected.json"))
                       and is_v2_vector(os.path.join(VECTORS, c)))
        if not cases:
            self.skipTest("no v2 draw vectors yet")
        for case in cases:
            with self.subTest(case=case), tempfile.TemporaryDirectory() as d:
                src = os.path.join(VECTORS, case)
                for name in os.listdir(src):
                    path = os.path.join(src, name)
                    if name in ("entities.csv", "inspectors.csv"):  # the tables read from .xlsx
                        with open(path, "rb") as fh:
                            data = csv_to_xlsx(fh.read(), name)
                        with open(os.path.join(d, name[:-4] + ".xlsx"), "wb") as fh:
                            fh.write(data)
                    elif os.path.isfile(path):
                        shutil.copy(path, d)
                with open(os.path.join(src, "expected.json"), "rb") as fh:
                    expected = fh.read()
                self.assertEqual(jcs.encode(recompute(d)) + b"\n", expected)
                # both forms of one roster at once: refused, not guessed
                with open(os.path.join(d, "entities.csv"), "wb") as fh:
                    fh.write(b"")
                with self.assertRaises(InputError):
                    recompute(d)


BAD_INPUTS = os.path.join(HERE, "..", "..", "..", "tests", "bad_inputs")
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class Limits(unittest.TestCase):
    """SPEC §3.5 "xlsx limits": the same bounds, with the same meaning, as the Rust reader."""

    # The catalogue's hostile workbooks (tests/bad_inputs/make_cases.py): the bound each
    # passes, and the value found where it is exact in both implementations.
    CASES = {
        "xlsx-huge-declared-dimension": ("DimensionColumns", 16384, 256),
        "xlsx-part-inflates-past-its-declared-size": ("PartInflated", None, None),
        "xlsx-part-declared-too-large": ("PartBytes", 3 << 30, 2 << 30),
        "xlsx-giant-cell": ("Cell", None, 1 << 20),
        "xlsx-too-many-rows": ("Rows", 1_048_577, 1_048_576),
        "xlsx-too-many-columns": ("Columns", 257, 256),
        "xlsx-too-many-shared-strings": ("SharedStrings", (1 << 22) + 1, 1 << 22),
        "xlsx-shared-strings-too-large": ("SharedStringBytes", None, 256 << 20),
    }

    def test_the_catalogue_workbooks_are_refused_at_their_bound(self):
        found = {}
        for d in os.listdir(BAD_INPUTS):
            name = d[3:]
            if name in self.CASES:
                with open(os.path.join(BAD_INPUTS, d, "entities.xlsx"), "rb") as fh:
                    found[name] = fh.read()
        self.assertEqual(set(found), set(self.CASES))
        for name, (limit, value, maximum) in self.CASES.items():
            with self.subTest(case=name):
                with self.assertRaises(LimitError) as e:
                    read_records(found[name], "entities.xlsx")
                self.assertEqual(e.exception.limit, limit)
                self.assertEqual(e.exception.file, "entities.xlsx")
                if value is not None:
                    self.assertEqual((e.exception.found, e.exception.maximum), (value, maximum))
                if maximum is not None:
                    self.assertEqual(e.exception.maximum, maximum)
                    self.assertGreater(e.exception.found, maximum)

    def test_small_bounds_count_as_the_rust_reader_counts(self):
        def sheet(rows, dimension=""):
            return xlsx_writer.workbook([["a"]])  # replaced below

        shared = "".join("<si><t>abc</t></si>" for _ in range(5))
        data = workbook([["abc", "abc"], ["abc"]])
        # xlsx_writer keeps one <si> per distinct string: rebuild the part with five.
        import io, zipfile
        src = zipfile.ZipFile(io.BytesIO(data))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                body = src.read(info.filename)
                if info.filename.endswith("sharedStrings.xml"):
                    body = f'<sst xmlns="{NS}">{shared}</sst>'.encode()
                z.writestr(info.filename, body)
        data = buf.getvalue()

        def limit(**bounds):
            with self.assertRaises(LimitError) as e:
                read_records(data, "e.xlsx", dict(LIMITS, **bounds))
            return e.exception.limit, e.exception.found, e.exception.maximum

        self.assertEqual(limit(shared_strings=4), ("SharedStrings", 5, 4))
        # <si><t>abc</t> up to </si>: 14 bytes as stored, 70 in all (as in tests/all/xlsx.rs).
        self.assertEqual(limit(shared_string_bytes=69), ("SharedStringBytes", 70, 69))
        # The worksheet comes before the shared strings in the archive, and its cells are longer.
        self.assertEqual(limit(cell_bytes=13)[0], "Cell")
        self.assertEqual(limit(cells=2), ("Cells", 3, 2))
        self.assertEqual(limit(rows=1), ("Rows", 2, 1))
        self.assertEqual(limit(columns=1), ("Columns", 2, 1))
        parts = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
        self.assertEqual(limit(parts=parts - 1), ("Parts", parts, parts - 1))
        # A dimension that ends before it starts; references past any 32-bit number.
        def sheet_xml(dimension, rows):
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                for info in zipfile.ZipFile(io.BytesIO(data)).infolist():
                    body = zipfile.ZipFile(io.BytesIO(data)).read(info.filename)
                    if "worksheets/" in info.filename:
                        body = (f'<worksheet xmlns="{NS}">{dimension}<sheetData>{rows}'
                                '</sheetData></worksheet>').encode()
                    z.writestr(info.filename, body)
            return buf.getvalue()

        with self.assertRaises(InputError) as e:
            read_records(sheet_xml('<dimension ref="I1:E1"/>', ""), "e.xlsx")
        self.assertIn("I1:E1 ends before it starts", str(e.exception))
        with self.assertRaises(LimitError) as e:
            read_records(sheet_xml("", '<row r="1"><c r="A99999999999"><v>1</v></c></row>'), "e.xlsx")
        self.assertEqual((e.exception.limit, e.exception.found), ("Rows", 99_999_999_999))
        # Within every bound, the workbook reads.
        self.assertEqual(len(read_records(data, "e.xlsx", dict(LIMITS, shared_strings=5,
                                                                shared_string_bytes=70))), 2)


if __name__ == "__main__":
    unittest.main()
