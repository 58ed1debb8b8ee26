"""Commitments, seed and beacons (SPEC §8) and the documents of SPEC §9–§12.

Documents are checked member by member against the shapes below before anything reads
them, so a malformed document gives findings, never a crash.
"""

import calendar
import hashlib
import re
import time

from .digest import TAG_COMMIT, TAG_SEED, framed, u64be

# ---------------------------------------------------------------- §8 commitments and seed


def commitment(name, secret):
    return framed(TAG_COMMIT, name.encode("utf-8"), secret)


ASCII_WHITESPACE = " \t\n\f\r"  # not VT (SPEC §8.3)
CHAINED_SCHEMES = {"pedersen-bls-chained"}
DRAND_SCHEMES = {"pedersen-bls-chained", "bls-unchained-g1-rfc9380"}


def beacon_bytes(value):
    """The seed's beacon part b from the sheet's beacon value V."""
    if value["kind"] == "drand":
        return bytes.fromhex(value["randomness"])
    return value["value"].strip(ASCII_WHITESPACE).encode("utf-8")


def seed(announcement_digest, secrets, beacon=None):
    """Framed(seed tag, announcement digest, u64be(m), s_1, ..., s_m [, b])."""
    parts = [announcement_digest, u64be(len(secrets)), *secrets]
    if beacon is not None:
        parts.append(beacon)
    return framed(TAG_SEED, *parts)


def drand_round_at(t, genesis, period):
    """round_at(t) = floor((t − genesis)/period) + 1."""
    return (t - genesis) // period + 1


def drand_round_time(round_, genesis, period):
    return genesis + (round_ - 1) * period


# ---------------------------------------------------------------- timestamps

_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")


def parse_time(s):
    """'YYYY-MM-DDTHH:MM:SSZ' -> Unix seconds; None when malformed."""
    if not isinstance(s, str) or not _TIME.fullmatch(s):
        return None
    try:
        return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return None


# ---------------------------------------------------------------- document shapes
#
# A shape is a string naming a scalar kind, a list [shape] of elements, a dict of member
# shapes (a name ending in "?" is optional), ("null", shape) for nullable, ("enum", {...}),
# ("const", value) or ("kind", {kind: dict shape}) for a tagged union on member "kind".

_HEX = re.compile(r"(?:[0-9a-f]{2})+")
_HEX32 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9A-F]{16}")


def _scalar_ok(kind, v):
    if kind == "str":
        return isinstance(v, str)
    if kind == "int":
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if kind == "bool":
        return isinstance(v, bool)
    if kind == "hex32":
        return isinstance(v, str) and bool(_HEX32.fullmatch(v))
    if kind == "hex":
        return isinstance(v, str) and bool(_HEX.fullmatch(v))
    if kind == "time":
        return parse_time(v) is not None
    if kind == "key_id":
        return isinstance(v, str) and bool(_KEY_ID.fullmatch(v))
    raise ValueError(kind)


_SCALAR_NAMES = {
    "str": "a string", "int": "a non-negative integer", "bool": "true or false",
    "hex32": "64 lower-case hex digits", "hex": "lower-case hex", "time":
    "a UTC time YYYY-MM-DDTHH:MM:SSZ", "key_id": "16 upper-case hex digits",
}


def check_shape(value, shape, path, problems):
    """Append (path, message) for every member that does not fit the shape."""
    if isinstance(shape, str):
        if not _scalar_ok(shape, value):
            problems.append((path, f"must be {_SCALAR_NAMES[shape]}"))
    elif isinstance(shape, list):
        if not isinstance(value, list):
            problems.append((path, "must be a list"))
        else:
            for n, v in enumerate(value):
                check_shape(v, shape[0], f"{path}[{n}]", problems)
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append((path, "must be an object"))
            return
        names = {k.rstrip("?") for k in shape}
        for k, sub in shape.items():
            name = k.rstrip("?")
            member = f"{path}.{name}" if path else name
            if name not in value:
                if not k.endswith("?"):
                    problems.append((member, "is missing"))
            else:
                check_shape(value[name], sub, member, problems)
        for name in sorted(set(value) - names):
            problems.append((f"{path}.{name}" if path else name, "is not a member of this "
                             "document (SPEC §9-§11)"))
    elif shape[0] == "null":
        if value is not None:
            check_shape(value, shape[1], path, problems)
    elif shape[0] == "enum":
        if value not in shape[1]:
            problems.append((path, f"must be one of {', '.join(sorted(shape[1]))}"))
    elif shape[0] == "const":
        if value != shape[1]:
            problems.append((path, f"must be {shape[1]!r}"))
    elif shape[0] == "kind":
        kind = value.get("kind") if isinstance(value, dict) else None
        if kind not in shape[1]:
            problems.append((f"{path}.kind", f"must be one of {', '.join(sorted(shape[1]))}"))
        else:
            check_shape(value, shape[1][kind], path, problems)
    else:
        raise ValueError(shape)


