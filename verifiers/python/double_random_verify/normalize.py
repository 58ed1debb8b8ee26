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


# ---------------------------------------------------------------- §3.6 names

try:  # Unicode 18.0, as SPEC §3.6 names; the standard library's may be older (3.11: 14.0)
    import unicodedata2 as _ucd
except ImportError:
    _ucd = unicodedata

NAME_MAX_CHARS = 100
_BIDI_CONTROLS = frozenset("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E"
                           "\u2066\u2067\u2068\u2069")
_WINDOWS_RESERVED = frozenset(["CON", "PRN", "AUX", "NUL"]
                              + [f"COM{i}" for i in range(10)] + [f"LPT{i}" for i in range(10)])


def _char_problem(kind, ch, after_letter):
    if ch in "-_.":
        return None
    if kind == "party name" and ch in " \u00B7":
        return None
    if ch in _BIDI_CONTROLS:
        return "bidi"
    cat = _ucd.category(ch)
    if cat == "Nd" or cat[0] == "L":
        return None
    if cat[0] == "M":
        return None if after_letter else "lone mark"
    return {"Cf": "format", "Cc": "control", "Cn": "unassigned", "Co": "private use",
            "Cs": "private use", "Pd": "dash", "Zs": "space", "Zl": "space",
            "Zp": "space"}.get(cat, "not allowed")


def name_problem(kind, value):
    """Why a draw id or party name breaks SPEC §3.6, or None.

    `kind` is "draw id" or "party name". The answer is a tuple: (rule,) for a whole-name rule
    ("empty", "too long", "not NFC", "leading dot", "trailing dot or space", "double space",
    "windows reserved"), or ("character", ch, position, why) for a refused character.
    """
    if value == "":
        return ("empty",)
    if len(value) > NAME_MAX_CHARS:
        return ("too long",)
    after_letter = False
    for position, ch in enumerate(value, 1):
        why = _char_problem(kind, ch, after_letter)
        if why:
            return ("character", ch, position, why)
        cat = _ucd.category(ch)
        after_letter = cat[0] == "L" or (after_letter and cat[0] == "M")
    if _ucd.normalize("NFC", value) != value:
        return ("not NFC",)
    if value.startswith("."):
        return ("leading dot",)
    if value.endswith((".", " ")):
        return ("trailing dot or space",)
    if value.startswith(" "):
        return ("character", " ", 1, "space")
    if "  " in value:
        return ("double space",)
    if ascii_upper(value.split(".")[0].rstrip(" ")) in _WINDOWS_RESERVED:
        return ("windows reserved",)
    return None


def check_name(kind, value):
    """Raise InputError if a draw id or party name breaks SPEC §3.6."""
    p = name_problem(kind, value)
    if p is None:
        return
    from . import InputError
    if p[0] == "character":
        _, ch, position, why = p
        label = f"U+{ord(ch):04X} {_ucd.name(ch, '')}".rstrip()
        raise InputError(f"{kind} {value!r} cannot be used: character {position}, {label}: {why}")
    raise InputError(f"{kind} {value!r} cannot be used: {p[0]}")
