import unittest

import fixtures  # noqa: F401
from double_random_verify.normalize import TRIM, code, code_list, fold_width, text, text_list, trim


class Normalisation(unittest.TestCase):
    def test_trim_set(self):
        self.assertEqual(len(TRIM), 27)
        for ch in "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff":
            self.assertIn(ch, TRIM)
        for ch in "\u180e\u2060\x1c\u200c":
            self.assertNotIn(ch, TRIM)

    def test_trim_ends_only(self):
        self.assertEqual(trim("\ufeff\u00a0 a b\u3000\n"), "a b")

    def test_full_width(self):
        self.assertEqual(fold_width("ＡＢＣ１２３！～\u3000"), "ABC123!~ ")
        self.assertEqual(fold_width("中文，"), "中文,")

    def test_text_nfc(self):
        self.assertEqual(text(" e\u0301 "), "\u00e9")
        self.assertEqual(text("\ufeff公司\u00a0"), "公司")
        self.assertEqual(text("Ａ"), "Ａ")  # text() does not fold width

    def test_code(self):
        self.assertEqual(code("\ufeff ｚｆ\u00a0001 x\u200b"), "ZF001X")
        self.assertEqual(code("ß"), "ß")  # ASCII letters only

    def test_lists(self):
        self.assertEqual(text_list(" b ；a、b|c;; "), ["a", "b", "c"])
        self.assertEqual(code_list("zf2;ＺＦ1、zf2"), ["ZF1", "ZF2"])
        self.assertEqual(text_list(""), [])


if __name__ == "__main__":
    unittest.main()
