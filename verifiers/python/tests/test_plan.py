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
                                     "joint": [], "officers": 2, "workload_cap": None})

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


if __name__ == "__main__":
    unittest.main()
