import unittest

import fixtures  # noqa: F401  (puts the package on the path)
from double_random_verify import InputError, jcs


class CanonicalJson(unittest.TestCase):
    def test_escapes(self):
        s = 'q"b\\s\b\f\n\r\t\x00\x1f\x7f/\u2028\u2029é中😀'
        self.assertEqual(jcs.dumps(s),
                         '"q\\"b\\\\s\\b\\f\\n\\r\\t\\u0000\\u001f\x7f/\u2028\u2029é中😀"')

    def test_lower_case_hex(self):
        self.assertEqual(jcs.dumps("\x1b"), '"\\u001b"')

    def test_key_order_is_utf16(self):
        # U+1F600 is D83D DE00 in UTF-16: before U+FB01 although its code point is larger.
        value = {"b": 1, "a": 2, "\ufb01": 3, "\U0001f600": 4, "B": 5, "aa": 6}
        self.assertEqual(jcs.dumps(value), '{"B":5,"a":2,"aa":6,"b":1,"😀":4,"ﬁ":3}')

    def test_scalars_and_nesting(self):
        self.assertEqual(jcs.dumps({"x": [1, -2, 0, True, False, None, {}], "y": []}),
                         '{"x":[1,-2,0,true,false,null,{}],"y":[]}')

    def test_rejects_floats_and_big_integers(self):
        with self.assertRaises(ValueError):
            jcs.dumps(1.5)
        with self.assertRaises(ValueError):
            jcs.dumps(2**53)
        self.assertEqual(jcs.dumps(2**53 - 1), "9007199254740991")

    def test_matches_python_json_for_these_documents(self):
        import json
        value = {"z": ["a\u2028", "\x01", "中"], "a": {"k": None, "j": 3}}
        self.assertEqual(jcs.dumps(value),
                         json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True))

    def test_parse_canonical_accepts_canonical(self):
        data = '{"a":[1,"é"],"b":null}'.encode()
        self.assertEqual(jcs.parse_canonical(data, "x.json"), {"a": [1, "é"], "b": None})

    def test_parse_canonical_rejects(self):
        bad = [
            b'{"a":1}\n',            # trailing newline
            b'{"a": 1}',             # white space
            b'{"b":1,"a":2}',        # order
            b'{"a":1,"a":1}',        # duplicate member
            b'{"a":"\\u0041"}',      # escape where a raw character belongs
            b'{"a":"\\/"}',          # escaped slash
            b'{"a":1.0}',            # float
            b'{"a":01}',             # not JSON
            b'{"a":"\\u001B"}',      # upper-case hex
            b'\xef\xbb\xbf{"a":1}',  # BOM
            b'{"a":"\xff"}',         # not UTF-8
            b'{"a":NaN}',
        ]
        for data in bad:
            with self.subTest(data=data):
                with self.assertRaises(InputError):
                    jcs.parse_canonical(data, "x.json")


if __name__ == "__main__":
    unittest.main()
