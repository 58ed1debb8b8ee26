"""Commitments, seed and beacons (SPEC §8) and the documents of SPEC §9–§12.

Documents are checked member by member against the shapes below before anything reads
them, so a malformed document gives findings, never a crash.
"""

import calendar
import hashlib
import re
import time

from . import VERSION, jcs
from .digest import TAG_COMMIT, TAG_SEED, framed, u64be
from .normalize import TRIM, fold_width, trim

# ---------------------------------------------------------------- §8 commitments and seed


def commitment(draw_id, name, secret):
    """Framed(commit tag, utf8(draw_id), utf8(party name), secret) (SPEC §8.2)."""
    return framed(TAG_COMMIT, draw_id.encode("utf-8"), name.encode("utf-8"), secret)


CHAINED_SCHEMES = {"pedersen-bls-chained"}
DRAND_SCHEMES = {"pedersen-bls-chained", "bls-unchained-g1-rfc9380"}
MARGIN = 300  # seconds (SPEC §8.5)

# Known drand chains (SPEC §8.4.1): a beacon naming one of these chain hashes must carry
# every other field of that chain.
KNOWN_DRAND_CHAINS = {
    "8990e7a9aaed2ffed73dbd7092123d6f289930540d7651336225dc172e51b2ce": {
        "name": "mainnet",
        "public_key": "868f005eb8e6e4ca0a47c8a77ceaa5309a47978a7c71bc5cce96366b5d7a569937c529"
                      "eeda66c7293784a9402801af31",
        "scheme": "pedersen-bls-chained", "period_seconds": 30, "genesis_time": 1595431050,
    },
    "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971": {
        "name": "quicknet",
        "public_key": "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b45"
                      "0b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9c"
                      "f809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
        "scheme": "bls-unchained-g1-rfc9380", "period_seconds": 3, "genesis_time": 1692803367,
    },
}


def beacon_bytes(value):
    """The seed's beacon part b from the sheet's beacon value V (SPEC §8.3)."""
    if value["kind"] == "drand":
        return bytes.fromhex(value["randomness"])
    return jcs.encode(value["groups"])


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


def beacon_time(beacon):
    """The moment the beacon's value becomes public (SPEC §8.4), Unix seconds, or None."""
    if beacon["kind"] == "drand":
        return drand_round_time(beacon["round"], beacon["genesis_time"], beacon["period_seconds"])
    return parse_time(beacon["published_at"])


def check_announced_beacon(beacon):
    """Problems (field, message) with an announced beacon's own rules (SPEC §8.4)."""
    problems = []
    if beacon["kind"] == "drand":
        if beacon["period_seconds"] < 1:
            problems.append(("beacon.period_seconds", "must be at least 1"))
        if beacon["round"] < 1:
            problems.append(("beacon.round", "must be at least 1"))
        known = KNOWN_DRAND_CHAINS.get(beacon["chain_hash"])
        if known is not None:
            for field in ("public_key", "scheme", "period_seconds", "genesis_time"):
                if beacon[field] != known[field]:
                    problems.append((f"beacon.{field}", f"{beacon[field]!r} is not drand "
                                     f"{known['name']}'s {known[field]!r} (SPEC §8.4.1)"))
        return problems
    for field in ("description", "source"):
        if not trim(beacon[field]):
            problems.append((f"beacon.{field}", "is blank (SPEC §8.4.2)"))
    groups = beacon["groups"]
    if not 1 <= len(groups) <= 16:
        problems.append(("beacon.groups", f"{len(groups)} groups; 1 to 16 (SPEC §8.4.2)"))
    for n, g in enumerate(groups):
        where = f"beacon.groups[{n}]"
        if not 1 <= g["count"] <= 64:
            problems.append((f"{where}.count", f"{g['count']}; must be 1 to 64"))
        if not g["min"] <= g["max"] <= MAX_BEACON_INT:
            problems.append((where, f"min {g['min']}, max {g['max']}: must be "
                             f"0 <= min <= max <= {MAX_BEACON_INT}"))
        elif g["distinct"] and g["count"] > g["max"] - g["min"] + 1:
            problems.append((where, f"{g['count']} distinct integers cannot come from "
                             f"{g['min']}-{g['max']}"))
    return problems


