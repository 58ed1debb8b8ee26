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

    def test_unclosed_quote(self):
        with self.assertRaises(InputError):
            split_records(b'a,"b\n', "t.csv")


class Tables(unittest.TestCase):
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
            (ENT_ZH.replace("标签", "备注") + ROW1, "line 1", "unknown column"),
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
