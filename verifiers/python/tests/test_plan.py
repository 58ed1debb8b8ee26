import unittest

import fixtures
from double_random_verify import InputError
from double_random_verify.digest import framed
from double_random_verify.draw import quota_k
from double_random_verify.plan import parse_plan, ratio_bp


def err(message):
    return InputError(message)


class Framing(unittest.TestCase):
    def test_framing_is_injective(self):
        self.assertNotEqual(framed("t", b"ab", b"c"), framed("t", b"a", b"bc"))
        self.assertNotEqual(framed("t", b"", b"x"), framed("t", b"x"))
        self.assertNotEqual(framed("double-random/v1/table", b"x"), framed("double-random/v1/members", b"x"))


class Plans(unittest.TestCase):
    def test_fixture_plan(self):
        p = parse_plan(fixtures.PLAN.encode())
        self.assertEqual(p["plan_id"], "SC-2026-07")
        self.assertEqual(p["filters"]["statuses"], ["active"])
        self.assertEqual(p["strata"]["classes"]["A"]["ratio_bp"], 1000)
        self.assertEqual(p["strata"]["unclassified"]["ratio_bp"], 500)
        self.assertEqual(p["strata"]["classes"]["B"]["rounding"], "nearest")
        self.assertEqual(p["team"], {"departments": [], "experts": 1, "exclude_same_region": True,
                                     "joint": [], "officers": 2, "recusal_cap": 2,
                                     "workload_cap": None})

    def test_ratios_never_through_floats(self):
        self.assertEqual(ratio_bp("2.5%", err), 250)
        self.assertEqual(ratio_bp("100%", err), 10000)
        self.assertEqual(ratio_bp("0.07%", err), 7)
        import decimal
        self.assertEqual(ratio_bp(decimal.Decimal("0.025"), err), 250)
        self.assertEqual(ratio_bp(decimal.Decimal("0.0007"), err), 7)
        self.assertEqual(ratio_bp(1, err), 10000)
        for bad in ("2.555%", "2.5", "101%", decimal.Decimal("0.00001"), decimal.Decimal("1.5")):
            with self.assertRaises(InputError):
                ratio_bp(bad, err)
        p = parse_plan(fixtures.PLAN.replace('ratio = 0.05', 'ratio = 0.29').encode())
        self.assertEqual(p["strata"]["unclassified"]["ratio_bp"], 2900)  # 0.29 * 10000 in floats is 2899.99...

    def test_unstratified(self):
        start = fixtures.PLAN.index("[strata]")
        end = fixtures.PLAN.index("[team]")
        text = fixtures.PLAN[:start] + '[strata]\nby = "none"\nratio = "3%"\nmax = 9\n\n' \
            + fixtures.PLAN[end:]
        self.assertEqual(parse_plan(text.encode())["strata"], {"by": "none", "quota": {
            "count": None, "max": 9, "min": None, "ratio_bp": 300, "rounding": "up"}})
        with self.assertRaises(InputError):
            parse_plan(text.replace('by = "none"', 'by = "risk"').encode())

    def test_quota_k(self):
        q = {"count": None, "max": None, "min": None, "ratio_bp": 250, "rounding": "up"}
        self.assertEqual(quota_k(q, 100), 3)
        self.assertEqual(quota_k({**q, "rounding": "down"}, 100), 2)
        self.assertEqual(quota_k({**q, "rounding": "nearest"}, 100), 3)
        self.assertEqual(quota_k({**q, "rounding": "nearest"}, 60), 2)  # 1.5 -> 2
        self.assertEqual(quota_k({**q, "rounding": "nearest"}, 59), 1)  # 1.475 -> 1
        self.assertEqual(quota_k({**q, "count": 10}, 100), 10)
        self.assertEqual(quota_k({**q, "min": 5}, 100), 5)
        self.assertEqual(quota_k({**q, "max": 1}, 100), 1)
        self.assertEqual(quota_k({**q, "count": 10}, 4), 4)
        self.assertEqual(quota_k({**q, "ratio_bp": None, "count": 2}, 0), 0)

    def test_joint_team(self):
        text = fixtures.PLAN.replace("[team]\nofficers = 2\n", "[team]\n") + """
[[team.joint]]
department = "市场科"
items = ["I1"]
officers = 1
[[team.joint]]
department = "食品科"
items = ["i2"]
officers = 2
"""
        p = parse_plan(text.encode())
        self.assertEqual(p["team"]["officers"], 3)
        self.assertEqual([j["items"] for j in p["team"]["joint"]], [["I1"], ["I2"]])
        with self.assertRaises(InputError):
            parse_plan(text.replace('items = ["i2"]', 'items = ["I1"]').encode())  # I2 not covered
        with self.assertRaises(InputError):
            parse_plan(text.replace("[team]\n", "[team]\nofficers = 2\n").encode())  # 2 != 3
        self.assertEqual(parse_plan(text.replace("[team]\n", "[team]\nofficers = 3\n").encode()),
                         p)

    def test_statuses(self):
        p = parse_plan(fixtures.PLAN.replace('[filters]\n', '[filters]\nstatuses = ["在营", "revoked"]\n')
                       .encode())
        self.assertEqual(p["filters"]["statuses"], ["active", "revoked"])
        with self.assertRaises(InputError) as e:
            parse_plan(fixtures.PLAN.replace('[filters]\n', '[filters]\nstatuses = []\n').encode())
        self.assertIn("filters.statuses", str(e.exception))
        self.assertIn("empty", str(e.exception))

    def test_required_non_empty_top_level_values(self):
        for old, new in [('plan_name = "2026年第七批 食品经营"', 'plan_name = "\u3000"'),
                         ('task_name = "食品经营许可事项检查"', 'task_name = ""'),
                         ('authority = "某市市场监督管理局"', 'authority = " "'),
                         ('items = ["I1", "I2"]', 'items = []'),
                         ('items = ["I1", "I2"]', 'items = ["I1", "i1"]')]:
            key = old.split(" ")[0]
            with self.subTest(key=key, new=new):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(old, new).encode())
                self.assertIn(key, str(e.exception))

    def test_draw_date_forms(self):
        base = parse_plan(fixtures.PLAN.encode())
        self.assertEqual(parse_plan(fixtures.PLAN.replace("draw_date = 2026-11-30",
                                                          'draw_date = "2026-11-30"').encode()), base)
        for bad in ('"2026/11/30"', '"2026年11月30日"', '"2026-11-30 "', "2026-11-30T08:00:00"):
            with self.subTest(bad=bad):
                with self.assertRaises(InputError):
                    parse_plan(fixtures.PLAN.replace("draw_date = 2026-11-30",
                                                     f"draw_date = {bad}").encode())

    def test_repeat_rules_at_least_one(self):
        for key in ("entity_window_days", "inspector_window_days"):
            with self.subTest(key=key):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(f"{key} = 365", f"{key} = 0").encode())
                self.assertIn(f"repeat.{key}", str(e.exception))
        with self.assertRaises(InputError) as e:
            parse_plan(fixtures.PLAN.replace("[repeat]\n", "[repeat]\nentity_yearly_cap = 0\n").encode())
        self.assertIn("repeat.entity_yearly_cap", str(e.exception))

    def test_departments_and_joint_do_not_go_together(self):
        joint = '\n[[team.joint]]\ndepartment = "市场科"\nitems = ["I1", "I2"]\nofficers = 2\n'
        text = fixtures.PLAN.replace("[team]\nofficers = 2\n", "[team]\n") + joint
        parse_plan(text.encode())
        parse_plan(text.replace("[team]\n", "[team]\ndepartments = []\n").encode())
        with self.assertRaises(InputError) as e:
            parse_plan(text.replace("[team]\n", '[team]\ndepartments = ["市场科"]\n').encode())
        self.assertIn("team.departments", str(e.exception))

    def test_unknown_keys_name_their_line(self):
        lines = fixtures.PLAN.split("\n")
        cases = [
            ("[repeat]\n", "[repeat]\nwindow = 3\n", "repeat.window", lines.index("[repeat]") + 2),
            ("publish_risk = true\n", "publish_risk = true\ncolour = 1\n", "colour",
             lines.index("publish_risk = true") + 2),
            ('C = { count = 4 }', 'C = { count = 4, cnt = 5 }', "strata.C.cnt",
             lines.index("C = { count = 4 }") + 1),
            ("[team]\n", "[teams]\nofficers = 1\n[team]\n", "teams", lines.index("[team]") + 1),
        ]
        for old, new, where, line in cases:
            with self.subTest(where=where):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(old, new).encode())
                self.assertIn(where, str(e.exception))
                self.assertIn("unknown key", str(e.exception))
                self.assertIn(f"line {line}", str(e.exception))

    def test_errors_name_the_key(self):
        cases = [
            ("officers = 2\n", "officers = 1\n", "team.officers"),
            ("by = \"risk\"", "by = \"size\"", "strata.by"),
            ('ratio = "10%"', 'ratio = "10"', "strata.A.ratio"),
            ('regions = ["3501"]', 'regions = ["35x"]', "filters.regions"),
            ("[repeat]\n", "[repeat]\nwindow = 3\n", "repeat.window"),
            ('draw_date = 2026-11-30', 'draw_date = "2026-13-01"', "draw_date"),
            ('plan_id = "SC-2026-07"\n', "", "plan_id"),
            ('C = { count = 4 }', 'C = { min = 4 }', "strata.C"),
            ('C = { count = 4 }', 'C = 4', "strata.C"),
            ("plan_id =", "plan_id = = ", "TOML"),
        ]
        for old, new, where in cases:
            with self.subTest(where=where):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(old, new).encode())
                self.assertIn(where, str(e.exception))