# ---------------------------------------------------------------- §8.4.2 external values

MAX_BEACON_INT = 999999999
BEACON_SEPARATORS = frozenset(",;|+/-\u3001\u3002") | TRIM


class BeaconValueError(ValueError):
    """A typed or recorded external beacon value that does not fit the announced shape."""


def _check_groups(groups, shape):
    """Rules 4 (range, distinct) for a value already split into groups."""
    for n, (values, g) in enumerate(zip(groups, shape)):
        for v in values:
            if not g["min"] <= v <= g["max"]:
                raise BeaconValueError(f"group {n + 1}: {v} is outside {g['min']}-{g['max']}")
        if g["distinct"] and len(set(values)) != len(values):
            repeated = next(v for v in values if values.count(v) > 1)
            raise BeaconValueError(f"group {n + 1}: {repeated} appears twice in a group of "
                                   "distinct integers")


def read_typed_beacon(text, shape):
    """The canonical groups of a typed external beacon value (SPEC §8.4.2 steps 1-5).

    shape is the announcement's `groups` list. Raises BeaconValueError naming the problem."""
    text = fold_width(text)
    numbers = []
    run = ""
    for ch in text + " ":
        if "0" <= ch <= "9":
            run += ch
            continue
        if run:
            if len(run) > 9:
                raise BeaconValueError(f"{run} has more than 9 digits")
            numbers.append(int(run))
            run = ""
        if ch not in BEACON_SEPARATORS:
            raise BeaconValueError(f"{ch!r} (U+{ord(ch):04X}) is neither a digit 0-9 nor a "
                                   "separator")
    want = sum(g["count"] for g in shape)
    if len(numbers) != want:
        raise BeaconValueError(f"{len(numbers)} integers; the announced beacon has {want}")
    groups, at = [], 0
    for g in shape:
        groups.append(numbers[at:at + g["count"]])
        at += g["count"]
    _check_groups(groups, shape)
    return [vals if g["ordered"] else sorted(vals) for vals, g in zip(groups, shape)]


def check_recorded_beacon(groups, shape):
    """Raise BeaconValueError unless a sheet's groups are a canonical value of the shape."""
    if len(groups) != len(shape):
        raise BeaconValueError(f"{len(groups)} groups; the announced beacon has {len(shape)}")
    total = sum(len(v) for v in groups)
    want = sum(g["count"] for g in shape)
    if total != want:
        raise BeaconValueError(f"{total} integers; the announced beacon has {want}")
    for n, (values, g) in enumerate(zip(groups, shape)):
        if len(values) != g["count"]:
            raise BeaconValueError(f"group {n + 1} has {len(values)} integers; announced "
                                   f"{g['count']}")
    _check_groups(groups, shape)
    for n, (values, g) in enumerate(zip(groups, shape)):
        if not g["ordered"] and values != sorted(values):
            raise BeaconValueError(f"group {n + 1} is unordered, so it must be ascending")


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
        if not isinstance(value, str) or value not in shape[1]:
            problems.append((path, f"must be one of {', '.join(sorted(shape[1]))}"))
    elif shape[0] == "const":
        if value != shape[1]:
            problems.append((path, f"must be {shape[1]!r}"))
    elif shape[0] == "kind":
        kind = value.get("kind") if isinstance(value, dict) else None
        if not isinstance(kind, str) or kind not in shape[1]:
            problems.append((f"{path}.kind", f"must be one of {', '.join(sorted(shape[1]))}"))
        else:
            check_shape(value, shape[1][kind], path, problems)
    else:
        raise ValueError(shape)


