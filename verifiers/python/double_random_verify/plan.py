"""The plan (SPEC §4): TOML via tomllib → the canonical plan JSON object.

The TOML keys are listed in SPEC §4; any other key, at any level, is an error naming its
line. They follow the canonical JSON except: `general_ratio_cap` and a quota's `ratio` are
written as ratios (stored as `…_bp`), `filters.regions` / `filters.industries` are
`region_prefixes` / `industry_prefixes`, and the strata layout: `[strata]` holds `by` and,
for by = "risk", one inline quota table per class (`A = {...}`) and `unclassified`; for
by = "none" the quota's own keys (`ratio`, `count`, …).
"""

import datetime
import decimal
import hashlib
import os
import re
import tomllib

from . import InputError, codes, jcs
from .normalize import ascii_lower, code, fold_width, text, trim

TOP_KEYS = {
    "authority", "batch", "directed", "draw_date", "filters", "general_ratio_cap", "items",
    "plan_id", "plan_name", "publish_risk", "repeat", "strata", "task_id", "task_name", "team",
}
# In TOML, filters.regions and filters.industries hold region_prefixes and industry_prefixes.
FILTER_KEYS = {"exclude_abnormal", "industries", "kinds", "regions", "statuses",
               "tags_all", "tags_any"}
REPEAT_KEYS = {"entity_window_days", "entity_yearly_cap", "inspector_window_days",
               "same_items_only"}
QUOTA_KEYS = {"count", "max", "min", "ratio", "rounding"}
STRATA_KEYS = {"by", "unclassified", *"ABCDE"} | QUOTA_KEYS
TEAM_KEYS = {"departments", "experts", "exclude_same_region", "joint", "officers", "recusal_cap",
             "workload_cap"}
JOINT_KEYS = {"department", "items", "officers"}

DEFAULT_ROUNDING = "up"
MAX_U32 = 2**32 - 1
MAX_WINDOW_DAYS = 36525  # 100 years (SPEC §4)
DEFAULT_STATUSES = ["active"]
RISK_CLASSES = "ABCDE"

_MISSING = object()


# The TOML source, to name the line of an unknown key (tomllib gives no positions).
_source_lines = []


def _line_of(path, key):
    """The first line that defines `key` (as `key =` or as a table header), best effort."""
    k = re.escape(key)
    table = re.escape(f"{path}.{key}" if path else key)
    patterns = [rf"\s*\[\[?\s*{table}\s*\]", rf"\s*(?:{k}|\"{k}\")\s*=",
                rf".*[{{,]\s*(?:{k}|\"{k}\")\s*="]
    if "." in path:  # an inline table: `B = { ratio = ... }`
        last = re.escape(path.rsplit(".", 1)[1])
        patterns.insert(0, rf"\s*(?:{last}|\"{last}\")\s*=\s*{{.*[{{,]\s*(?:{k}|\"{k}\")\s*=")
    for pattern in patterns:
        for n, line in enumerate(_source_lines, 1):
            if re.match(pattern, line):
                return n
    return None


class _Table:
    """A TOML table with its dotted path, for error messages and unknown-key checks."""

    def __init__(self, value, path, allowed, file):
        self.file = file
        self.path = path
        if not isinstance(value, dict):
            raise self.error(f"must be a table", None)
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise InputError(f"unknown key (allowed: {', '.join(sorted(allowed))})", self.file,
                             _line_of(path.split("[")[0], unknown[0]), self.name(unknown[0]))
        self.value = value

    def name(self, key):
        return f"{self.path}.{key}" if self.path else key

    def error(self, message, key, line=None):
        return InputError(message, self.file, line, self.name(key) if key else self.path or None)

    def located_error(self, message, key):
        """An error at the line that writes `key` (best effort, see _line_of)."""
        return self.error(message, key, _line_of(self.path.split("[")[0], key))

    def get(self, key, kind, default=_MISSING):
        v = self.value.get(key, _MISSING)
        if v is _MISSING:
            if default is _MISSING:
                raise self.error("is required", key)
            return default
        if kind in ("int", "u32", "days"):
            top = {"int": jcs.MAX_INT, "u32": MAX_U32, "days": MAX_WINDOW_DAYS}[kind]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > top:
                raise self.error(f"must be an integer from 0 to {top}, not {v!r}", key)
        elif kind == "bool":
            if not isinstance(v, bool):
                raise self.error(f"must be true or false, not {v!r}", key)
        elif kind == "str":
            if not isinstance(v, str):
                raise self.error(f"must be a string, not {v!r}", key)
        elif kind == "list":
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise self.error("must be a list of strings", key)
        return v

    def normalised(self, key, fn, value):
        try:
            return fn(value)
        except InputError as e:
            raise self.error(e.message, key) from None

    def unique_list(self, key, fn, default, name=lambda x: x):
        """A list of strings, each normalised by `fn`, non-empty and listed once (SPEC §4)."""
        out, seen = [], set()
        for x in self.get(key, "list", default):
            v = self.normalised(key, fn, x)
            if v == "":
                raise self.error("an element is empty", key)
            if name(v) in seen:
                raise self.error(f"{name(v)!r} is listed twice", key)
            seen.add(name(v))
            out.append(v)
        return out

    def keyword(self, key, default, accepted):
        """`strata.by`, `rounding`: text(), then ASCII case-insensitive (SPEC §4)."""
        v = ascii_lower(text(self.get(key, "str", default)))
        if v not in accepted:
            raise self.error(f"must be one of {', '.join(accepted)}, not {v!r}", key)
        return v


