"""tests/vectors/ from the Rust implementation, reproduced byte for byte (SPEC §15).

DR_VECTORS names another vectors folder (e.g. a checkout where the vectors were just made).
Vectors of algorithm v1 are not replayed (SPEC §16) and are skipped by name."""

import hashlib
import json
import os
import unittest

import fixtures  # noqa: F401
from double_random_verify import InputError, ceremony, jcs, minisign
from double_random_verify.vector import (ceremony_draw_folders, ceremony_tsa_certs, check_vector,
                                         is_v2_vector, recompute)
from double_random_verify.verify import Verification

VECTORS = os.environ.get("DR_VECTORS") or os.path.join(
    os.path.dirname(__file__), "..", "..", "..", "tests", "vectors")


def draw_cases():
    if not os.path.isdir(VECTORS):
        return [], []
    found = sorted(d for d in os.listdir(VECTORS)
                   if os.path.exists(os.path.join(VECTORS, d, "expected.json")))
    v2 = [d for d in found if is_v2_vector(os.path.join(VECTORS, d))]
    return v2, [d for d in found if d not in v2]


def ceremony_cases():
    if not os.path.isdir(VECTORS):
        return []
    return sorted(d for d in os.listdir(VECTORS) if d.startswith("ceremony-")
                  and os.path.isfile(os.path.join(VECTORS, d, "office.log"))
                  and ceremony_draw_folders(os.path.join(VECTORS, d)))


