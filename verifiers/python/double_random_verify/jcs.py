"""Canonical JSON (SPEC §3.1): RFC 8785 without floating-point numbers."""

import json

from . import InputError

MAX_INT = 2**53 - 1

_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}


def _string(s):
    out = ['"']
    for ch in s:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))  # lower-case hex
        else:
            out.append(ch)  # everything else, '/', U+007F, U+2028 included, as is
    out.append('"')
    return "".join(out)


def _utf16_key(name):
    return name.encode("utf-16-be")


def _encode(value, out):
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            raise ValueError(f"integer {value} is beyond 2^53 - 1")
        out.append(str(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _encode(item, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for i, name in enumerate(sorted(value, key=_utf16_key)):
            if not isinstance(name, str):
                raise ValueError("object member names must be strings")
            if i:
                out.append(",")
            out.append(_string(name))
            out.append(":")
            _encode(value[name], out)
        out.append("}")
    else:
        raise ValueError(f"cannot encode {type(value).__name__} in canonical JSON")


def dumps(value):
    """The canonical JSON text of a value (a str)."""
    out = []
    _encode(value, out)
    return "".join(out)


def encode(value):
    """The canonical JSON bytes of a value."""
    return dumps(value).encode("utf-8")


def _no_duplicates(pairs):
    obj = {}
    for name, value in pairs:
        if name in obj:
            raise ValueError(f"duplicate member name {name!r}")
        obj[name] = value
    return obj


def _no_float(text):
    raise ValueError(f"floating-point number {text} is not allowed")


def _no_constant(text):
    raise ValueError(f"{text} is not JSON")


def parse_canonical(data, file):
    """Parse document bytes and insist they are exactly the canonical encoding."""
    try:
        text = data.decode("utf-8")
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_float=_no_float,
            parse_constant=_no_constant,
        )
        again = encode(value)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 ({e.reason} at byte {e.start})", file) from None
    except (ValueError, UnicodeEncodeError) as e:
        raise InputError(f"not valid JSON: {e}", file) from None
    if again != data:
        at = next(
            (i for i, (a, b) in enumerate(zip(again, data)) if a != b),
            min(len(again), len(data)),
        )
        raise InputError(
            f"not canonical JSON (SPEC §3.1): the bytes differ from the canonical "
            f"encoding at byte {at}", file)
    return value
