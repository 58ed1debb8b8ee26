"""Algorithm v2: beacons, commitments, rankings, recusal cap, the log, fork proofs (SPEC §8-§12)."""

import hashlib
import io
import json
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

import fixtures
from double_random_verify import DrawError, amend, ceremony, jcs, minisign
from double_random_verify import __main__ as cli
from double_random_verify.draw import Draw
from double_random_verify.log import check_fork_proof
from double_random_verify.plan import parse_plan
from double_random_verify.rng import Stream, sample
from double_random_verify.roster import parse_table
from double_random_verify.verify import Verification

SSQ = fixtures.SSQ


def load(path):
    with open(path, "rb") as fh:
        return json.loads(fh.read())


def findings(d, key, **kw):
    return [str(f) for f in Verification(d, key_path=key, **kw).run().findings]


def run_cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


class BeaconReader(unittest.TestCase):
    """SPEC §8.4.2: every spelling of the same integers gives one value; anything else refused."""

    CANONICAL = [[3, 9, 14, 21, 26, 31], [7]]

    def test_spellings_give_one_value(self):
        for text in ("03 09 14 21 26 31 + 07", "3,9,14,21,26,31|7", "31 26 21 14 09 03 / 07",
                     "０３，０９，１４，２１，２６，３１＋０７",  # full width digits and separators
                     "003-009-014-021-026-031-0007",  # leading zeros
                     "03、09、14、21、26、31。07", "\u3000 3;9;14;21;26;31 \t 7\n",
                     "03\u00a009\u200b14 21 26 31 7"):
            with self.subTest(text=text):
                self.assertEqual(ceremony.read_typed_beacon(text, SSQ), self.CANONICAL)
        self.assertEqual(jcs.encode(self.CANONICAL), b"[[3,9,14,21,26,31],[7]]")

    def test_refused(self):
        for text, why in (("03 09 14 21 26 31 + O7", "'O'"),          # a letter
                          ("03 09 14 21 26 31 . 07", "'.'"),          # a dot
                          ("03 09 14 21 26 31 + 七", "'七'"),          # a Chinese numeral
                          ("03 09 14 21 26 31 + ٧", "'٧'"),           # another script's digit
                          ("03 09 14 21 26 31", "6 integers"),       # too few
                          ("03 09 14 21 26 31 07 08", "8 integers"),  # too many
                          ("03 09 14 21 26 34 + 07", "34 is outside"),  # out of range
                          ("03 09 14 21 26 31 + 17", "17 is outside"),
                          ("03 09 14 21 26 26 + 07", "26 appears twice"),  # repeat
                          ("0000000003 09 14 21 26 31 07", "more than 9 digits")):
            with self.subTest(text=text):
                with self.assertRaises(ceremony.BeaconValueError) as e:
                    ceremony.read_typed_beacon(text, SSQ)
                self.assertIn(why, str(e.exception))

    def test_ordered_group_keeps_the_typed_order(self):
        shape = [{"count": 3, "distinct": False, "max": 9, "min": 0, "ordered": True}]
        self.assertEqual(ceremony.read_typed_beacon("9 0 9", shape), [[9, 0, 9]])

    def test_recorded_value(self):
        ceremony.check_recorded_beacon(self.CANONICAL, SSQ)
        for groups, why in (([[9, 3, 14, 21, 26, 31], [7]], "ascending"),
                            ([[3, 9, 14, 21, 26], [7, 8]], "group 1 has 5"),
                            ([[3, 9, 14, 21, 26, 31]], "1 groups"),
                            ([[3, 3, 14, 21, 26, 31], [7]], "appears twice"),
                            ([[3, 9, 14, 21, 26, 31], [0]], "outside")):
            with self.subTest(groups=groups):
                with self.assertRaises(ceremony.BeaconValueError) as e:
                    ceremony.check_recorded_beacon(groups, SSQ)
                self.assertIn(why, str(e.exception))

    def test_announced_shape(self):
        good = {"kind": "external", "description": "双色球", "source": "cwl.gov.cn",
                "published_at": "2026-11-29T13:30:00Z", "groups": SSQ}
        self.assertEqual(ceremony.check_announced_beacon(good), [])
        for change, field in (({"description": " \u3000"}, "beacon.description"),
                              ({"groups": []}, "beacon.groups"),
                              ({"groups": [dict(SSQ[0], count=65)]}, "beacon.groups[0].count"),
                              ({"groups": [dict(SSQ[0], count=34)]}, "beacon.groups[0]"),
                              ({"groups": [dict(SSQ[0], max=1000000000)]}, "beacon.groups[0]"),
                              ({"groups": [dict(SSQ[0], min=40)]}, "beacon.groups[0]")):
            with self.subTest(change=change):
                got = ceremony.check_announced_beacon({**good, **change})
                self.assertIn(field, [f for f, _ in got])

    def test_known_drand_chain_fields(self):
        b = {"kind": "drand", "chain_hash": fixtures.QUICKNET, "period_seconds": 3,
             "public_key": ceremony.KNOWN_DRAND_CHAINS[fixtures.QUICKNET]["public_key"],
             "scheme": "bls-unchained-g1-rfc9380", "genesis_time": 1692803367, "round": 1}
        self.assertEqual(ceremony.check_announced_beacon(b), [])
        got = ceremony.check_announced_beacon({**b, "period_seconds": 30})
        self.assertEqual([f for f, _ in got], ["beacon.period_seconds"])


