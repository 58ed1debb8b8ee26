import unittest

import fixtures  # noqa: F401
from double_random_verify import InputError
from double_random_verify.digest import framed, table_digest
from double_random_verify.roster import parse_table, split_records

ENT_ZH = "统一社会信用代码,名称,类型,行政区划代码,登记状态,风险等级,标签\n"
ROW1 = "91350100M000100Y43,甲公司,企业,350102,存续,A,食品;餐饮\n"
ROW2 = "110108000000016,\"乙 \"\"商行\"\"\",个体,350103,在营,,\n"


def digest_of(data, kind="entities"):
    return table_digest(kind, parse_table(kind, data, "t.csv").rows)


class Csv(unittest.TestCase):
    def test_quoting_and_line_numbers(self):
        recs = split_records(b'a,b\r\n"x\ny","q""q"\n\nz,\n', "t.csv")
        self.assertEqual(recs, [(1, [b"a", b"b"]), (2, [b"x\ny", b'q"q']), (5, [b"z", b""])])

    def test_unclosed_quote_runs_to_the_end(self):
        # as the csv crate reads it: the quoted field ends with the data
        self.assertEqual(split_records(b'a,"b\nc', "t.csv"), [(1, [b"a", b"b\nc"])])

    def test_quote_inside_an_unquoted_field_is_literal(self):
        self.assertEqual(split_records(b'5" disk,a"b"\n', "t.csv"), [(1, [b'5" disk', b'a"b"'])])

    def test_text_after_a_closing_quote_is_appended(self):
        self.assertEqual(split_records(b'"ab"c,"x""y"z"w,""\n', "t.csv"),
                         [(1, [b"abc", b'x"yz"w', b""])])

    def test_lone_cr_ends_a_record(self):
        self.assertEqual(split_records(b"a,b\rc,d\r\ne,f", "t.csv"),
                         [(1, [b"a", b"b"]), (2, [b"c", b"d"]), (3, [b"e", b"f"])])

    def test_blank_records_are_skipped(self):
        data = b'a,b\n,\n \t, \r\n"",""\n\x0c,\nc,d\n'
        self.assertEqual(split_records(data, "t.csv"), [(1, [b"a", b"b"]), (6, [b"c", b"d"])])

    def test_vertical_tab_is_not_blank(self):
        self.assertEqual(split_records(b"\x0b,\n", "t.csv"), [(1, [b"\x0b", b""])])


