"""tests/vectors/ from the Rust implementation, reproduced byte for byte (SPEC §15)."""

import json
import os
import unittest

import fixtures  # noqa: F401
from double_random_verify import ceremony, jcs
from double_random_verify.vector import check_vector
from double_random_verify.verify import Verification

VECTORS = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "vectors")


def cases(*needed):
    if not os.path.isdir(VECTORS):
        return []
    return sorted(d for d in os.listdir(VECTORS)
                  if all(os.path.exists(os.path.join(VECTORS, d, f)) for f in needed))


class Vectors(unittest.TestCase):
    def test_draw_vectors(self):
        found = cases("expected.json")
        if not found:
            self.skipTest("no tests/vectors")
        for case in found:
            with self.subTest(case=case):
                report, _ = check_vector(os.path.join(VECTORS, case))
                self.assertTrue(report.passed, "\n".join(report.lines()))

    def test_ceremony_vectors(self):
        found = cases("announcement.json", "sheet.json")
        if not found:
            self.skipTest("no ceremony vectors")
        for case in found:
            with self.subTest(case=case):
                d = os.path.join(VECTORS, case)
                log = os.path.join(d, "office.log")
                v = Verification(d, log_path=log if os.path.exists(log) else None)
                report = v.run()
                self.assertTrue(report.passed, "\n".join(report.lines()))
                with open(os.path.join(d, "sheet.json"), "rb") as fh:
                    self.assertEqual(jcs.encode(v.rebuilt_sheet), fh.read())

    def test_ceremony_derivations(self):
        for case in cases("derivations.json", "announcement.json"):
            with self.subTest(case=case):
                d = os.path.join(VECTORS, case)
                with open(os.path.join(d, "derivations.json"), encoding="utf-8") as fh:
                    der = json.load(fh)
                with open(os.path.join(d, "announcement.json"), "rb") as fh:
                    ann_bytes = fh.read()
                ann = json.loads(ann_bytes)
                for c, party in zip(der["commitments"], ann["parties"]):
                    self.assertEqual(ceremony.commitment(party["name"], bytes.fromhex(c["secret"])).hex(),
                                     c["commitment"])
                import hashlib
                digest = hashlib.sha256(ann_bytes).digest()
                self.assertEqual(digest.hex(), der["seed"]["announcement"])
                beacon = der["seed"]["beacon_bytes_utf8"].encode("utf-8")
                secrets = [bytes.fromhex(c["secret"]) for c in der["commitments"]]
                self.assertEqual(ceremony.seed(digest, secrets, beacon).hex(), der["seed"]["seed"])


if __name__ == "__main__":
    unittest.main()