class Shapes(unittest.TestCase):
    def test_object_where_a_kind_belongs_is_a_finding(self):
        from double_random_verify.ceremony import AMENDMENT, LOG_ENTRY, check_shape
        for value in ({}, [[]], 3):
            problems = []
            check_shape({"kind": value}, LOG_ENTRY, "", problems)
            self.assertIn(("kind", "must be one of amendment, announcement, sheet, void"), problems)
            problems = []
            check_shape({"outcome": {"kind": value}}, AMENDMENT, "", problems)
            self.assertIn("outcome.kind", [f for f, _ in problems])


class Commitments(unittest.TestCase):
    def test_bound_to_draw_and_party(self):
        secret = b"\x22" * 32
        c = ceremony.commitment("D-1", "公证处", secret)
        self.assertNotEqual(c, ceremony.commitment("D-2", "公证处", secret))
        self.assertNotEqual(c, ceremony.commitment("D-1", "公证员", secret))
        # Framed("double-random/v2/commit", draw id, party, secret), spelled out
        parts = [b"double-random/v2/commit", b"D-1", "公证处".encode(), secret]
        framed = b"".join(len(p).to_bytes(8, "big") + p for p in parts)
        self.assertEqual(c, hashlib.sha256(framed).digest())

    def test_seed_with_external_beacon(self):
        value = {"kind": "external", "groups": [[3, 9, 14, 21, 26, 31], [7]]}
        b = ceremony.beacon_bytes(value)
        self.assertEqual(b, b"[[3,9,14,21,26,31],[7]]")
        parts = [b"double-random/v2/seed", b"\x01" * 32, (1).to_bytes(8, "big"), b"\x02" * 32, b]
        framed = b"".join(len(p).to_bytes(8, "big") + p for p in parts)
        self.assertEqual(ceremony.seed(b"\x01" * 32, [b"\x02" * 32], b),
                         hashlib.sha256(framed).digest())


def small_draw(plan_text=fixtures.PLAN, seed=b"\x05" * 32):
    files = fixtures.rosters()
    plan = parse_plan(plan_text.encode())
    tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
              for k in ["entities", "inspectors", "items", "conflicts", "history"]}
    return Draw(plan, tables, seed)


