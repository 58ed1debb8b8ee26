import unittest

import fixtures  # noqa: F401
from double_random_verify import InputError
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


class Names(unittest.TestCase):
    """SPEC §3.6: the same names refused as the Rust `names::check`, for the same reason."""

    def test_look_alike_draw_ids_are_refused(self):
        from double_random_verify.normalize import name_problem
        self.assertIsNone(name_problem("draw id", "GY-2026-01"))
        for ch, why in [("\u200B", "format"), ("\u2060", "format"), ("\uFEFF", "format"),
                        ("\u00AD", "format"), ("\u202E", "bidi"), ("\u200F", "bidi"),
                        ("\u2066", "bidi"), ("\u0007", "control"), ("\uE000", "private use"),
                        ("\u0378", "unassigned"), ("\u00A0", "space"), ("\u3000", "space"),
                        ("\u2028", "space"), ("\u2013", "dash"), ("/", "not allowed"),
                        ("\\", "not allowed"), (":", "not allowed"), ("\u00B7", "not allowed")]:
            with self.subTest(ch=f"U+{ord(ch):04X}"):
                self.assertEqual(name_problem("draw id", f"GY-2026-01{ch}1"),
                                 ("character", ch, 11, why))
        for dash in "\u2010\u2011\u2012\u2014\u2015\uFE63":
            self.assertEqual(name_problem("draw id", f"GY{dash}2026"), ("character", dash, 3, "dash"))

    def test_letters_digits_and_marks_of_any_script(self):
        from double_random_verify.normalize import name_problem
        for ok in ["抽查-2026_01.1", "ئۇيغۇر", "བོད", "Ñandú", "\u00e9x", "कि", "١٢٣",
                   "ab\u0308", "q\u0323\u0308"]:
            self.assertIsNone(name_problem("draw id", ok), ok)
        self.assertEqual(name_problem("draw id", "a\u0308"), ("not NFC",))
        self.assertEqual(name_problem("draw id", "q\u0308\u0323"), ("not NFC",))
        self.assertEqual(name_problem("draw id", "1\u0301"), ("character", "\u0301", 2, "lone mark"))
        self.assertEqual(name_problem("draw id", "\u0301a"), ("character", "\u0301", 1, "lone mark"))
        self.assertIsNone(name_problem("party name", "阿卜杜拉·艾则孜"))
        self.assertIsNone(name_problem("party name", "Witness A"))
        self.assertEqual(name_problem("party name", "Witness  A"), ("double space",))
        self.assertEqual(name_problem("party name", " A"), ("character", " ", 1, "space"))
        self.assertEqual(name_problem("party name", "A "), ("trailing dot or space",))
        self.assertEqual(name_problem("party name", "A\u3000B"), ("character", "\u3000", 2, "space"))

    def test_file_name_rules(self):
        from double_random_verify.normalize import check_name, name_problem
        self.assertEqual(name_problem("draw id", ""), ("empty",))
        self.assertIsNone(name_problem("draw id", "x" * 100))
        self.assertEqual(name_problem("draw id", "抽" * 101), ("too long",))
        for v in (".", "..", ".hidden"):
            self.assertEqual(name_problem("draw id", v), ("leading dot",))
        self.assertEqual(name_problem("draw id", "a."), ("trailing dot or space",))
        for v in ("CON", "nul", "NUL.txt", "com1", "Lpt9.a.b", "aux"):
            self.assertEqual(name_problem("draw id", v), ("windows reserved",), v)
        self.assertEqual(name_problem("party name", "PRN .x"), ("windows reserved",))
        for v in ("CONSOLE", "COM10", "NULL", "x.CON", "LPT"):
            self.assertIsNone(name_problem("draw id", v), v)
        with self.assertRaises(InputError) as e:
            check_name("draw id", "GY-2026-01\u200b")
        self.assertIn("character 11, U+200B ZERO WIDTH SPACE: format", str(e.exception))
