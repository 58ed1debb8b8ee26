"""Identifiers, codes, dates and vocabularies (SPEC §3.2)."""

import datetime
import re

from . import InputError
from .normalize import ascii_lower, code, text

# ---------------------------------------------------------------- entity ids

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # values 0–30
USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # W_i = 3^(i-1) mod 31, i = 1..17

_SCIENTIFIC = re.compile(r"[0-9][.,][0-9]+E[+-]?[0-9]+")


def uscc_check_char(first17):
    """The 18th character of a unified social credit code (GB 32100-2015)."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def mod11_10_check_digit(first14):
    """ISO 7064 MOD 11,10 check digit of a legacy 15-digit registration number."""
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10
        if s == 0:
            s = 10
        p = (2 * s) % 11
    return str((11 - p) % 10)


ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_VALUE = {ch: i for i, ch in enumerate("0123456789")} | {
    chr(ord("A") + i): 10 + i for i in range(26)
}


def org_code_warning(uscc):
    """GB 11714 check of positions 9–17: a warning only (SPEC §3.2). None when fine."""
    body, check = uscc[8:16], uscc[16]
    try:
        total = sum(_ORG_VALUE[ch] * w for ch, w in zip(body, ORG_CODE_WEIGHTS))
    except KeyError:
        return f"positions 9-17 of {uscc} are not an organisation code"
    c = 11 - total % 11
    expected = "X" if c == 10 else "0" if c == 11 else str(c)
    if check != expected:
        return f"GB 11714 check of {uscc} positions 9-17: expected {expected}, got {check}"
    return None


def entity_id(raw):
    """An entity id: an 18-character USCC or a 15-digit 注册号, checked."""
    s = code(raw)
    if _SCIENTIFIC.fullmatch(s):
        raise InputError(
            f"{raw!r} looks like a number in scientific notation written by a spreadsheet; "
            "store the column as text")
    if len(s) == 18:
        bad = [ch for ch in s if ch not in USCC_CHARSET]
        if bad:
            raise InputError(f"{s!r}: character {bad[0]!r} is not allowed in a unified social credit code")
        want = uscc_check_char(s[:17])
        if s[17] != want:
            raise InputError(f"{s!r}: check character should be {want!r}")
        return s
    if len(s) == 15:
        if not s.isascii() or not s.isdigit():
            raise InputError(f"{s!r}: a 15-character registration number must be all digits")
        want = mod11_10_check_digit(s[:14])
        if s[14] != want:
            raise InputError(f"{s!r}: check digit should be {want!r}")
        return s
    if s == "":
        raise InputError("entity id is empty")
    raise InputError(
        f"{s!r} has {len(s)} characters: an entity id is an 18-character unified social "
        "credit code or a 15-digit registration number")


# ---------------------------------------------------------------- region, industry

def region(raw):
    """GB/T 2260: exactly six ASCII digits, first digit 1–8."""
    s = code(raw)
    if len(s) != 6 or not s.isascii() or not s.isdigit() or s[0] not in "12345678":
        raise InputError(f"{raw!r} is not a 6-digit region code (GB/T 2260)")
    return s


def optional_region(raw):
    return "" if code(raw) == "" else region(raw)


INDUSTRY_SECTIONS = [
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50),
    ("F", 51, 52), ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69),
    ("K", 70, 70), ("L", 71, 72), ("M", 73, 75), ("N", 76, 79), ("O", 80, 82),
    ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90), ("S", 91, 96), ("T", 97, 97),
]
INDUSTRY_LETTERS = "".join(letter for letter, _, _ in INDUSTRY_SECTIONS)


def industry_section(division):
    for letter, low, high in INDUSTRY_SECTIONS:
        if low <= division <= high:
            return letter
    return None


_INDUSTRY = re.compile(r"([A-Z]?)([0-9]{2,4})?")


def industry(raw):
    """GB/T 4754-2017, canonical as section letter + 0, 2, 3 or 4 digits; '' allowed."""
    s = code(raw)
    if s == "":
        return ""
    m = _INDUSTRY.fullmatch(s)
    if not m or (not m.group(1) and not m.group(2)):
        raise InputError(f"{raw!r} is not an industry code (GB/T 4754-2017)")
    letter, digits = m.group(1), m.group(2) or ""
    if not digits:
        if letter not in INDUSTRY_LETTERS:
            raise InputError(f"{raw!r}: {letter} is not an industry section (A-T)")
        return letter
    section = industry_section(int(digits[:2]))
    if section is None:
        raise InputError(f"{raw!r}: division {digits[:2]} does not exist in GB/T 4754-2017")
    if letter and letter != section:
        raise InputError(f"{raw!r}: division {digits[:2]} belongs to section {section}, not {letter}")
    return section + digits


# ---------------------------------------------------------------- dates

_DATE_FORMS = [
    re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})"),
    re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"),
    re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"),
]


def date(raw):
    """A Gregorian date as a datetime.date (SPEC §3.5): after code() (width folded, every TRIM
    character removed), YYYY-MM-DD with two-digit month and day, or YYYY/M/D or YYYY年M月D日
    with one or two digits; the date must exist."""
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw
    if not isinstance(raw, str):
        raise InputError(f"{raw!r} is not a date")
    s = code(raw)
    for form in _DATE_FORMS:
        m = form.fullmatch(s)
        if m:
            try:
                return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise InputError(f"{raw!r} is not a real date") from None
    raise InputError(f"{raw!r} is not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)")


# ---------------------------------------------------------------- vocabularies

def _vocabulary(table, empty=None):
    lookup = {}
    for canonical, spellings in table.items():
        for spelling in [canonical, *spellings]:
            lookup[ascii_lower(spelling)] = canonical
    return lookup, empty


ENTITY_KIND = _vocabulary({
    "enterprise": ["企业", "公司"],
    "individual": ["个体工商户", "个体"],
    "cooperative": ["农民专业合作社", "合作社", "农专"],
    "other": ["其他"],
})
ENTITY_STATUS = _vocabulary({
    "active": ["存续", "在营", "开业", "在业"],
    "revoked": ["吊销", "吊销未注销"],
    "cancelled": ["注销", "canceled"],
    "moved_out": ["迁出", "moved"],
    "withdrawn": ["撤销"],
})
RISK_CLASS = _vocabulary({c: [c + "类"] for c in "ABCDE"}, empty=(None,))
INSPECTOR_KIND = _vocabulary({
    "officer": ["执法人员", "执法检查人员", "检查人员"],
    "expert": ["专家"],
}, empty=("officer",))
INSPECTOR_STATUS = _vocabulary({
    "on_duty": ["在岗", "在职", "正常"],
    "leave": ["休假", "请假"],
    "seconded": ["借调"],
    "off_duty": ["离岗", "调离", "停职"],
    "retired": ["退休"],
}, empty=("on_duty",))
ITEM_CATEGORY = _vocabulary({"general": ["一般", "一般事项"], "key": ["重点", "重点事项"]})
HISTORY_KIND = _vocabulary({
    "random": ["双随机", "随机抽查", "抽查"],
    "case": ["案件", "投诉举报", "举报", "转办", "交办"],
}, empty=("random",))
BOOLEAN = (
    {**{ascii_lower(s): True for s in ["是", "Y", "yes", "true", "1"]},
     **{ascii_lower(s): False for s in ["否", "N", "no", "false", "0"]}},
    (False,),
)


def vocab(vocabulary, raw, what):
    """Map a spelling to its canonical value (ASCII case-insensitive, after text())."""
    lookup, empty = vocabulary
    s = text(raw)
    if s == "" and empty is not None:
        return empty[0]
    try:
        return lookup[ascii_lower(s)]
    except KeyError:
        names = sorted({str(v) for v in lookup.values()})
        raise InputError(f"{raw!r} is not a known {what} ({', '.join(names)})") from None