ROWS = {"digest": "hex32", "rows": "int"}
PLAN_SUMMARY = {"authority": "str", "batch": "str", "directed": "bool", "draw_date": "str",
                "items": ["str"], "plan_id": "str", "plan_name": "str", "task_id": "str",
                "task_name": "str"}
BEACON = ("kind", {
    "drand": {"kind": "str", "chain_hash": "hex", "public_key": "hex",
              "scheme": ("enum", DRAND_SCHEMES), "period_seconds": "int",
              "genesis_time": "int", "round": "int"},
    "external": {"kind": "str", "description": "str", "source": "str"},
})
BEACON_VALUE = ("kind", {
    "drand": {"kind": "str", "round": "int", "signature": "hex", "previous_signature?": "hex",
              "randomness": "hex32"},
    "external": {"kind": "str", "value": "str"},
})
ANNOUNCEMENT = {
    "announced_at": "time", "beacon": ("null", BEACON), "draw_id": "str",
    "format": ("const", "double-random/announcement"),
    "inputs": {"conflicts": ROWS, "entities": ROWS, "history": ROWS, "inspectors": ROWS,
               "items": ROWS, "plan": "hex32"},
    "key_id": "key_id",
    "parties": [{"commitment": "hex32", "name": "str",
                 "role": ("enum", {"organizer", "witness"})}],
    "plan": PLAN_SUMMARY, "previous": ("null", "hex32"), "scheduled_at": "time",
    "version": ("const", "v1"),
}
SHEET_ENTITY = {"experts": ["str"], "id": "str", "name": "str", "officers": ["str"],
                "stratum?": "str"}
SHEET_INSPECTOR = {"department": "str", "id": "str",
                   "kind": ("enum", {"officer", "expert"}), "name": "str"}
SHEET = {
    "announcement": "hex32", "beacon": ("null", BEACON_VALUE), "draw_id": "str",
    "drawn_at": "time", "entities": [SHEET_ENTITY],
    "excluded": {"filtered": "int", "recently_inspected": "int", "yearly_cap": "int"},
    "format": ("const", "double-random/sheet"), "inspectors": [SHEET_INSPECTOR],
    "plan": PLAN_SUMMARY,
    "pools": [{"cap": "int", "label": "str", "per_entity": "int", "size": "int"}],
    "reveals": [{"name": "str", "secret": "hex32"}], "seed": "hex32",
    "strata": [{"k": "int", "members_digest": "hex32", "n": "int", "stratum": "str"}],
    "version": ("const", "v1"),
}
ENTITY_REASONS = {"entity_closed", "entity_unreachable", "entity_moved_out",
                  "entity_out_of_scope"}
INSPECTOR_REASONS = {"inspector_recused", "inspector_unavailable"}
AMENDMENT = {
    "action": ("kind", {
        "replace_entity": {"kind": "str", "entity": "str"},
        "replace_inspector": {"kind": "str", "entity": "str", "inspector": "str"},
    }),
    "amended_at": "time", "draw_id": "str", "format": ("const", "double-random/amendment"),
    "inspectors": [SHEET_INSPECTOR],
    "outcome": ("kind", {
        "replace_entity": {"kind": "str", "entity": SHEET_ENTITY},
        "replace_inspector": {"kind": "str", "inspector": "str"},
    }),
    "previous": ("null", "hex32"),
    "reason": {"code": ("enum", ENTITY_REASONS | INSPECTOR_REASONS), "text": "str"},
    "seq": "int", "sheet": "hex32", "version": ("const", "v1"),
}
LOG_ENTRY = {
    "document": "hex32", "draw_id": "str",
    "kind": ("enum", {"announcement", "sheet", "amendment", "void"}),
    "note": "str", "prev": ("null", "hex32"), "seq": "int", "time": "time",
}


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()