class Tables(unittest.TestCase):
    # SPEC §3.5's records, case by case: the same bytes as QUOTING_CASES in tests/all/inputs.rs.
    QUOTING_CASES = (b'\r\n,,\r\n ,\t,\r\nid,name,category\r\n'
                     b'A1,plain,\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A2,"q,uo""ted",\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A3,a"b"c,\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A4,"ab"c"d,\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A5,"ab"c""d,\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A6,"ab"x y,\xe4\xb8\x80\xe8\x88\xac\r\n'
                     b'A7,"line\r\nbreak",\xe4\xb8\x80\xe8\x88\xac\n'
                     b'A8, "sp",\xe4\xb8\x80\xe8\x88\xac\r'
                     b'A9,""x,\xe4\xb8\x80\xe8\x88\xac\n\n,,\n'
                     b'A10,x""y,\xe4\xb8\x80\xe8\x88\xac\n')

    def test_records_are_read_as_the_spec_spells_out(self):
        rows = parse_table("items", self.QUOTING_CASES, "items.csv").rows
        self.assertEqual([(r["id"], r["name"]) for r in rows], [
            ("A1", "plain"), ("A2", 'q,uo"ted'), ("A3", 'a"b"c'), ("A4", 'abc"d'),
            ("A5", 'abc""d'), ("A6", "abx y"), ("A7", "line\r\nbreak"), ("A8", '"sp"'),
            ("A9", "x"), ("A10", 'x""y')])
        # a quoted field still open at the end of the file runs to the end
        rows = parse_table("items", b'id,category,name\nB1,general,"open, ended\n', "items.csv").rows
        self.assertEqual(rows[0]["name"], "open, ended")
        # U+000B is not blank: that record has one field, not three
        with self.assertRaises(InputError) as cm:
            parse_table("items", b"id,name,category\nA1,x,general\n\x0b\n", "items.csv")
        self.assertEqual(cm.exception.line, 3)

    def test_vocabularies_take_canonical_names_in_any_ascii_case_but_never_fold_width(self):
        uscc = "91350100M000100Y43"

        def read(kind, status):
            data = f"id,name,kind,region,status\n{uscc},甲,{kind},520102,{status}\n".encode()
            return parse_table("entities", data, "entities.csv").rows[0]
        for kind, status in [("enterprise", "active"), ("ENTERPRISE", "Active"),
                             (" enterprise\u3000", "\u00a0ACTIVE "), ("企业", "存续")]:
            self.assertEqual(read(kind, status)["status"], "active", (kind, status))
        self.assertEqual(read("enterprise", "moved_out")["status"], "moved_out")
        for kind, status in [("enterprise", "ＡＣＴＩＶＥ"), ("ｅｎｔｅｒｐｒｉｓｅ", "active"),
                             ("enterprise", "act ive"), ("enterprise", "moved out")]:
            with self.assertRaises(InputError, msg=(kind, status)):
                read(kind, status)

    def test_canonical_entity_row(self):
        t = parse_table("entities", (ENT_ZH + ROW1 + ROW2).encode(), "e.csv")
        self.assertEqual(t.rows[1], {
            "abnormal": False, "authority": "", "id": "110108000000016", "industry": "",
            "kind": "individual", "name": '乙 "商行"', "region": "350103", "risk": None,
            "status": "active", "tags": []})
        self.assertEqual(t.rows[0]["tags"], ["食品", "餐饮"])

    def test_order_encoding_header_language_and_bom_do_not_change_the_digest(self):
        base = digest_of((ENT_ZH + ROW1 + ROW2).encode())
        self.assertEqual(digest_of((ENT_ZH + ROW2 + ROW1).encode()), base)
        self.assertEqual(digest_of((ENT_ZH + ROW1 + ROW2).encode("gb18030")), base)
        self.assertEqual(digest_of(b"\xef\xbb\xbf" + (ENT_ZH + ROW1 + ROW2).encode()), base)
        english = "ID,Name,TYPE,Region,Status,Risk,Tags\r\n"
        self.assertEqual(digest_of((english + ROW2 + ROW1).replace("\n", "\r\n").encode()), base)
        # reordered columns
        swapped = "名称,统一社会信用代码,类型,行政区划代码,登记状态,风险等级,标签\n" + \
            "甲公司,91350100M000100Y43,企业,350102,存续,A,食品;餐饮\n" + \
            "\"乙 \"\"商行\"\"\",110108000000016,个体,350103,在营,,\n"
        self.assertEqual(digest_of(swapped.encode()), base)
        # full-width and padded values normalise to the same rows
        padded = ROW1.replace("甲公司", " 甲公司\u3000").replace("350102", "３５０１０２")
        self.assertEqual(digest_of((ENT_ZH + padded + ROW2).encode()), base)
        # any field change does change it
        self.assertNotEqual(digest_of((ENT_ZH + ROW1.replace(",A,", ",B,") + ROW2).encode()), base)

    def test_empty_table_digest(self):
        self.assertEqual(digest_of("执法证号,统一社会信用代码\n".encode(), "conflicts"),
                         framed("double-random/v1/table", b"conflicts", bytes(8)))

    def test_gb18030_later_field_invalid(self):
        data = ENT_ZH.encode("gb18030") + ROW1.encode("gb18030") + "乙".encode("utf-8")[:2] + b"\n"
        with self.assertRaises(InputError) as e:
            parse_table("entities", data, "e.csv")
        self.assertIn("line 3", str(e.exception))

    def test_utf8_decided_then_gb18030_field_is_an_error(self):
        data = (ENT_ZH + ROW1).encode() + ROW2.encode("gb18030")
        with self.assertRaises(InputError) as e:
            parse_table("entities", data, "e.csv")
        self.assertIn("line 3", str(e.exception))
        self.assertIn("UTF-8", str(e.exception))

    def test_errors_name_file_line_and_field(self):
        cases = [
            (ENT_ZH + ROW1.replace("350102", "35010"), "line 2", "region"),
            (ENT_ZH + ROW1.replace("Y43", "Y44"), "line 2", "id"),
            (ENT_ZH + ROW1 + ROW1, "line 3", "duplicate"),
            (ENT_ZH + ROW1.replace("存续", "营业"), "line 2", "status"),
            (ENT_ZH.replace("标签", "类型") + ROW1, "line 1", "repeats"),
            (ENT_ZH.replace(",登记状态", "") + ROW1, "line 1", "status"),
            (ENT_ZH + "91350100M000100Y43,甲公司\n", "line 2", "fields"),
            ("", "empty", ""),
        ]
        for data, where, what in cases:
            with self.subTest(where=where, what=what):
                with self.assertRaises(InputError) as e:
                    parse_table("entities", data.encode(), "e.csv")
                self.assertIn("e.csv", str(e.exception))
                self.assertIn(where, str(e.exception))
                self.assertIn(what, str(e.exception))

    def test_blank_records_between_rows(self):
        t = parse_table("entities", (ENT_ZH + ",,,,,,\n" + ROW1 + " , ,\t,,,,\n").encode(), "e.csv")
        self.assertEqual(len(t.rows), 1)

    def test_utf16_bom_is_an_error(self):
        for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            with self.assertRaises(InputError) as e:
                parse_table("entities", bom + (ENT_ZH + ROW1).encode(enc), "e.csv")
            self.assertIn("UTF-16", str(e.exception))

    def test_bom_other_than_at_the_start_is_an_error(self):
        for data in ((ENT_ZH + ROW1.replace("甲公司", "甲\ufeff公司")).encode(),
                     b"\xef\xbb\xbf" + (ENT_ZH + "\ufeff" + ROW1).encode(),
                     (ENT_ZH + ROW1.replace("甲公司", "甲\ufeff公司")).encode("gb18030")):
            with self.assertRaises(InputError) as e:
                parse_table("entities", data, "e.csv")
            self.assertIn("U+FEFF", str(e.exception))
            self.assertIn("line 2", str(e.exception))

    def test_header_decides_the_encoding(self):
        # the Chinese header is valid UTF-8, so a GB18030 row after it is an error ...
        with self.assertRaises(InputError):
            parse_table("entities", ENT_ZH.encode() + ROW1.encode("gb18030"), "e.csv")
        # ... and a GB18030 header makes the file GB18030
        t = parse_table("entities", (ENT_ZH + ROW1).encode("gb18030"), "e.csv")
        self.assertEqual(t.encoding, "gb18030")

    def test_empty_header_cell_is_an_ignored_column(self):
        clean = parse_table("entities", (ENT_ZH + ROW1).encode(), "e.csv")
        ok = parse_table("entities", (ENT_ZH.rstrip("\n") + ",,\u3000\n"
                                      + ROW1.rstrip("\n") + ",,\n").encode(), "e.csv")
        self.assertEqual(ok.rows, clean.rows)
        # SPEC §3.3: values under an empty header cell are ignored, not refused, and not listed
        held = parse_table("entities", (ENT_ZH.rstrip("\n") + ",\n"
                                        + ROW1.rstrip("\n") + ",x\n").encode(), "e.csv")
        self.assertEqual(held.rows, clean.rows)
        self.assertEqual(held.ignored, [])

    def test_unknown_columns_are_ignored_and_listed(self):
        clean = parse_table("entities", (ENT_ZH + ROW1).encode(), "e.csv")
        t = parse_table("entities", ("法定代表人," + ENT_ZH.rstrip("\n") + ", 住所 \n"
                                     + "张三," + ROW1.rstrip("\n") + ",福州市\n").encode(), "e.csv")
        self.assertEqual(t.rows, clean.rows)
        self.assertEqual(t.ignored, ["法定代表人", "住所"])
        # a known column given twice is still an error
        with self.assertRaises(InputError) as e:
            parse_table("entities", (ENT_ZH.rstrip("\n") + ",企业名称\n"
                                     + ROW1.rstrip("\n") + ",甲\n").encode(), "e.csv")
        self.assertIn("repeats", str(e.exception))

    def test_absent_optional_columns_take_their_defaults(self):
        t = parse_table("entities", "统一社会信用代码,名称,登记状态\n91350100M000100Y43,甲公司,存续\n"
                        .encode(), "e.csv")
        self.assertEqual(t.rows[0], {"abnormal": False, "authority": "", "id": "91350100M000100Y43",
                                     "industry": "", "kind": None, "name": "甲公司", "region": "",
                                     "risk": None, "status": "active", "tags": []})
        self.assertEqual(t.absent, ["kind", "authority", "region", "industry", "abnormal",
                                    "risk", "tags"])
        for missing in ("统一社会信用代码", "名称", "登记状态"):
            header = ",".join(h for h in ("统一社会信用代码", "名称", "登记状态") if h != missing)
            with self.subTest(missing=missing), self.assertRaises(InputError) as e:
                parse_table("entities", (header + "\nx,y\n").encode(), "e.csv")
            self.assertIn("line 1", str(e.exception))

    def test_export_aliases(self):
        header = ("统一社会信用代码（注册号）,企业（机构）名称,主体类别,登记机关名称,住所所在行政区划代码,"
                  "所属行业代码,企业状态,企业类型,行业门类\n")
        t = parse_table("entities", (header + "91350100M000100Y43,甲公司,企业,福州市局,350102,C13,存续,"
                                     "有限责任公司（自然人投资或控股）,C\n").encode(), "e.csv")
        self.assertEqual(t.absent, ["abnormal", "risk", "tags"])
        # Headers that hold other values in registers' exports are ignored, not aliases.
        self.assertEqual([c for c in t.ignored], ["企业类型", "行业门类"])
        self.assertEqual((t.rows[0]["kind"], t.rows[0]["region"], t.rows[0]["industry"]),
                         ("enterprise", "350102", "C13"))
        ins = parse_table("inspectors", "执法证件号,执法人员姓名,所属单位\nA1,张三,市场监管局\n".encode(),
                          "i.csv")
        self.assertEqual(ins.rows[0]["department"], "市场监管局")

    def test_rows_required_except_conflicts_and_history(self):
        headers = {"entities": ENT_ZH, "inspectors": "执法证号,姓名,部门\n",
                   "items": "事项编号,事项名称,事项类别\n"}
        for kind, header in headers.items():
            with self.subTest(kind=kind):
                with self.assertRaises(InputError) as e:
                    parse_table(kind, (header + ",,\n").encode(), "t.csv")
                self.assertIn("at least one row", str(e.exception))
        self.assertEqual(parse_table("conflicts", "执法证号,统一社会信用代码\n".encode(), "c.csv").rows, [])
        self.assertEqual(parse_table("history", "统一社会信用代码,检查日期\n\n".encode(), "h.csv").rows, [])
        for kind in ("conflicts", "history"):
            with self.assertRaises(InputError):
                parse_table(kind, b"", "t.csv")  # the header itself is needed

    def test_names_departments_and_item_names_must_not_be_empty(self):
        cases = [
            ("entities", ENT_ZH + ROW1.replace("甲公司", "\u3000"), "name"),
            ("inspectors", "执法证号,姓名,部门\nZF1,,市场科\n", "name"),
            ("inspectors", "执法证号,姓名,部门\nZF1,张三, \n", "department"),
            ("inspectors", "执法证号,姓名,部门\n\u00a0,张三,市场科\n", "id"),
            ("items", "事项编号,事项名称,事项类别\nI1,,一般\n", "name"),
            ("items", "事项编号,事项名称,事项类别\n ,检查,一般\n", "id"),
        ]
        for kind, data, field in cases:
            with self.subTest(kind=kind, field=field):
                with self.assertRaises(InputError) as e:
                    parse_table(kind, data.encode(), "t.csv")
                self.assertIn("empty", str(e.exception))
                self.assertIn(f"field '{field}'", str(e.exception))
                self.assertIn("line 2", str(e.exception))

    def test_dangling_references_are_accepted(self):
        c = parse_table("conflicts", "执法证号,统一社会信用代码\nNOBODY,91350100M000100Y43\n"
                        .encode(), "c.csv")
        self.assertEqual(c.rows[0]["inspector"], "NOBODY")

    def test_history_dates(self):
        good = {"2026-03-01": "2026-03-01", "2026/3/1": "2026-03-01", "2026/03/1": "2026-03-01",
                "2026年3月1日": "2026-03-01", "2026年12月31日": "2026-12-31",
                "２０２６－０３－０１": "2026-03-01", " 2026 - 03 - 01\u00a0": "2026-03-01",
                "2026\u3000年3月 1日": "2026-03-01", "2024/2/29": "2024-02-29"}
        bad = ["2026-3-1", "2026-03-1", "26/3/1", "2026.03.01", "2026/3/1/", "2026/003/1",
               "2025/2/29", "2026-13-01", "2026年3月1", "20260301", "", "٢٠٢٦-03-01"]
        head = "统一社会信用代码,检查日期\n91350100M000100Y43,"
        for raw, iso in good.items():
            with self.subTest(raw=raw):
                rows = parse_table("history", (head + '"' + raw + '"\n').encode(), "h.csv").rows
                self.assertEqual(rows[0]["date"], iso)
        for raw in bad:
            with self.subTest(raw=raw):
                with self.assertRaises(InputError) as e:
                    parse_table("history", (head + '"' + raw + '"\n').encode(), "h.csv")
                self.assertIn("field 'date'", str(e.exception))

    def test_other_tables(self):
        ins = parse_table("inspectors", "执法证号,姓名,部门,资质,人员类别\nzf１,张三,市场科,食品、药品,专家\n"
                          .encode(), "i.csv").rows[0]
        self.assertEqual(ins, {"department": "市场科", "id": "ZF1", "kind": "expert", "name": "张三",
                               "qualifications": ["药品", "食品"], "region": "", "specialties": [],
                               "status": "on_duty"})
        hist = parse_table("history", "统一社会信用代码,检查日期,检查人员\n91350100M000100Y43,2026年1月2日,b;a\n"
                           .encode(), "h.csv").rows[0]
        self.assertEqual(hist, {"date": "2026-01-02", "entity": "91350100M000100Y43",
                                "inspectors": ["A", "B"], "item": "", "kind": "random"})
        with self.assertRaises(InputError):
            parse_table("conflicts", "执法证号,统一社会信用代码\nA,91350100M000100Y43\na,91350100M000100Y43\n"
                        .encode(), "c.csv")


if __name__ == "__main__":
    unittest.main()
