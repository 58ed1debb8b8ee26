"""The sample rosters and plans in examples/data/, when present: every draw succeeds."""

import os
import unittest

import fixtures  # noqa: F401
from double_random_verify.draw import Draw
from double_random_verify.plan import read_plan
from double_random_verify.roster import read_table

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "data")
KINDS = ["entities", "inspectors", "items", "conflicts", "history"]


@unittest.skipUnless(os.path.exists(os.path.join(DATA, "entities.csv")), "no examples/data")
class SampleData(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tables = {k: read_table(k, os.path.join(DATA, k + ".csv")).rows for k in KINDS}

    def test_every_plan_draws_under_several_seeds(self):
        plans = sorted(f for f in os.listdir(DATA) if f.endswith(".toml"))
        self.assertTrue(plans)
        for name in plans:
            plan = read_plan(os.path.join(DATA, name))
            for s in range(4):
                with self.subTest(plan=name, seed=s):
                    d = Draw(plan, self.tables, bytes([s]) * 32)
                    parts = d.sheet_parts()
                    self.assertEqual(len(parts["entities"]), sum(x["k"] for x in parts["strata"]))
                    for e in parts["entities"]:
                        self.assertEqual(len(e["officers"]), plan["team"]["officers"])
                        self.assertEqual(len(set(e["officers"])), len(e["officers"]))


if __name__ == "__main__":
    unittest.main()