ROWS = {"digest": "hex32", "rows": "int"}
PLAN_SUMMARY = {"authority": "str", "batch": "str", "directed": "bool", "draw_date": "str",
                "items": ["str"], "plan_id": "str", "plan_name": "str", "task_id": "str",
                "task_name": "str"}
GROUP_SHAPE = {"count": "int", "distinct": "bool", "max": "int", "min": "int", "ordered": "bool"}
BEACON = ("kind", {
    "drand": {"kind": "str", "chain_hash": "hex32", "public_key": "hex",
              "scheme": ("enum", DRAND_SCHEMES), "period_seconds": "int",
              "genesis_time": "int", "round": "int"},
    "external": {"kind": "str", "description": "str", "source": "str", "published_at": "time",
                 "groups": [GROUP_SHAPE]},
})
BEACON_VALUE = ("kind", {
    "drand": {"kind": "str", "round": "int", "signature": "hex", "previous_signature?": "hex",
              "randomness": "hex32"},
    "external": {"kind": "str", "groups": [["int"]]},
})
POSITION = {"prev": ("null", "hex32"), "seq": "int"}
ANNOUNCEMENT = {
    "announced_at": "time", "beacon": ("null", BEACON), "draw_id": "str",
    "format": ("const", "double-random/announcement"),
    "inputs": {"conflicts": ROWS, "entities": ROWS, "history": ROWS, "inspectors": ROWS,
               "items": ROWS, "plan": "hex32"},
    "key_id": "key_id", "log": POSITION,
    "parties": [{"commitment": "hex32", "name": "str",
                 "role": ("enum", {"organizer", "witness"})}],
    "plan": PLAN_SUMMARY, "scheduled_at": "time", "supersedes": ("null", "hex32"),
    "version": ("const", VERSION),
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
    "log": POSITION, "plan": PLAN_SUMMARY,
    "pools": [{"cap": "int", "label": "str", "per_entity": "int", "size": "int"}],
    "reveals": [{"name": "str", "secret": "hex32"}], "seed": "hex32",
    "strata": [{"k": "int", "members_digest": "hex32", "n": "int", "stratum": "str"}],
    "version": ("const", VERSION),
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
    "inspectors": [SHEET_INSPECTOR], "log": POSITION,
    "outcome": ("kind", {
        "replace_entity": {"kind": "str", "entity": SHEET_ENTITY},
        "replace_inspector": {"kind": "str", "inspector": "str"},
    }),
    "previous": ("null", "hex32"),
    "reason": {"code": ("enum", ENTITY_REASONS | INSPECTOR_REASONS), "text": "str"},
    "seq": "int", "sheet": "hex32", "version": ("const", VERSION),
}
VOID_REASONS = {"plan_changed", "inputs_wrong", "secret_not_revealed", "beacon_unavailable",
                "other"}
VOID = {
    "announcement": "hex32", "draw_id": "str", "format": ("const", "double-random/void"),
    "log": POSITION, "reason": {"code": ("enum", VOID_REASONS), "text": "str"},
    "version": ("const", VERSION), "voided_at": "time",
}
TASK = {"batch": "str", "plan_id": "str", "task_id": "str"}
LOG_ENTRY = {
    "document": "hex32", "draw_id": "str",
    "kind": ("enum", {"announcement", "sheet", "amendment", "void"}),
    "prev": ("null", "hex32"), "seq": "int", "task": TASK, "time": "time",
}
CHECKPOINT = {
    "format": ("const", "double-random/checkpoint"), "head": ("null", "hex32"),
    "key_id": "str", "size": "int", "time": "time", "version": ("const", VERSION),
}
FORK_PROOF = {
    "format": ("const", "double-random/fork-proof"), "version": ("const", VERSION),
    "first_line": "int", "lines": ["str"],
    "statements": [{"file": "str", "document": "str", "signature": "str"}],
}


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()