# ---------------------------------------------------------------- ratios

# SPEC §4: after trim(fold_width(s)): DIGIT+ ("." DIGIT+)? " "* "%", ASCII digits only.
_PERCENT = re.compile(r"([0-9]+)(?:\.([0-9]+))? *%", re.ASCII)


def _bp_of(sign, digits, exponent, where, value):
    """sign, digit tuple and exponent of an exact decimal → basis points of the fraction."""
    n = int("".join(map(str, digits)) or "0")
    if n == 0:
        return 0
    if sign:
        raise where(f"{value} is below 0 %")
    power = exponent + 4  # bp = n × 10^power
    while power < 0 and n % 10 == 0:
        n //= 10
        power += 1
    if power < 0:
        # Not a whole number of basis points; above 100 % if the whole part already is.
        if n // 10 ** (-power) >= 10000:
            raise where(f"{value} is outside 0 %..100 %")
        raise where(f"{value} is finer than a basis point (0.01 %)")
    if power > 5 or n * 10 ** power > 10000:
        raise where(f"{value} is outside 0 %..100 %")
    return n * 10 ** power


class _HugeFloat:
    """A TOML float whose exponent is beyond what `decimal` holds, kept as its text."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def _toml_float(s):
    try:
        return decimal.Decimal(s)
    except decimal.InvalidOperation:
        return _HugeFloat(s)


def ratio_bp(value, where):
    """'2.5%' or the fraction 0.025 (read from its decimal text) → basis points (SPEC §4)."""
    if isinstance(value, _HugeFloat):
        mantissa, _, exponent = value.text.replace("_", "").lower().partition("e")
        if int(mantissa.lstrip("+-").replace(".", "")) == 0:
            return 0
        if mantissa.startswith("-"):
            raise where(f"{value} is below 0 %")
        raise where(f"{value} is " + ("finer than a basis point (0.01 %)"
                                      if exponent.startswith("-") else "outside 0 %..100 %"))
    if isinstance(value, str):
        t = trim(fold_width(value))
        m = _PERCENT.fullmatch(t)
        if not m:
            raise where(f"{value!r} is not a percentage such as \"5%\" or \"2.5%\"")
        frac = m.group(2) or ""
        return _bp_of(0, tuple(int(c) for c in m.group(1) + frac), -len(frac) - 2, where,
                      repr(value))
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0:
            raise where(f"{value} is below 0 %")
        if value > 1:
            raise where(f"{value} is outside 0 %..100 %")
        return value * 10000
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise where(f"{value} is not a finite number")
        sign, digits, exponent = value.as_tuple()  # exact: no context rounding
        if exponent < -10**6 or exponent > 10**6:
            # Far beyond 0..1 in whole basis points (and too costly to scale exactly).
            if int("".join(map(str, digits))) == 0:
                return 0
            if sign:
                raise where(f"{value} is below 0 %")
            raise where(f"{value} is " + ("finer than a basis point (0.01 %)" if exponent < 0
                                          else "outside 0 %..100 %"))
        return _bp_of(sign, digits, exponent, where, value)
    raise where(f"{value!r} is not a ratio")


# ---------------------------------------------------------------- sections

def _quota(value, path, file):
    t = _Table(value, path, QUOTA_KEYS, file)
    q = {
        "count": t.get("count", "int", None),
        "max": t.get("max", "int", None),
        "min": t.get("min", "int", None),
        "ratio_bp": None,
        "rounding": t.keyword("rounding", DEFAULT_ROUNDING, ("up", "down", "nearest")),
    }
    raw_ratio = t.value.get("ratio")
    if raw_ratio is not None:
        q["ratio_bp"] = ratio_bp(raw_ratio, lambda m: t.located_error(m, "ratio"))
    if q["ratio_bp"] is None and q["count"] is None:
        raise t.error("a quota needs a ratio or a count", None)
    if q["min"] is not None and q["max"] is not None and q["min"] > q["max"]:
        raise t.error(f"min {q['min']} is greater than max {q['max']}", "min")
    return q


def _filters(value, file):
    t = _Table(value, "filters", FILTER_KEYS, file)

    def each(key, fn, default):
        return t.unique_list(key, fn, default)

    if t.value.get("statuses", None) == []:
        raise t.error("must not be empty: leave it out for [\"active\"], or list the statuses "
                      "drawn", "statuses")

    def region_prefix(s):
        c = code(s)
        if not (1 <= len(c) <= 6 and c.isascii() and c.isdigit()):
            raise InputError(f"{s!r} is not a region prefix of 1 to 6 digits")
        return c

    def industry_prefix(s):
        c = codes.industry(s)
        if c == "":
            raise InputError("an industry prefix is empty")
        return c

    return {
        "exclude_abnormal": t.get("exclude_abnormal", "bool", False),
        "industry_prefixes": each("industries", industry_prefix, []),
        "kinds": each("kinds", lambda s: codes.vocab(codes.ENTITY_KIND, s, "entity kind"), []),
        "region_prefixes": each("regions", region_prefix, []),
        "statuses": each("statuses", lambda s: codes.vocab(codes.ENTITY_STATUS, s, "entity status"),
                         DEFAULT_STATUSES),
        "tags_all": each("tags_all", text, []),
        "tags_any": each("tags_any", text, []),
    }


def _repeat(value, file):
    t = _Table(value, "repeat", REPEAT_KEYS, file)
    kinds = {"entity_window_days": "days", "entity_yearly_cap": "u32",
             "inspector_window_days": "days"}
    for key, kind in kinds.items():
        if t.get(key, kind, None) == 0:
            raise t.error("must be at least 1 (leave it out for no rule)", key)
    return {
        "entity_window_days": t.get("entity_window_days", "days", None),
        "entity_yearly_cap": t.get("entity_yearly_cap", "u32", None),
        "inspector_window_days": t.get("inspector_window_days", "days", None),
        "same_items_only": t.get("same_items_only", "bool", False),
    }


def _strata(value, file):
    t = _Table(value, "strata", STRATA_KEYS, file)
    by = t.keyword("by", _MISSING, ("none", "risk"))
    classes_written = [c for c in RISK_CLASSES if c in t.value]
    quota_written = sorted(QUOTA_KEYS & set(t.value))
    if by == "none":
        if classes_written or "unclassified" in t.value:
            raise t.error("risk classes and 'unclassified' are for by = \"risk\"", "by")
        quota = {k: t.value[k] for k in quota_written}
        return {"by": "none", "quota": _quota(quota, "strata", file)}
    if by == "risk":
        if quota_written:
            raise t.error("with by = \"risk\" each class has its own quota: "
                          "A = { ratio = ... }", quota_written[0])
        classes = {c: _quota(t.value[c], f"strata.{c}", file) for c in classes_written}
        unclassified = t.value.get("unclassified")
        return {
            "by": "risk",
            "classes": classes,
            "unclassified": None if unclassified is None else
            _quota(unclassified, "strata.unclassified", file),
        }
    raise t.error(f"must be \"none\" or \"risk\", not {by!r}", "by")


def _team(value, items, file):
    t = _Table(value, "team", TEAM_KEYS, file)
    joint_raw = t.value.get("joint", [])
    if not isinstance(joint_raw, list):
        raise t.error("must be an array of tables [[team.joint]]", "joint")
    joint = []
    for n, entry in enumerate(joint_raw):
        j = _Table(entry, f"team.joint[{n}]", JOINT_KEYS, file)
        officers = j.get("officers", "u32")
        if officers < 1:
            raise j.error("each joint department sends at least 1 officer", "officers")
        department = j.normalised("department", text, j.get("department", "str"))
        if department == "":
            raise j.error("is empty", "department")
        j_items = j.unique_list("items", code, _MISSING)
        if not j_items:
            raise j.error("the list must not be empty", "items")
        joint.append({"department": department, "items": j_items, "officers": officers})
    written = t.get("officers", "u32", None)
    if joint and t.get("departments", "list", []):  # `departments = []` is harmless
        raise t.error("departments and [[team.joint]] do not go together: a joint plan names "
                      "its departments in [[team.joint]]", "departments")
    if joint:
        total = sum(e["officers"] for e in joint)
        if written is not None and written != total:
            raise t.error(f"is {written} but the joint departments send {total}", "officers")
        if total > MAX_U32:
            raise t.error(f"the joint departments send {total}, more than {MAX_U32}", "joint")
        officers = total
        departments = [e["department"] for e in joint]
        if len(set(departments)) != len(departments):
            raise t.error("a department appears twice", "joint")
        for e in joint:
            for i in e["items"]:
                if i not in items:
                    raise t.error(f"item {i!r} is not a plan item", "joint")
        covered = {i for e in joint for i in e["items"]}
        missing = [i for i in items if i not in covered]
        if missing:
            raise t.error(f"plan item {missing[0]!r} is not covered by any joint department",
                          "joint")
    else:
        if written is None:
            raise t.error("is required", "officers")
        officers = written
    if officers < 2:
        raise t.error("at least 2 officers per entity (R4)", "officers")
    workload_cap = t.get("workload_cap", "u32", None)
    if workload_cap == 0:
        raise t.error("must be at least 1", "workload_cap")
    return {
        "departments": t.unique_list("departments", text, []),
        "experts": t.get("experts", "u32", 0),
        "exclude_same_region": t.get("exclude_same_region", "bool", False),
        "joint": joint,
        "officers": officers,
        "recusal_cap": t.get("recusal_cap", "int", 2),  # SPEC §4, §11.4
        "workload_cap": workload_cap,
    }


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _draw_date(value, t):
    """A TOML date, or a string "YYYY-MM-DD" (SPEC §4)."""
    if isinstance(value, datetime.datetime) or not isinstance(value, (str, datetime.date)):
        raise t.error(f"must be a date, not {value!r}", "draw_date")
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise t.error(f"{value!r} is not a date written YYYY-MM-DD", "draw_date")
    return t.normalised("draw_date", codes.date, value).isoformat()


def parse_plan(data, file="plan.toml"):
    """The canonical plan object (SPEC §4) from TOML bytes."""
    try:
        doc = tomllib.loads(data.decode("utf-8"), parse_float=_toml_float)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 (byte {e.start})", file) from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", file) from None
    global _source_lines
    _source_lines = data.decode("utf-8").splitlines()
    t = _Table(doc, "", TOP_KEYS, file)
    items = [t.normalised("items", code, x) for x in t.get("items", "list")]
    if not items:
        raise t.error("must name at least one item", "items")
    if "" in items:
        raise t.error("an item id is empty", "items")
    if len(set(items)) != len(items):
        raise t.error("an item appears twice", "items")
    cap = t.value.get("general_ratio_cap")
    plan = {
        "authority": t.normalised("authority", text, t.get("authority", "str")),
        "batch": t.normalised("batch", text, t.get("batch", "str", "")),
        "directed": t.get("directed", "bool", False),
        "draw_date": _draw_date(t.get("draw_date", "any"), t),
        "filters": _filters(t.get("filters", "table", {}), file),
        "general_ratio_cap_bp": None if cap is None else
        ratio_bp(cap, lambda m: t.located_error(m, "general_ratio_cap")),
        "items": items,
        "plan_id": t.normalised("plan_id", code, t.get("plan_id", "str")),
        "plan_name": t.normalised("plan_name", text, t.get("plan_name", "str")),
        "publish_risk": t.get("publish_risk", "bool", False),
        "repeat": _repeat(t.get("repeat", "table", {}), file),
        "strata": _strata(t.get("strata", "table"), file),
        "task_id": t.normalised("task_id", code, t.get("task_id", "str")),
        "task_name": t.normalised("task_name", text, t.get("task_name", "str")),
        "team": _team(t.get("team", "table"), items, file),
    }
    for key in ("plan_id", "task_id", "authority", "plan_name", "task_name"):
        if plan[key] == "":
            raise t.error("is empty", key)
    return plan


def plan_digest(plan):
    return hashlib.sha256(jcs.encode(plan)).hexdigest()


ANNOUNCED_PLAN_KEYS = ("authority", "batch", "directed", "draw_date", "items", "plan_id",
                       "plan_name", "task_id", "task_name")


def announced_plan(plan):
    """The plan summary P carried by the announcement and the sheet (SPEC §9)."""
    return {k: plan[k] for k in ANNOUNCED_PLAN_KEYS}


def read_plan(path):
    file = os.path.basename(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", file) from None
    return parse_plan(data, file)