class Rankings(unittest.TestCase):
    def test_ranking_is_the_sampler_on_the_entity_stream(self):
        draw = small_draw()
        pool = draw.pools[0]
        entity = draw.drawn[0]
        got = amend.ranking(draw.seed, pool, entity)
        n = len(pool.members)
        want = [pool.members[i] for i in sample(Stream(draw.seed, f"rank/officers/{entity}"), n, n)]
        self.assertEqual(got, want)
        self.assertEqual(sorted(got), pool.members)  # a permutation of the members
        self.assertEqual(amend.ranking(draw.seed, pool, entity, 3), got[:3])  # prefix-stable
        self.assertNotEqual(got, amend.ranking(draw.seed, pool, draw.drawn[1]))

    def test_recusal_takes_the_first_available_of_the_ranking(self):
        draw = small_draw()
        state = amend.State(draw, draw.sheet_parts()["entities"])
        entity = draw.drawn[0]
        pool = draw.pools[0]
        recused = state.teams[entity]["officers"][0]
        load = state.load(pool)
        cap = state.cap(pool)
        expected = next(m for m in amend.ranking(draw.seed, pool, entity)
                        if m not in state.teams[entity]["officers"] and m != recused
                        and draw.exclusions.eligible(m, entity) and load.get(m, 0) < cap)
        outcome, inspectors = amend.replay(
            state, {"entity": entity, "inspector": recused, "kind": "replace_inspector"})
        self.assertEqual(outcome, {"inspector": expected, "kind": "replace_inspector"})
        self.assertEqual(state.teams[entity]["officers"][0], expected)  # in the recused one's place
        self.assertEqual(inspectors[0]["id"], expected)

    def test_replacement_team_comes_from_its_rankings(self):
        draw = small_draw()
        state = amend.State(draw, draw.sheet_parts()["entities"])
        entity = draw.drawn[0]
        outcome, _ = amend.replay(state, {"entity": entity, "kind": "replace_entity"})
        new = outcome["entity"]["id"]
        self.assertNotIn(entity, state.teams)
        for pool in draw.pools:
            team = state.teams[new][pool.label]
            self.assertEqual(len(team), pool.per_entity)
            ranked = amend.ranking(draw.seed, pool, new)
            # the first members of the ranking, skipping only unavailable ones
            self.assertEqual([m for m in ranked if m in team], team)
            positions = [ranked.index(m) for m in team]
            self.assertEqual(positions, sorted(positions))

    def test_recusal_cap(self):
        for cap in (0, 1, 2):
            with self.subTest(cap=cap):
                draw = small_draw(fixtures.PLAN.replace("experts = 1",
                                                        f"experts = 1\nrecusal_cap = {cap}"))
                self.assertEqual(draw.plan["team"]["recusal_cap"], cap)
                state = amend.State(draw, draw.sheet_parts()["entities"])
                entity = draw.drawn[0]
                for n in range(cap):
                    amend.replay(state, {"entity": entity, "kind": "replace_inspector",
                                         "inspector": state.teams[entity]["officers"][1]})
                with self.assertRaises(DrawError) as e:
                    amend.replay(state, {"entity": entity, "kind": "replace_inspector",
                                         "inspector": state.teams[entity]["officers"][1]})
                self.assertIn(f"recusal_cap is {cap}", str(e.exception))
                # another entity still has its own allowance
                if cap:
                    other = draw.drawn[1]
                    amend.replay(state, {"entity": other, "kind": "replace_inspector",
                                         "inspector": state.teams[other]["officers"][0]})


