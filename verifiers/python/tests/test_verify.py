import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import fixtures
from double_random_verify import __main__ as cli
from double_random_verify import jcs
from double_random_verify.verify import Verification

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)


def read(path):
    with open(path, "rb") as fh:
        return fh.read()


def write(path, data):
    with open(path, "wb") as fh:
        fh.write(data)


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


class Ceremony(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dr-verify-")
        cls.office = os.path.join(cls.tmp, "base")
        cls.base = fixtures.make_ceremony(cls.office,
                                          amendments=["entity", "inspector", "entity", "inspector"])
        cls.key = os.path.join(cls.office, "organizer.pub")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def copy(self, name):
        """A copy of the whole office folder; returns its draw folder."""
        d = os.path.join(self.tmp, name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.office, d)
        return os.path.join(d, fixtures.DRAW_ID)

    def findings(self, d):
        return [str(f) for f in Verification(d, key_path=self.key).run().findings]

    def cli(self, d, *args):
        return run_cli(d, "--public-key", self.key, *args)

    def resign(self, d, name, doc):
        data = jcs.encode(doc)
        with open(os.path.join(d, name), "wb") as fh:
            fh.write(data)
        with open(os.path.join(d, name + ".minisig"), "wb") as fh:
            fh.write(fixtures.Signer().sign(data, name, doc["draw_id"]))
        return data

    def load(self, d, name):
        with open(os.path.join(d, name), "rb") as fh:
            return json.loads(fh.read())

    def test_pass(self):
        code, out, _ = self.cli(self.base)
        self.assertEqual(code, 0, out)
        self.assertIn("\nPASS\n", out)
        self.assertIn("9c. replay of every amendment", out)

    def test_json_output_is_the_sheet(self):
        code, out, err = self.cli(self.base, "--json")
        self.assertEqual(code, 0, err)
        with open(os.path.join(self.base, "sheet.json"), encoding="utf-8") as fh:
            self.assertEqual(out, fh.read())

    def test_drand_beacon(self):
        d = fixtures.make_ceremony(os.path.join(self.tmp, "drand"), beacon="drand")
        code, out, _ = self.cli(d)
        self.assertEqual(code, 0, out)
        self.assertIn("not checked (no BLS library here)", out)

    def test_office_log(self):
        log = os.path.join(self.office, "office.log")
        code, out, _ = self.cli(self.base, "--log", log)
        self.assertEqual(code, 0, out)
        self.assertIn("10. the office log", out)
        d = self.copy("log")
        log = os.path.join(os.path.dirname(d), "office.log")
        lines = read(log).split(b"\n")
        write(log, b"\n".join(lines[:2] + lines[3:]))
        code, out, _ = self.cli(d, "--log", log)
        self.assertEqual(code, 1)
        self.assertIn("office.log: line 3: seq: 4, expected 3", out)
        self.assertIn("office.log: line 3: prev", out)
        self.assertIn("amendment-1.json: log.seq", out)
        self.assertIn("the log was truncated", out)  # checkpoint-6 covers 6 lines

    def test_changed_sheet_byte_breaks_the_signature(self):
        d = self.copy("byte")
        path = os.path.join(d, "sheet.json")
        data = read(path).replace(b'"drawn_at":"2026-11-29T10:00:05Z"',
                                  b'"drawn_at":"2026-11-29T10:00:06Z"')
        self.assertNotEqual(data, read(path))
        write(path, data)
        f = self.findings(d)
        self.assertTrue(any("sheet.json.minisig: signature" in x for x in f), f)
        self.assertTrue(any("trusted comment sha256" in x for x in f), f)

    def test_swapped_team_is_found_per_entity(self):
        d = self.copy("team")
        sheet = self.load(d, "sheet.json")
        e = sheet["entities"][0]
        e["officers"].reverse()  # swap lead and second officer
        self.resign(d, "sheet.json", sheet)
        f = self.findings(d)
        self.assertTrue(any(f"(entity {e['id']})" in x and "officers" in x for x in f), f)

    def test_wrong_secret(self):
        d = self.copy("secret")
        sheet = self.load(d, "sheet.json")
        sheet["reveals"][1]["secret"] = "33" * 32
        self.resign(d, "sheet.json", sheet)
        f = self.findings(d)
        self.assertTrue(any("reveals[1].secret" in x for x in f), f)
        self.assertTrue(any("sheet.json: seed" in x for x in f), f)

    def test_changed_input_is_reported_and_stops_the_replay(self):
        d = self.copy("input")
        path = os.path.join(d, "history.csv")
        with open(path, "ab") as fh:
            fh.write(b"91350100M000100Y43,2026-11-01,,\n")
        code, out, _ = self.cli(d)
        self.assertEqual(code, 1)
        self.assertIn("history.csv: 31 rows", out)
        self.assertIn("not checked", out)
        self.assertNotIn("9b. replay of the draw (SPEC", out)

    def test_bad_input_row_names_file_line_field(self):
        d = self.copy("badrow")
        path = os.path.join(d, "entities.csv")
        with open(path, "ab") as fh:
            fh.write("91350100M000100Y44,坏公司,企业,350102,存续,A,,\n".encode())
        code, out, err = self.cli(d)
        self.assertEqual(code, 1)
        self.assertIn("entities.csv: id: line 2", out)  # file, field, line
        self.assertNotIn("Traceback", out + err)

    def test_amendment_tampering(self):
        d = self.copy("amend")
        doc = self.load(d, "amendment-2.json")
        doc["outcome"]["inspector"] = doc["action"]["inspector"]
        doc["inspectors"] = []
        self.resign(d, "amendment-2.json", doc)
        f = self.findings(d)
        self.assertTrue(any("amendment-2.json: outcome" in x for x in f), f)
        self.assertTrue(any("amendment-3.json: previous" in x for x in f), f)

    def test_missing_amendment_and_signature(self):
        d = self.copy("gap")
        os.remove(os.path.join(d, "amendment-2.json"))
        os.remove(os.path.join(d, "amendment-3.json.minisig"))
        f = self.findings(d)
        self.assertTrue(any("amendment-3.json: amendment 2 is missing" in x for x in f), f)
        self.assertTrue(any("amendment-3.json.minisig: missing" in x for x in f), f)

    def test_other_key(self):
        d = self.copy("key")
        other = fixtures.Signer(seed=b"\x08" * 32, key_id=b"\x10" * 8)
        with open(os.path.join(d, "other.pub"), "wb") as fh:
            fh.write(other.public_key_file())
        f = [str(x) for x in Verification(d, key_path=os.path.join(d, "other.pub")).run().findings]
        self.assertTrue(any("announcement.json: key_id" in x for x in f), f)
        self.assertTrue(any("signed by key" in x for x in f), f)

    def test_non_canonical_document(self):
        d = self.copy("canon")
        path = os.path.join(d, "announcement.json")
        data = read(path) + b"\n"
        write(path, data)
        code, out, _ = self.cli(d)
        self.assertEqual(code, 1)
        self.assertIn("announcement.json: not canonical JSON", out)

    def test_without_inputs_says_what_was_not_checked(self):
        d = self.copy("public")
        for name in ("entities.csv", "inspectors.csv", "items.csv", "conflicts.csv",
                     "history.csv", "plan.toml"):
            os.remove(os.path.join(d, name))
        code, out, _ = self.cli(d)
        self.assertEqual(code, 0, out)
        self.assertIn("not checked", out)
        self.assertIn("plan.toml not given", out)

    def test_key_not_named_is_not_verified(self):
        code, out, _ = run_cli(self.base)
        self.assertEqual(code, 6, out)
        self.assertIn("NOT VERIFIED", out)
        self.assertIn("NOT named with --public-key", out)
        self.assertNotIn("\nPASS", out)

    def test_usage_errors_exit_2(self):
        self.assertEqual(run_cli(os.path.join(self.tmp, "nope"))[0], 2)
        d = self.copy("nokey")
        os.remove(os.path.join(d, "organizer.pub"))
        code, _, err = run_cli(d)
        self.assertEqual(code, 2)
        self.assertIn("public key", err)

    def test_stratum_alone(self):
        sheet = self.load(self.base, "sheet.json")
        d = self.copy("stratum")
        from double_random_verify.verify import Verification as V
        v = V(d, key_path=self.key)
        v.run()
        members = v.draw.stratum("C").members
        path = os.path.join(d, "members-C.txt")
        with open(path, "w") as fh:
            fh.write("\n".join(reversed(members)) + "\n")
        amendments = [os.path.join(d, f"amendment-{n}.json") for n in (1, 2, 3, 4)]
        code, out, _ = run_cli("stratum", os.path.join(d, "sheet.json"), "C", path)
        self.assertEqual(code, 0, out)
        with open(path, "w") as fh:
            fh.write("\n".join(members[1:]) + "\n")
        code, out, _ = run_cli("stratum", os.path.join(d, "sheet.json"), "C", path, *sum(
            (["--amendment", a] for a in amendments), []))
        self.assertEqual(code, 1)
        self.assertIn("n = ", out)
        del sheet

    def test_vector_mode(self):
        d = self.copy("vector")
        from double_random_verify.vector import recompute
        with open(os.path.join(d, "seed.hex"), "w") as fh:
            fh.write(self.load(d, "sheet.json")["seed"] + "\n")
        got = recompute(d)
        write(os.path.join(d, "expected.json"), jcs.encode(got) + b"\n")
        self.assertEqual(run_cli("vector", d)[0], 0)
        got["entities"][0]["officers"].reverse()
        write(os.path.join(d, "expected.json"), jcs.encode(got) + b"\n")
        code, out, _ = run_cli("vector", d)
        self.assertEqual(code, 1)
        self.assertIn(f"expected.json: entities (entity {got['entities'][0]['id']}): expected", out)
        got["entities"][0]["officers"].reverse()
        write(os.path.join(d, "expected.json"), json.dumps(got, ensure_ascii=False).encode())
        code, out, _ = run_cli("vector", d)
        self.assertEqual(code, 1)
        self.assertIn("same values, but the bytes", out)
        # expected.json is the canonical JSON followed by exactly one newline (SPEC §15)
        for tail in (b"", b"\n\n", b"\r\n"):
            with self.subTest(tail=tail):
                write(os.path.join(d, "expected.json"), jcs.encode(got) + tail)
                code, out, _ = run_cli("vector", d)
                self.assertEqual(code, 1)
                self.assertIn("same values, but the bytes", out)
        code, out, _ = run_cli("vector", d, "--json")
        self.assertEqual(code, 1)
        self.assertEqual(out.encode(), jcs.encode(got) + b"\n")

    def test_module_entry_point(self):
        proc = subprocess.run([sys.executable, "-m", "double_random_verify", self.base,
                               "--public-key", self.key],
                              cwd=PACKAGE_ROOT, capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)

    def test_office_log_beside_the_folder_is_checked_without_log(self):
        code, out, _ = self.cli(self.base)
        self.assertEqual(code, 0, out)
        self.assertIn("10. the office log", out)
        d = self.copy("autolog")
        os.remove(os.path.join(os.path.dirname(d), "office.log"))
        code, out, _ = self.cli(d)
        self.assertEqual(code, 0, out)
        self.assertIn("no office.log beside or in the folder", out)
        self.assertIn("log: the office log was not checked", out)

    def _legacy_sign(self, d, name, draw_id, comment=None):
        """A legacy minisign signature ("Ed": Ed25519 over the file itself)."""
        import base64
        signer = fixtures.Signer()
        data = read(os.path.join(d, name))
        sig = signer.sk.sign(data)
        comment = comment or f"draw:{draw_id}\tfile:{name}\tsha256:{hashlib.sha256(data).hexdigest()}"
        glob = signer.sk.sign(sig + comment.encode())
        write(os.path.join(d, name + ".minisig"),
              ("untrusted comment: legacy\n" + base64.b64encode(b"Ed" + signer.key_id + sig).decode()
               + f"\ntrusted comment: {comment}\n" + base64.b64encode(glob).decode() + "\n").encode())

    def test_rosters_as_workbooks(self):
        from test_xlsx import csv_to_xlsx
        d = self.copy("xlsx")
        for kind in ("entities", "inspectors"):
            path = os.path.join(d, kind + ".csv")
            write(os.path.join(d, kind + ".xlsx"), csv_to_xlsx(read(path), kind + ".csv"))
            os.remove(path)
        self.assertEqual(self.findings(d), [])
        code, out, _ = self.cli(d)
        self.assertEqual(code, 0, out)
        self.assertIn("9b. replay of the draw", out)
        # SPEC §3.3: only entities and inspectors may be workbooks; history.xlsx is no input
        history = read(os.path.join(d, "history.csv"))
        write(os.path.join(d, "history.xlsx"), csv_to_xlsx(history, "history.csv"))
        os.remove(os.path.join(d, "history.csv"))
        code, out, _ = self.cli(d)
        self.assertEqual(code, 0, out)
        self.assertIn("inputs not given: history.csv", out)
        write(os.path.join(d, "history.csv"), history)
        write(os.path.join(d, "entities.csv"), b"")
        code, out, _ = self.cli(d)
        self.assertEqual(code, 1, out)
        self.assertIn("entities.csv: both entities.csv and entities.xlsx", out)

    def test_legacy_signatures_are_accepted(self):
        d = self.copy("legacy")
        draw_id = self.load(d, "sheet.json")["draw_id"]
        for name in ("announcement.json", "sheet.json", "amendment-1.json"):
            self._legacy_sign(d, name, draw_id)
        self.assertEqual(self.findings(d), [])
        # a legacy signature is still bound to its file ...
        os.replace(os.path.join(d, "amendment-1.json.minisig"), os.path.join(d, "amendment-2.json.minisig"))
        f = self.findings(d)
        self.assertTrue(any("amendment-2.json.minisig: signature: the signature does not verify" in x
                            for x in f), f)
        # ... and its trusted comment to the file's digest
        self._legacy_sign(d, "amendment-2.json", draw_id,
                          f"draw:{draw_id}\tfile:amendment-2.json\tsha256:{'0' * 64}")
        f = self.findings(d)
        self.assertTrue(any("amendment-2.json.minisig: trusted comment sha256" in x for x in f), f)
        self.assertFalse(any("amendment-2.json.minisig: signature" in x for x in f), f)

    def test_trusted_comment_file_is_not_checked_but_the_order_is(self):
        d = self.copy("comment")
        draw_id = self.load(d, "sheet.json")["draw_id"]
        data = read(os.path.join(d, "sheet.json"))
        digest = hashlib.sha256(data).hexdigest()
        signer = fixtures.Signer()
        write(os.path.join(d, "sheet.json.minisig"),
              signer.sign(data, "x", draw_id, f"draw:{draw_id}\tfile:结果.json\tsha256:{digest}"))
        self.assertEqual(self.findings(d), [])
        for comment in (f"file:sheet.json\tdraw:{draw_id}\tsha256:{digest}",
                        f"draw:{draw_id}\tfile:sheet.json\tsha256:{digest}\tnote:x",
                        f"draw:{draw_id}\tsha256:{digest}",
                        f"draw:{draw_id}\tfile\tsha256:{digest}"):
            with self.subTest(comment=comment):
                write(os.path.join(d, "sheet.json.minisig"), signer.sign(data, "x", draw_id, comment))
                f = self.findings(d)
                self.assertTrue(any("sheet.json.minisig: trusted comment:" in x for x in f), f)
        write(os.path.join(d, "sheet.json.minisig"),
              signer.sign(data, "x", draw_id, f"draw:other\tfile:sheet.json\tsha256:{digest}"))
        f = self.findings(d)
        self.assertTrue(any("sheet.json.minisig: trusted comment draw" in x for x in f), f)

    def test_amended_before_the_draw_is_a_finding(self):
        d = self.copy("early")
        doc = self.load(d, "amendment-1.json")
        drawn_at = self.load(d, "sheet.json")["drawn_at"]
        doc["amended_at"] = "2026-11-29T10:00:04Z"  # one second before drawn_at
        self.assertEqual(drawn_at, "2026-11-29T10:00:05Z")
        self.resign(d, "amendment-1.json", doc)
        f = self.findings(d)
        self.assertTrue(any("amendment-1.json: amended_at" in x and "drawn_at" in x for x in f), f)
        doc["amended_at"] = drawn_at  # the same second is fine
        self.resign(d, "amendment-1.json", doc)
        f = self.findings(d)
        self.assertFalse(any("amended_at" in x for x in f), f)

    def test_amendment_that_cannot_be_replayed_is_a_finding(self):
        d = self.copy("unreplayable")
        doc = self.load(d, "amendment-1.json")
        doc["action"]["entity"] = "91350100M000100Y43"  # not on the sheet
        self.resign(d, "amendment-1.json", doc)
        code, out, err = self.cli(d)
        self.assertEqual(code, 1)
        self.assertIn("amendment-1.json: action", out)
        self.assertIn("the replay refuses it", out)
        self.assertNotIn("Traceback", out + err)

    def test_stratum_with_no_member_left(self):
        from double_random_verify import DrawError, amend
        from double_random_verify.draw import Draw
        from double_random_verify.plan import parse_plan
        from double_random_verify.roster import parse_table
        files = fixtures.rosters()
        plan = parse_plan(fixtures.PLAN.replace('C = { count = 4 }', 'C = { ratio = "100%" }').encode())
        tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
                  for k in ["entities", "inspectors", "items", "conflicts", "history"]}
        draw = Draw(plan, tables, b"\x05" * 32)
        sheet = draw.sheet_parts()
        state = amend.State(draw, sheet["entities"])
        stratum_c = next(s for s in sheet["strata"] if s["stratum"] == "C")
        self.assertEqual(stratum_c["k"], stratum_c["n"])
        entity = next(e["id"] for e in sheet["entities"] if e["stratum"] == "C")
        with self.assertRaises(DrawError) as e:
            amend.replay(state, {"entity": entity, "kind": "replace_entity"}, 1,
                         {p["label"]: p["cap"] for p in sheet["pools"]})
        self.assertIn("no member left", str(e.exception))

    def test_reason_code_must_fit_the_action(self):
        d = self.copy("reason")
        for name, code in (("amendment-1.json", "inspector_recused"),
                           ("amendment-2.json", "entity_closed")):
            doc = self.load(d, name)
            doc["reason"]["code"] = code
            self.resign(d, name, doc)
        f = self.findings(d)
        self.assertTrue(any("amendment-1.json: reason.code" in x and "replace_entity" in x for x in f), f)
        self.assertTrue(any("amendment-2.json: reason.code" in x and "replace_inspector" in x
                            for x in f), f)
        # every code of the right kind is accepted
        for code in ("entity_unreachable", "entity_moved_out", "entity_out_of_scope"):
            doc = self.load(d, "amendment-1.json")
            doc["reason"]["code"] = code
            self.resign(d, "amendment-1.json", doc)
            f = self.findings(d)
            self.assertFalse(any("amendment-1.json: reason.code" in x for x in f), f)


