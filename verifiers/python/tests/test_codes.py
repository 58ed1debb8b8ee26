import datetime
import random
import unittest

import fixtures  # noqa: F401
from double_random_verify import InputError, codes


class Uscc(unittest.TestCase):
    def test_spec_example(self):
        self.assertEqual(codes.uscc_check_char("91350100M000100Y4"), "3")
        self.assertEqual(codes.entity_id("91350100M000100Y43"), "91350100M000100Y43")

    def test_normalised_before_checking(self):
        self.assertEqual(codes.entity_id(" ９１３５０１００ｍ０００１００ｙ４３\u00a0"), "91350100M000100Y43")

    def test_wrong_check_character(self):
        with self.assertRaises(InputError) as e:
            codes.entity_id("91350100M000100Y44")
        self.assertIn("'3'", str(e.exception))

    def test_letters_outside_the_charset(self):
        for bad in ("I", "O", "S", "V", "Z"):
            with self.assertRaises(InputError):
                codes.entity_id("91350100M000100" + bad + "4" + "3")

    def test_single_substitution_is_always_detected(self):
        rnd = random.Random(5)
        for _ in range(200):
            body = "".join(rnd.choice(codes.USCC_CHARSET) for _ in range(17))
            full = body + codes.uscc_check_char(body)
            codes.entity_id(full)
            pos = rnd.randrange(18)
            other = rnd.choice(codes.USCC_CHARSET.replace(full[pos], ""))
            with self.assertRaises(InputError):
                codes.entity_id(full[:pos] + other + full[pos + 1:])

    def test_org_code_warning_only(self):
        self.assertIsNone(codes.org_code_warning("91350100M000100Y43"))
        self.assertIsNotNone(codes.org_code_warning("91350100M000100X4" + codes.uscc_check_char("91350100M000100X4")))


class RegistrationNumber(unittest.TestCase):
    def test_mod_11_10_by_hand(self):
        # P=10; 0: S=10, P=9; 7: S=6, P=1; 9: S=10, P=9; 4: S=3, P=6; check (11-6) mod 10 = 5
        self.assertEqual(codes.mod11_10_check_digit("0794"), "5")

    def test_valid_and_invalid(self):
        body = "11010800000001"
        good = body + codes.mod11_10_check_digit(body)
        self.assertEqual(codes.entity_id(good), good)
        for pos in range(15):
            for d in "0123456789":
                if d != good[pos]:
                    with self.assertRaises(InputError):
                        codes.entity_id(good[:pos] + d + good[pos + 1:])

    def test_not_digits(self):
        with self.assertRaises(InputError):
            codes.entity_id("11010800000001A")


class OtherCodes(unittest.TestCase):
    def test_other_lengths_and_scientific_notation(self):
        for bad in ("", "123", "9.13501E+17", "9,13501E17", "91350100M000100Y4"):
            with self.assertRaises(InputError):
                codes.entity_id(bad)
        with self.assertRaises(InputError) as e:
            codes.entity_id("9.13501E+17")
        self.assertIn("scientific", str(e.exception))

    def test_region(self):
        self.assertEqual(codes.region("３５０１０２"), "350102")
        for bad in ("050102", "950102", "35010", "3501022", "35010a"):
            with self.assertRaises(InputError):
                codes.region(bad)

    def test_industry(self):
        self.assertEqual(codes.industry("1311"), "C1311")
        self.assertEqual(codes.industry("c13"), "C13")
        self.assertEqual(codes.industry("Ｆ５２"), "F52")
        self.assertEqual(codes.industry("A"), "A")
        self.assertEqual(codes.industry("97"), "T97")
        self.assertEqual(codes.industry(""), "")
        for bad in ("A13", "00", "98", "1", "13111", "U", "C1"):
            with self.assertRaises(InputError):
                codes.industry(bad)

    def test_dates(self):
        d = datetime.date(2026, 3, 5)
        self.assertEqual(codes.date("2026-03-05"), d)
        self.assertEqual(codes.date("2026/03/05"), d)
        self.assertEqual(codes.date("2026年3月5日"), d)
        self.assertEqual(codes.date("2026年03月05日"), d)
        for bad in ("2026-02-30", "2026-3-5", "26-03-05", "2026.03.05", ""):
            with self.assertRaises(InputError):
                codes.date(bad)

    def test_vocabularies(self):
        self.assertEqual(codes.vocab(codes.ENTITY_STATUS, "Canceled", "s"), "cancelled")
        self.assertEqual(codes.vocab(codes.ENTITY_STATUS, " 吊销未注销 ", "s"), "revoked")
        self.assertEqual(codes.vocab(codes.RISK_CLASS, "b类", "r"), "B")
        self.assertIsNone(codes.vocab(codes.RISK_CLASS, "", "r"))
        self.assertEqual(codes.vocab(codes.INSPECTOR_KIND, "", "k"), "officer")
        self.assertEqual(codes.vocab(codes.INSPECTOR_STATUS, "", "k"), "on_duty")
        self.assertEqual(codes.vocab(codes.HISTORY_KIND, "投诉举报", "k"), "case")
        self.assertIs(codes.vocab(codes.BOOLEAN, "YES", "b"), True)
        self.assertIs(codes.vocab(codes.BOOLEAN, "", "b"), False)
        with self.assertRaises(InputError):
            codes.vocab(codes.ENTITY_KIND, "", "k")
        with self.assertRaises(InputError):
            codes.vocab(codes.ITEM_CATEGORY, "普通", "c")


if __name__ == "__main__":
    unittest.main()
