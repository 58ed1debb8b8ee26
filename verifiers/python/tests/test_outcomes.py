"""Outcome records (SPEC §18): the working-day deadline and the vector outcomes-recusals,
whose expected.json the Rust implementation wrote, reproduced byte for byte."""

import copy
import datetime
import hashlib
import json
import os
import unittest

import fixtures  # noqa: F401
from double_random_verify import jcs, minisign, outcomes

VECTORS = os.environ.get("DR_VECTORS") or os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "tests", "vectors")
CASE = os.path.join(VECTORS, "outcomes-recusals")
CALENDAR_2026 = os.path.join(os.path.dirname(__file__), "..", "..", "..", "examples", "data",
                             "calendars", "holidays-2026.toml")


def d(s):
    return datetime.date.fromisoformat(s)


def read(name):
    with open(os.path.join(CASE, name), "rb") as fh:
        return fh.read()


class Deadlines(unittest.TestCase):
    def setUp(self):
        if not os.path.exists(CALENDAR_2026):
            self.skipTest("no examples/data/calendars/holidays-2026.toml")
        self.cals = outcomes.Calendars()
        with open(CALENDAR_2026, encoding="utf-8") as fh:
            self.cals.add_toml(fh.read(), "holidays-2026.toml")

    def test_the_mid_autumn_and_national_day_breaks_and_their_working_weekends(self):
        # Weekdays alone would give 2026-10-09; the breaks without their 调休 days 2026-10-19.
        self.assertEqual(self.cals.deadline(d("2026-09-11")), (d("2026-10-15"), None))
        self.assertTrue(self.cals.working(d("2026-10-10")))   # Saturday, 调休
        self.assertTrue(self.cals.working(d("2026-09-20")))   # Sunday, 调休
        self.assertFalse(self.cals.working(d("2026-10-05")))  # Monday, 国庆
        self.assertIsNone(self.cals.working(d("2027-01-04")))
        self.assertEqual(self.cals.deadline(d("2026-12-20")), (None, 2027))

    def test_beijing_dates(self):
        self.assertEqual(outcomes.beijing_date("2026-10-15T15:59:59Z"), d("2026-10-15"))
        self.assertEqual(outcomes.beijing_date("2026-10-15T16:00:00Z"), d("2026-10-16"))


class Vector(unittest.TestCase):
    def setUp(self):
        if not os.path.isdir(CASE):
            self.skipTest(f"no vector outcomes-recusals in {VECTORS}")

    def _review(self, records=None, key=True):
        sheet_bytes = read("sheet.json")
        amendment_bytes = []
        while os.path.exists(os.path.join(CASE, f"amendment-{len(amendment_bytes) + 1}.json")):
            amendment_bytes.append(read(f"amendment-{len(amendment_bytes) + 1}.json"))
        if records is None:
            records = []
            while os.path.exists(os.path.join(CASE, f"outcomes-{len(records) + 1}.json")):
                name = f"outcomes-{len(records) + 1}.json"
                records.append((name, read(name), read(name + ".minisig")))
        cals = outcomes.Calendars()
        cals.add_toml(read("holidays-2026.toml").decode("utf-8"), "holidays-2026.toml")
        expected = json.loads(read("expected.json"))
        pk = minisign.parse_public_key(read("organizer.pub"), "organizer.pub") if key else None
        found = outcomes.review(
            jcs.parse_canonical(sheet_bytes, "sheet.json"), sheet_bytes,
            [jcs.parse_canonical(b, "amendment") for b in amendment_bytes], amendment_bytes,
            records, cals, d(expected["today"]), key=pk)
        return found, expected

    def test_the_review_is_the_rust_one_byte_for_byte(self):
        (findings, statuses, end, completed), expected = self._review()
        got = {"today": expected["today"], "inspections_end": str(end), "completed": completed,
               "findings": findings, "status": statuses}
        self.assertEqual(jcs.encode(got) + b"\n", read("expected.json"))

    def test_a_tampered_record_is_a_signature_finding(self):
        records = []
        for n in (1, 2, 3):
            name = f"outcomes-{n}.json"
            records.append((name, read(name), read(name + ".minisig")))
        name, data, sig = records[1]
        doc = json.loads(data)
        doc["results"][0]["formed_on"] = "2026-09-30"
        records[1] = (name, jcs.encode(doc), sig)
        (findings, _, _, _), _ = self._review(records)
        self.assertEqual(findings[0]["code"], "outcome.signature")
        self.assertEqual(findings[0]["document"], "outcomes-2.json")
        # The changed record no longer chains: record 3 cites the original.
        self.assertIn(("outcome.cites", "outcomes-3.json", {"field": "previous"}),
                      [(f["code"], f["document"], {"field": f["fields"].get("field")}) for f in findings])
        # Without a signature file: missing.
        records[0] = (records[0][0], records[0][1], None)
        (findings, _, _, _), _ = self._review(records)
        self.assertEqual(findings[0]["fields"], {"cause": "missing"})

    def test_a_record_that_is_not_canonical_stops_the_chain(self):
        records = [("outcomes-1.json", read("outcomes-1.json") + b"\n", None)]
        (findings, statuses, end, completed), _ = self._review(records, key=False)
        self.assertEqual([f["code"] for f in findings], ["outcome.unreadable"])
        self.assertEqual(completed, 0)
        self.assertIsNone(end)
        self.assertTrue(all(s["standing"] == "due" for s in statuses))


class InTheVerifier(unittest.TestCase):
    """`python3 -m double_random_verify DIR` checks the outcome records it finds (step 11)."""

    def test_a_draw_folder_with_records_is_judged_on_the_day_given(self):
        import shutil
        import tempfile
        from double_random_verify.verify import Verification
        draw = os.path.join(VECTORS, "ceremony-recusals", "GY-2026-03-R")
        if not (os.path.isdir(CASE) and os.path.isdir(draw)):
            self.skipTest("no vectors")
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "GY-2026-03-R")
            shutil.copytree(draw, folder)
            for n in os.listdir(CASE):
                if n.startswith("outcomes-") or n.startswith("holidays-"):
                    shutil.copy(os.path.join(CASE, n), folder)
            key = os.path.join(VECTORS, "ceremony-recusals", "organizer.pub")
            v = Verification(folder, key_path=key)
            v.today = d("2026-11-10")
            report = v.run()
            codes = sorted({f.field for f in report.findings})
            self.assertEqual(codes, ["outcome.correction", "outcome.duplicate", "outcome.late",
                                     "outcome.not_drawn", "outcome.overdue", "outcome.result",
                                     "outcome.team"])
            self.assertFalse(report.passed)


if __name__ == "__main__":
    unittest.main()
