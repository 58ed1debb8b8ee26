"""Normalisation of fields (SPEC §3.2): trim, width folding, text, code, list."""

import unicodedata

# The exact 27 code points of SPEC §3.2.
TRIM = frozenset(
    [chr(c) for c in range(0x0009, 0x000D + 1)]
    + ["\u0020", "\u0085", "\u00A0", "\u1680"]
    + [chr(c) for c in range(0x2000, 0x200A + 1)]
    + ["\u200B", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\uFEFF"]
)
assert len(TRIM) == 27

LIST_SEPARATORS = (";", "；", "、", "|")


def trim(s):
    """Remove TRIM characters from both ends."""
    start, end = 0, len(s)
    while start < end and s[start] in TRIM:
        start += 1
    while end > start and s[end - 1] in TRIM:
        end -= 1
    return s[start:end]


def fold_width(s):
    """Full-width ASCII (U+FF01–U+FF5E) to ASCII; the ideographic space to a space."""
    out = []
    for ch in s:
        c = ord(ch)
        if 0xFF01 <= c <= 0xFF5E:
            out.append(chr(c - 0xFEE0))
        elif c == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def ascii_upper(s):
    return "".join(chr(ord(ch) - 32) if "a" <= ch <= "z" else ch for ch in s)


def ascii_lower(s):
    return "".join(chr(ord(ch) + 32) if "A" <= ch <= "Z" else ch for ch in s)


def text(s):
    """Names, departments, free text: trim, then NFC."""
    return unicodedata.normalize("NFC", trim(s))


def code(s):
    """Ids and codes: fold width, drop every TRIM character, ASCII upper case."""
    return ascii_upper("".join(ch for ch in fold_width(s) if ch not in TRIM))


def split_list(s, element):
    """Split on ; ； 、 |, normalise each element, drop empties, sort, deduplicate."""
    parts = [s]
    for sep in LIST_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(sep)]
    return sorted({element(p) for p in parts} - {""})


def text_list(s):
    return split_list(s, text)


def code_list(s):
    return split_list(s, code)