class Office(unittest.TestCase):
    """Whole offices: MARGIN, the log rules, the published folder, voids, supersedes."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="dr-v2-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def key(self, root):
        return os.path.join(root, "organizer.pub")

    def test_recusal_cap_in_a_published_draw(self):
        capped = fixtures.PLAN.replace("experts = 1", "experts = 1\nrecusal_cap = 1").encode()
        for n, plan in enumerate((capped, fixtures.PLAN.encode())):
            files = fixtures.rosters()
            files["plan.toml"] = plan
            d = fixtures.make_ceremony(os.path.join(self.tmp, f"first{n}"), files=files)
            entity = load(os.path.join(d, "sheet.json"))["entities"][0]["id"]
            root = os.path.join(self.tmp, f"o{n}")
            if plan == capped:  # the ceremony refuses a second recusal on one entity
                with self.assertRaises(DrawError):
                    fixtures.make_ceremony(root, files=files,
                                           amendments=[("r", entity), ("r", entity)])
                continue
            # signed by an office whose plan allows 2: verified against a plan allowing 1
            d = fixtures.make_ceremony(root, files=files, amendments=[("r", entity), ("r", entity)])
            self.assertEqual(findings(d, self.key(root)), [])
            with open(os.path.join(d, "plan.toml"), "wb") as fh:
                fh.write(capped)
            f = findings(d, self.key(root))
            self.assertTrue(any("amendment-2.json: action" in x and "recusal_cap is 1" in x
                                for x in f), f)
            self.assertFalse(any("amendment-1.json: action" in x for x in f), f)

    def test_beacon_within_margin_is_a_finding(self):
        root = os.path.join(self.tmp, "m")
        d = fixtures.make_ceremony(root)
        ann = load(os.path.join(d, "announcement.json"))
        ann["beacon"]["published_at"] = fixtures.utc(fixtures.BASE_TIME + 299)
        data = jcs.encode(ann)
        with open(os.path.join(d, "announcement.json"), "wb") as fh:
            fh.write(data)
        f = findings(d, self.key(root))
        self.assertTrue(any("announcement.json: beacon" in x and "MARGIN" in x for x in f), f)

    def test_second_announcement_of_a_pending_task(self):
        root = os.path.join(self.tmp, "p")
        d = fixtures.make_ceremony(root)
        office = fixtures.Office(root)
        files = fixtures.rosters()
        plan = parse_plan(files["plan.toml"])
        tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
                  for k in ["entities", "inspectors", "items", "conflicts", "history"]}
        # a second draw of the same task while the first is drawn: refused by §12.2
        fixtures.announce(office, plan, tables, "SC-2026-07-2", t0=fixtures.BASE_TIME + 86400)
        f = findings(d, self.key(root))
        self.assertTrue(any("announced while draw 'SC-2026-07-1' of the same task is drawn" in x
                            for x in f), f)
        # pending draws are reported only when strict
        self.assertFalse(any("pending" in x for x in f), f)
        f = findings(d, self.key(root), strict=True)
        self.assertTrue(any("'SC-2026-07-2' is announced but has neither sheet nor void" in x
                            for x in f), f)
        # and a third announcement while the second is pending
        fixtures.announce(office, plan, tables, "SC-2026-07-3", t0=fixtures.BASE_TIME + 2 * 86400)
        f = findings(d, self.key(root))
        self.assertTrue(any("'SC-2026-07-2' of the same task is pending" in x for x in f), f)

    def test_void_then_a_new_draw_that_supersedes_it(self):
        root = os.path.join(self.tmp, "v")
        office = fixtures.Office(root)
        files = fixtures.rosters()
        plan = parse_plan(files["plan.toml"])
        tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
                  for k in ["entities", "inspectors", "items", "conflicts", "history"]}
        ann, ann_bytes, _, _ = fixtures.announce(office, plan, tables, "SC-2026-07-0",
                                                 t0=fixtures.BASE_TIME - 86400)
        void_bytes = fixtures.void(office, plan, ann, ann_bytes)
        void_digest = hashlib.sha256(void_bytes).hexdigest()
        d = fixtures.make_ceremony(root, office=office, supersedes=void_digest)
        code, out, _ = run_cli(d, "--public-key", self.key(root))
        self.assertEqual(code, 0, out)
        self.assertIn("SC-2026-07-0: void (secret_not_revealed)", out)
        self.assertIn(f"supersedes void {void_digest}", out)
        # the voided draw verifies on its own
        voided = os.path.join(root, "SC-2026-07-0")
        code, out, _ = run_cli(voided, "--public-key", self.key(root))
        self.assertEqual(code, 0, out)
        self.assertIn("this draw was VOIDED", out)
        # a wrong supersedes is a finding
        ann2 = load(os.path.join(d, "announcement.json"))
        ann2["supersedes"] = None
        with open(os.path.join(d, "announcement.json"), "wb") as fh:
            fh.write(jcs.encode(ann2))
        f = findings(d, self.key(root))
        self.assertTrue(any("announcement.json: supersedes" in x for x in f), f)

    def test_reused_secret_is_a_finding(self):
        root = os.path.join(self.tmp, "r")
        office = fixtures.Office(root)
        files = fixtures.rosters()
        plan = parse_plan(files["plan.toml"])
        tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
                  for k in ["entities", "inspectors", "items", "conflicts", "history"]}
        first = fixtures.make_ceremony(root, office=office, draw_id="OTHER-1")
        # the other draw has another task, so only the secrets tie them
        files2 = dict(files)
        files2["plan.toml"] = fixtures.PLAN.replace('task_id = "T-07"', 'task_id = "T-08"').encode()
        d = fixtures.make_ceremony(root, files=files2, office=office, draw_id="SC-2026-07-1",
                                   t0=fixtures.BASE_TIME + 86400)
        del tables, plan, first
        f = findings(d, self.key(root))
        self.assertTrue(any("was revealed before, in the sheet of 'OTHER-1'" in x for x in f), f)

    def test_decreasing_time_and_missing_document(self):
        root = os.path.join(self.tmp, "t")
        d = fixtures.make_ceremony(root, amendments=["inspector"])
        log = os.path.join(root, "office.log")
        with open(log, "rb") as fh:
            lines = fh.read().split(b"\n")[:-1]
        entry = json.loads(lines[2])
        entry["time"] = "2026-11-29T08:00:00Z"  # before the sheet's time
        entry["prev"] = hashlib.sha256(lines[1]).hexdigest()
        lines[2] = jcs.encode(entry)
        with open(log, "wb") as fh:
            fh.write(b"".join(x + b"\n" for x in lines))
        os.remove(os.path.join(d, "amendment-1.json"))
        f = findings(d, self.key(root))
        self.assertTrue(any("line 3: time" in x and "never decrease" in x for x in f), f)
        self.assertTrue(any("records SC-2026-07-1/amendment-1.json, which is not published" in x
                            for x in f), f)

    def test_document_recorded_at_another_position(self):
        root = os.path.join(self.tmp, "q")
        d = fixtures.make_ceremony(root)
        sheet = load(os.path.join(d, "sheet.json"))
        sheet["log"]["seq"] = 1
        with open(os.path.join(d, "sheet.json"), "wb") as fh:
            fh.write(jcs.encode(sheet))
        f = findings(d, self.key(root))
        self.assertTrue(any("sheet.json: log.seq" in x for x in f), f)


class ForkProofs(unittest.TestCase):
    def setUp(self):
        self.signer = fixtures.Signer()
        self.key = minisign.parse_public_key(self.signer.public_key_file(), "k")
        self.tmp = tempfile.mkdtemp(prefix="dr-fork-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def statement(self, office, path):
        with open(path, encoding="utf-8") as fh:
            document = fh.read()
        with open(path + ".minisig", encoding="utf-8") as fh:
            signature = fh.read()
        return {"document": document, "file": os.path.basename(path), "signature": signature}

    def proof(self, statements, lines=(), first=1):
        return jcs.encode({"first_line": first, "format": "double-random/fork-proof",
                           "lines": list(lines), "statements": statements, "version": "v2"})

    def two_offices(self):
        """Two logs signed by one key that agree on line 1 and fork at line 2."""
        a = fixtures.Office(os.path.join(self.tmp, "a"), self.signer)
        b = fixtures.Office(os.path.join(self.tmp, "b"), self.signer)
        task = {"batch": "", "plan_id": "P", "task_id": "T"}
        first = {"document": "11" * 32, "draw_id": "D1", "kind": "announcement", "prev": None,
                 "seq": 1, "task": task, "time": "2026-11-29T08:00:00Z"}
        a.append(first)
        b.append(first)
        for office, digest in ((a, "22" * 32), (b, "33" * 32)):
            office.append({"document": digest, "draw_id": "D1", "kind": "sheet",
                           "prev": hashlib.sha256(office.lines[0]).hexdigest(), "seq": 2,
                           "task": task, "time": "2026-11-29T10:00:00Z"})
        return a, b

    def test_two_checkpoints_of_one_size(self):
        a, b = self.two_offices()
        sa = self.statement(a, os.path.join(a.root, "checkpoints", "checkpoint-2.json"))
        sb = self.statement(b, os.path.join(b.root, "checkpoints", "checkpoint-2.json"))
        valid, why = check_fork_proof(self.proof([sa, sb]), self.key)
        self.assertTrue(valid, why)
        self.assertIn("line 2", why[0])
        # the same checkpoint twice is no fork
        valid, _ = check_fork_proof(self.proof([sa, sa]), self.key)
        self.assertFalse(valid)
        # line 1 is common to both: checkpoint-1 of each agree
        c1 = self.statement(a, os.path.join(a.root, "checkpoints", "checkpoint-1.json"))
        valid, _ = check_fork_proof(self.proof([c1, sb]), self.key)
        self.assertFalse(valid)
        # a signature by another key proves nothing
        other = minisign.parse_public_key(fixtures.Signer(b"\x09" * 32, b"\x02" * 8)
                                          .public_key_file(), "o")
        valid, why = check_fork_proof(self.proof([sa, sb]), other)
        self.assertFalse(valid)
        # the command line
        path = os.path.join(self.tmp, "fork.json")
        with open(path, "wb") as fh:
            fh.write(self.proof([sa, sb]))
        key_path = os.path.join(a.root, "organizer.pub")
        code, out, _ = run_cli("fork", path, "--public-key", key_path)
        self.assertEqual(code, 0, out)
        self.assertIn("VALID fork proof", out)

    def test_document_contradicting_lines_anchored_to_a_checkpoint(self):
        a, b = self.two_offices()
        # office b signs a document at position 3 of its own history
        doc = {"announcement": "44" * 32, "draw_id": "D1", "format": "double-random/void",
               "reason": {"code": "other", "text": "x"}, "version": "v2",
               "voided_at": "2026-11-29T11:00:00Z"}
        b.publish("D1", "void.json", doc, "void", doc["voided_at"],
                  {"batch": "", "plan_id": "P", "task_id": "T"}, log=False)
        sb = self.statement(b, os.path.join(b.root, "D1", "void.json"))
        # a's lines 1-2, anchored to a's checkpoint-2; b's void claims line 2 hashes otherwise
        sa = self.statement(a, os.path.join(a.root, "checkpoints", "checkpoint-2.json"))
        lines = [x.decode() for x in a.lines]
        valid, why = check_fork_proof(self.proof([sa, sb], lines, 1), self.key)
        self.assertTrue(valid, why)
        # b's own lines are consistent with b's void: no fork
        sb2 = self.statement(b, os.path.join(b.root, "checkpoints", "checkpoint-2.json"))
        valid, why = check_fork_proof(self.proof([sb2, sb], [x.decode() for x in b.lines], 1),
                                      self.key)
        self.assertFalse(valid, why)
        # lines whose chain is broken prove nothing
        broken = [lines[0], lines[1].replace("2026-11-29T10", "2026-11-29T09")]
        valid, why = check_fork_proof(self.proof([sa, sb], broken[1:], 2), self.key)
        self.assertFalse(valid, why)

    def test_two_announcements_of_one_draw(self):
        a = fixtures.Office(os.path.join(self.tmp, "c"), self.signer)
        task = {"batch": "", "plan_id": "P", "task_id": "T"}
        stmts = []
        for n, when in enumerate(("2026-11-29T08:00:00Z", "2026-11-29T08:00:01Z")):
            doc = {"announced_at": when, "draw_id": "D9", "format": "double-random/announcement",
                   "version": "v2"}
            a.lines = [b"x"] * 4  # both at position 5, same prev
            a.publish("D9", f"a{n}.json", doc, "announcement", when, task, log=False)
            stmts.append(self.statement(a, os.path.join(a.root, "D9", f"a{n}.json")))
        valid, why = check_fork_proof(self.proof(stmts), self.key)
        self.assertTrue(valid, why)
        self.assertIn("different documents at line 5", why[0])


if __name__ == "__main__":
    unittest.main()