def with_ratio(ratio):
    """The fixture plan with class A's ratio written as `ratio` (TOML source)."""
    return fixtures.PLAN.replace('A = { ratio = "10%" }', f"A = {{ ratio = {ratio} }}").encode()


class PlanGrammar(unittest.TestCase):
    """SPEC §4: ratios from their decimal text, the percentage grammar, keywords, lists."""

    def test_ratios_are_read_from_their_decimal_text(self):
        line = fixtures.PLAN.split("\n").index('A = { ratio = "10%" }') + 1
        for bad in ("0.09999999999999999999", "0.10000000000000000001",
                    "0.099999999999999999999999999999999999", "9.999999999999999999e-2",
                    "0.000_05"):
            with self.subTest(bad=bad):
                with self.assertRaises(InputError) as e:
                    parse_plan(with_ratio(bad))
                self.assertEqual(e.exception.field, "strata.A.ratio")
                self.assertEqual(e.exception.line, line)
                self.assertEqual(e.exception.file, "plan.toml")
                self.assertIn("finer", str(e.exception))
        for good, bp in (("0.1", 1000), ("1e-1", 1000), ("0.1_0", 1000), ("+0.1", 1000),
                         ("10e-2", 1000), ("0.10000000000000000000", 1000), ("-0.0", 0),
                         ("0", 0), ("1", 10000), ("0.0001", 1)):
            with self.subTest(good=good):
                self.assertEqual(parse_plan(with_ratio(good))["strata"]["classes"]["A"]["ratio_bp"],
                                 bp)
        text = fixtures.PLAN.replace("publish_risk = true\n",
                                     "publish_risk = true\ngeneral_ratio_cap = 0.04999999999999999999\n")
        with self.assertRaises(InputError) as e:
            parse_plan(text.encode())
        self.assertEqual(e.exception.field, "general_ratio_cap")
        self.assertEqual(e.exception.line, text.split("\n").index(
            "general_ratio_cap = 0.04999999999999999999") + 1)
        for huge in ("1e99999999999999999999", "1e-99999999999999999999", "1.00001", "nan", "inf",
                     "-0.01", "2"):
            with self.subTest(huge=huge):
                with self.assertRaises(InputError):
                    parse_plan(with_ratio(huge))
        self.assertEqual(
            parse_plan(with_ratio("0e99999999999999999999"))["strata"]["classes"]["A"]["ratio_bp"], 0)

    def test_the_percentage_grammar(self):
        for good, bp in (('"10%"', 1000), ('"2.5 %"', 250), ('"１０％"', 1000), ('"２．５％"', 250),
                         ('"\u30002.5\u3000%\u00a0"', 250), ('"007%"', 700), ('"2.50%"', 250),
                         ('"0.01%"', 1), ('"100.00%"', 10000)):
            with self.subTest(good=good):
                self.assertEqual(parse_plan(with_ratio(good))["strata"]["classes"]["A"]["ratio_bp"],
                                 bp)
        for bad in ('"+10%"', '".5%"', '"5.%"', '"-0%"', '"1 0%"', '"1e1%"', '"0.1_0%"',
                    '"10\u00a0%"', '"10\u200b%"', '"\u0663%"', '"10"', '"%"', '"-5%"',
                    '"2.555%"', '"100.01%"'):
            with self.subTest(bad=bad):
                with self.assertRaises(InputError) as e:
                    parse_plan(with_ratio(bad))
                self.assertEqual(e.exception.field, "strata.A.ratio")

    def test_keywords_ignore_ascii_case_after_trimming(self):
        base = parse_plan(fixtures.PLAN.encode())
        text = fixtures.PLAN.replace('rounding = "nearest"', 'rounding = " Nearest "') \
            .replace('by = "risk"', 'by = "RISK"')
        self.assertEqual(parse_plan(text.encode()), base)
        for old, new, field in (('rounding = "nearest"', 'rounding = "ＮＥＡＲＥＳＴ"', "strata.B.rounding"),
                                ('rounding = "nearest"', 'rounding = "near est"', "strata.B.rounding"),
                                ('by = "risk"', 'by = "ｒｉｓｋ"', "strata.by")):
            with self.subTest(new=new):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(old, new).encode())
                self.assertEqual(e.exception.field, field)

    def test_a_list_value_given_twice_is_refused(self):
        filters = '[filters]\nregions = ["3501"]\n'
        for new, field in (('regions = ["3501", "３５０１"]', "filters.regions"),
                           ('industries = ["C13", "13"]', "filters.industries"),
                           ('kinds = ["企业", "Enterprise"]', "filters.kinds"),
                           ('statuses = ["存续", "在营"]', "filters.statuses"),
                           ('tags_any = ["食品", " 食品"]', "filters.tags_any"),
                           ('tags_all = ["e\\u0301", "\u00e9"]', "filters.tags_all"),
                           ('tags_all = [""]', "filters.tags_all")):
            with self.subTest(new=new):
                with self.assertRaises(InputError) as e:
                    parse_plan(fixtures.PLAN.replace(filters, f"[filters]\n{new}\n").encode())
                self.assertEqual(e.exception.field, field)
        with self.assertRaises(InputError) as e:
            parse_plan(fixtures.PLAN.replace("officers = 2\n",
                                             'officers = 2\ndepartments = ["稽查局", "稽查局"]\n')
                       .encode())
        self.assertEqual(e.exception.field, "team.departments")
        joint = ('\n[[team.joint]]\ndepartment = "市场科"\nitems = ["I1", "I2", "i1"]\n'
                 'officers = 2\n')
        with self.assertRaises(InputError) as e:
            parse_plan((fixtures.PLAN.replace("officers = 2\n", "") + joint).encode())
        self.assertEqual(e.exception.field, "team.joint[0].items")

    def test_window_days_from_1_to_36525(self):
        for key in ("entity_window_days", "inspector_window_days"):
            p = parse_plan(fixtures.PLAN.replace(f"{key} = 365", f"{key} = 36525").encode())
            self.assertEqual(p["repeat"][key], 36525)
            for bad in (0, 36526, 4294967295):
                with self.subTest(key=key, bad=bad):
                    with self.assertRaises(InputError) as e:
                        parse_plan(fixtures.PLAN.replace(f"{key} = 365", f"{key} = {bad}").encode())
                    self.assertEqual(e.exception.field, f"repeat.{key}")
        with self.assertRaises(InputError):
            parse_plan(fixtures.PLAN.replace("experts = 1", "experts = 4294967296").encode())

    def test_items_are_codes_and_team_lists_default_to_empty(self):
        p = parse_plan(fixtures.PLAN.replace('items = ["I1", "I2"]', 'items = [" ｉ1", "i２"]')
                       .encode())
        self.assertEqual(p["items"], ["I1", "I2"])
        self.assertEqual(p["team"]["departments"], [])
        self.assertEqual(p["team"]["joint"], [])


if __name__ == "__main__":
    unittest.main()
