"""RFC 3161 timestamp tokens over the announcement (SPEC §8.5, §8.6), made by `openssl ts`."""

import os
import shutil
import tempfile
import time
import unittest

import fixtures
import tsa
from double_random_verify import timestamp
from double_random_verify.verify import Verification


@unittest.skipUnless(tsa.available(), "openssl not installed")
class Tokens(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="dr-tsa-")
        cls.tsa = tsa.Tsa(os.path.join(cls.tmp, "tsa"))
        cls.other = tsa.Tsa(os.path.join(cls.tmp, "other"), name="Other TSA", key="ec")
        # announced now, so that the token's genTime is MARGIN before the beacon (now + 1 h)
        cls.t0 = int(time.time()) - 60
        cls.office = os.path.join(cls.tmp, "office")
        cls.draw = fixtures.make_ceremony(cls.office, t0=cls.t0)
        cls.ann = os.path.join(cls.draw, "announcement.json")
        cls.key = os.path.join(cls.office, "organizer.pub")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def verify(self, token, certs):
        shutil.copy(token, self.ann + ".tsr")
        try:
            v = Verification(self.draw, key_path=self.key, tsa_certs=certs)
            return v.run()
        finally:
            os.remove(self.ann + ".tsr")

    def token(self, name, tsa_=None, data=None, **kw):
        out = os.path.join(self.tmp, name)
        return (tsa_ or self.tsa).stamp(data or self.ann, out, **kw)

    def test_ok_token_proves_the_time(self):
        for token_only in (False, True):  # a TimeStampResp, or the bare token
            with self.subTest(token_only=token_only):
                report = self.verify(self.token(f"ok{token_only}.tsr", token_only=token_only),
                                     [self.tsa.ca_cert])
                self.assertTrue(report.passed, "\n".join(report.lines()))
                text = "\n".join(report.lines())
                self.assertIn("announced before it: PROVEN by a timestamp token of CN=Test TSA", text)
        # trusting the TSA certificate itself works as well
        report = self.verify(self.token("ok2.tsr"), [self.tsa.tsa_cert])
        self.assertTrue(report.passed, "\n".join(report.lines()))

    def test_without_a_named_certificate_the_time_is_not_proven(self):
        report = self.verify(self.token("ok3.tsr"), [])
        self.assertTrue(report.passed)
        text = "\n".join(report.lines())
        self.assertIn("time not proven", text)
        self.assertIn("the office's own claim (the token was not checked: no --tsa-cert)", text)
        # and nothing else of the token is checked: garbage gives no finding either
        garbage = os.path.join(self.tmp, "garbage.tsr")
        with open(garbage, "wb") as fh:
            fh.write(b"\x30\x03\x02\x01")
        self.assertTrue(self.verify(garbage, []).passed)

    def test_token_over_another_file(self):
        other = os.path.join(self.tmp, "other.json")
        with open(other, "wb") as fh:
            fh.write(b'{"x":1}')
        report = self.verify(self.token("another.tsr", data=other), [self.tsa.ca_cert])
        f = [str(x) for x in report.findings]
        self.assertTrue(any("announcement.json.tsr: rule 2 imprint" in x and "another file" in x
                            for x in f), f)

    def test_untrusted_tsa(self):
        report = self.verify(self.token("untrusted.tsr", self.other), [self.tsa.ca_cert])
        f = [str(x) for x in report.findings]
        self.assertTrue(any("rule 5 trust" in x for x in f), f)
        self.assertIn("the office's own claim (the timestamp token does not prove it)",
                      "\n".join(report.lines()))
        # the same token with its own CA named: ECDSA P-256 signature accepted
        report = self.verify(self.token("ec.tsr", self.other), [self.other.ca_cert])
        self.assertTrue(report.passed, "\n".join(report.lines()))

    def test_backdated_announcement(self):
        """A token made now over an announcement whose beacon was public long ago (§8.5)."""
        office = os.path.join(self.tmp, "old")
        d = fixtures.make_ceremony(office)  # announced 2026-11-29, beacon an hour later
        ann = os.path.join(d, "announcement.json")
        self.tsa.stamp(ann, ann + ".tsr")
        report = Verification(d, key_path=os.path.join(office, "organizer.pub"),
                              tsa_certs=[self.tsa.ca_cert]).run()
        f = [str(x) for x in report.findings]
        self.assertTrue(any("announcement.json.tsr: genTime" in x and "MARGIN" in x for x in f), f)

    def test_broken_tokens_are_findings_not_crashes(self):
        with open(self.token("cut.tsr"), "rb") as fh:
            data = fh.read()
        with open(self.ann, "rb") as fh:
            anns = fh.read()
        with open(self.tsa.ca_cert, "rb") as fh:
            certs = timestamp.load_certificates(fh.read(), "ca")
        for cut in (0, 1, 10, len(data) // 2, len(data) - 1):
            gen, _, problems = timestamp.check_token(data[:cut], anns, certs)
            self.assertIsNone(gen)
            self.assertTrue(problems)
        # one flipped byte in the signature breaks rule 3
        flipped = bytearray(data)
        flipped[-300] ^= 1
        gen, _, problems = timestamp.check_token(bytes(flipped), anns, certs)
        self.assertIsNone(gen)
        self.assertTrue(problems)


if __name__ == "__main__":
    unittest.main()