class Vectors(unittest.TestCase):
    def test_draw_vectors(self):
        found, old = draw_cases()
        if not found:
            self.skipTest(f"no v2 draw vectors in {VECTORS} (older: {', '.join(old) or 'none'})")
        for case in found:
            with self.subTest(case=case):
                report, _ = check_vector(os.path.join(VECTORS, case))
                self.assertTrue(report.passed, "\n".join(report.lines()))

    def test_ceremony_vectors(self):
        found = ceremony_cases()
        if not found:
            self.skipTest(f"no v2 ceremony vectors in {VECTORS}")
        for case in found:
            root = os.path.join(VECTORS, case)
            for d in ceremony_draw_folders(root):
                with self.subTest(case=case, draw=os.path.basename(d)):
                    v = Verification(d, key_path=os.path.join(root, "organizer.pub"),
                                     log_path=os.path.join(root, "office.log"),
                                     tsa_certs=ceremony_tsa_certs(root, d))
                    report = v.run()
                    self.assertTrue(report.passed, "\n".join(report.lines()))
                    if os.path.exists(os.path.join(d, "sheet.json")):
                        with open(os.path.join(d, "sheet.json"), "rb") as fh:
                            self.assertEqual(jcs.encode(v.rebuilt_sheet), fh.read())

    def _vector(self, name):
        path = os.path.join(VECTORS, name)
        if not os.path.isdir(path):
            self.skipTest(f"no vector {name} in {VECTORS}")
        return path

    def test_workbooks_change_nothing(self):
        """08 is 01 with both rosters as .xlsx: same digests, same result (SPEC §15)."""
        a = recompute(self._vector("01-small-undirected"))
        b = recompute(self._vector("08-small-undirected-xlsx"))
        self.assertEqual(a, b)

    def test_nothing_drawn_lists_the_pools_with_the_plans_cap(self):
        """SPEC §7.3: workload_cap set and nothing drawn: every pool records that cap."""
        got = recompute(self._vector("09-nothing-drawn"))
        self.assertEqual(got["entities"], [])
        self.assertTrue(all(s["k"] == 0 and s["n"] > 0 for s in got["strata"]))
        self.assertEqual([(p["label"], p["size"], p["cap"]) for p in got["pools"]],
                         [("officers", 19, 3), ("experts", 0, 3)])

    def test_the_inspector_window_ignores_same_items_only(self):
        """SPEC §6.2/§7.2: history on an item outside the plan leaves entities drawable but
        still bars its inspectors from them."""
        path = self._vector("10-publish-risk")
        got = recompute(path)
        self.assertEqual(got["excluded"]["recently_inspected"], 0)
        with open(os.path.join(path, "history.csv"), encoding="utf-8-sig") as fh:
            rows = {line.split(",")[0]: line for line in fh}
        for e in got["entities"]:
            for o in e["officers"]:
                self.assertNotIn(o, rows[e["id"]])

    def test_key_ids_in_documents_and_in_pub_files(self):
        """SPEC §14: 16 zero-padded digits in documents; the .pub comment as the stock tool
        prints it (no padding), and not read."""
        root = self._vector("ceremony-void")
        with open(os.path.join(root, "organizer.pub"), "rb") as fh:
            pub = fh.read()
        self.assertEqual(pub.split(b"\n")[0],
                         b"untrusted comment: minisign public key 50201060200025A")
        key = minisign.parse_public_key(pub, "organizer.pub")
        self.assertEqual(key.key_id_hex, "050201060200025A")
        with open(os.path.join(root, "GY-2026-05-V2", "announcement.json"), "rb") as fh:
            self.assertEqual(json.loads(fh.read())["key_id"], "050201060200025A")
        for other in (pub.replace(b"50201060200025A", b"050201060200025A"),
                      pub.replace(b"minisign public key 50201060200025A", b"anything"),
                      pub.split(b"\n")[1] + b"\n", b"\n  " + pub.split(b"\n")[1] + b" \n\n",
                      pub + b"  \n\n"):
            self.assertEqual(minisign.parse_public_key(other, "k").key_id_hex, "050201060200025A")
        for bad in (pub.replace(b"untrusted comment: ", b"untrusted comment:"),
                    pub + b"x\n", b"untrusted comment: x\n"):
            with self.assertRaises(InputError):
                minisign.parse_public_key(bad, "k")
        self.assertTrue(ceremony._scalar_ok("key_id", "050201060200025A"))
        for bad in ("50201060200025A", "050201060200025a"):
            self.assertFalse(ceremony._scalar_ok("key_id", bad))

    def test_conflicts_and_history_announced_empty_may_be_absent(self):
        """SPEC §13.1 step 9: a table announced with 0 rows may be absent and is then the
        empty table (the replay runs); announced with rows, its absence withholds the replay."""
        import shutil
        import tempfile
        for case, rows, replayed in (("ceremony-lottery", 0, True), ("ceremony-recusals", 1, False)):
            root = self._vector(case)
            with tempfile.TemporaryDirectory() as tmp, self.subTest(case=case):
                office = os.path.join(tmp, case)
                shutil.copytree(root, office)
                d = ceremony_draw_folders(office)[0]
                with open(os.path.join(d, "announcement.json"), "rb") as fh:
                    inputs = json.loads(fh.read())["inputs"]
                self.assertEqual(min(inputs["conflicts"]["rows"], 1), rows)
                os.remove(os.path.join(d, "conflicts.csv"))
                os.remove(os.path.join(d, "history.csv"))
                v = Verification(d, key_path=os.path.join(office, "organizer.pub"),
                                 log_path=os.path.join(office, "office.log"),
                                 tsa_certs=ceremony_tsa_certs(office, d))
                report = v.run()
                self.assertTrue(report.passed, "\n".join(report.lines()))
                self.assertEqual(v.rebuilt_sheet is not None, replayed)
                if replayed:
                    with open(os.path.join(d, "sheet.json"), "rb") as fh:
                        self.assertEqual(jcs.encode(v.rebuilt_sheet), fh.read())

    def test_ceremony_derivations(self):
        """derivations.json: each commitment (bound to the draw id) and the seed."""
        for case in ceremony_cases():
            root = os.path.join(VECTORS, case)
            for d in ceremony_draw_folders(root):
                path = next((p for p in (os.path.join(d, "derivations.json"),
                                         os.path.join(root, "derivations.json"))
                             if os.path.exists(p)), None)
                if path is None:
                    continue
                with self.subTest(case=case):
                    with open(path, encoding="utf-8") as fh:
                        der = json.load(fh)
                    with open(os.path.join(d, "announcement.json"), "rb") as fh:
                        ann_bytes = fh.read()
                    ann = json.loads(ann_bytes)
                    with open(os.path.join(d, "sheet.json"), "rb") as fh:
                        sheet = json.loads(fh.read())
                    secrets = [bytes.fromhex(r["secret"]) for r in sheet["reveals"]]
                    for party, secret in zip(ann["parties"], secrets):
                        self.assertEqual(ceremony.commitment(ann["draw_id"], party["name"],
                                                             secret).hex(), party["commitment"])
                    digest = hashlib.sha256(ann_bytes).digest()
                    beacon = (ceremony.beacon_bytes(sheet["beacon"])
                              if sheet["beacon"] is not None else None)
                    self.assertEqual(ceremony.seed(digest, secrets, beacon).hex(), sheet["seed"])
                    text = json.dumps(der, ensure_ascii=False)
                    self.assertIn(sheet["seed"], text)
                    for party in ann["parties"]:
                        self.assertIn(party["commitment"], text)


if __name__ == "__main__":
    unittest.main()