class StockMinisign(unittest.TestCase):
    """Interoperability with the stock minisign tool, when it is installed."""

    @unittest.skipUnless(shutil.which("minisign"), "minisign not installed")
    def test_stock_tool_verifies_our_test_signatures_and_we_verify_its(self):
        from double_random_verify import minisign
        with tempfile.TemporaryDirectory() as d:
            signer = fixtures.Signer()
            data = b'{"x":1}'
            for name, content in (("doc.json", data),
                                  ("doc.json.minisig", signer.sign(data, "doc.json", "D1")),
                                  ("k.pub", signer.public_key_file())):
                with open(os.path.join(d, name), "wb") as fh:
                    fh.write(content)
            proc = subprocess.run(["minisign", "-Vm", "doc.json", "-p", "k.pub"], cwd=d,
                                  capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            # a key and a signature made by the stock tool
            proc = subprocess.run(["minisign", "-G", "-W", "-p", "s.pub", "-s", "s.key"], cwd=d,
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                self.skipTest("this minisign cannot make an unencrypted key")
            comment = f"draw:D1\tfile:doc.json\tsha256:{hashlib.sha256(data).hexdigest()}"
            proc = subprocess.run(["minisign", "-S", "-s", "s.key", "-m", "doc.json", "-t", comment],
                                  cwd=d, capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            key = minisign.parse_public_key(read(os.path.join(d, "s.pub")), "s.pub")
            sig = minisign.parse_signature(read(os.path.join(d, "doc.json.minisig")), "m")
            self.assertEqual(minisign.verify(data, sig, key), [])
            self.assertEqual(sig.trusted_comment, comment)
            self.assertNotEqual(minisign.verify(data + b" ", sig, key), [])


if __name__ == "__main__":
    unittest.main()
