"""Outcome records (一公开) and the working-day deadline, from SPEC §18.

`review()` checks a draw's signed outcome records against its sheet and amendments and the
State Council's holiday calendars, and says where each drawn entity stands on a given day.
Written from the specification alone; `tests/vectors/outcomes-recusals/expected.json` is the
Rust implementation's answer, reproduced here byte for byte.
"""

import datetime
import hashlib
import re
import tomllib

from . import VERSION, InputError, jcs, minisign

FORMAT = "double-random/outcomes"
WORKING_DAYS = 20

# SPEC §18.2: the national publicity system's result vocabulary.
STANDARD_RESULTS = {
    "no_problem": "未发现问题",
    "undisclosed_information": "未按规定公示应当公示的信息",
    "false_disclosure": "公示信息隐瞒真实情况、弄虚作假",
    "unreachable_at_address": "通过登记的住所（经营场所）无法联系",
    "corrected_on_order": "发现问题已责令改正",
    "refused_cooperation": "不予配合情节严重",
    "no_relevant_activity": "未发现开展本次抽查涉及的经营活动",
    "closed_or_moved": "已注销或已迁出",
}
FOLLOW_UPS = ("abnormal_list", "case_opened", "ordered_to_correct", "referred", "revisit")
DEVIATIONS = ("inspector_absent", "inspector_added", "team_replaced", "other")
OWN_CODE = re.compile(r"x-[A-Za-z0-9-]+")

KEYS = {"accounts_for", "draw_id", "format", "inspections_end", "previous", "published_at",
        "results", "seq", "sheet", "version"}
RESULT_KEYS = {"corrects", "deviation", "entity", "follow_up", "formed_on", "inspected_on",
               "inspectors", "items"}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
HEX = re.compile(r"[0-9a-f]{64}")


# ---------------------------------------------------------------- §18.3 calendars

class Calendars:
    """The State Council's schedules loaded, one per year (SPEC §18.3)."""

    def __init__(self):
        self.years = {}  # year -> (off set, work set, provisional)

    def add_toml(self, text, file):
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputError(str(e), file) from None
        unknown = set(doc) - {"year", "source", "provisional", "holiday"}
        if unknown or not isinstance(doc.get("year"), int) or not isinstance(doc.get("source"), str):
            raise InputError(f"expected year, source, provisional, [[holiday]]; found {sorted(doc)}", file)
        year = doc["year"]
        if year in self.years:
            raise InputError(f"a calendar for {year} is already loaded", file)
        off, work = set(), set()
        for h in doc.get("holiday", []):
            if set(h) - {"name", "off", "work"}:
                raise InputError(f"unknown keys {sorted(set(h) - {'name', 'off', 'work'})}", file)
            for key, into in (("off", off), ("work", work)):
                for d in h.get(key, []):
                    d = d if isinstance(d, datetime.date) else _date(d, file, key)
                    if d.year != year:
                        raise InputError(f"{d} is not in {year}", file, field=key)
                    into.add(d)
        both = off & work
        if both:
            raise InputError(f"{min(both)} is listed both as a day off and as a working day", file)
        self.years[year] = (off, work, bool(doc.get("provisional", False)))

    def working(self, d):
        """True or False, or None when no calendar covers d's year."""
        cal = self.years.get(d.year)
        if cal is None:
            return None
        off, work, _ = cal
        return d in work or (d.weekday() < 5 and d not in off)

    def deadline(self, formed, n=WORKING_DAYS):
        """(date, None), or (None, year) when the count reaches a year without a calendar."""
        d, counted = formed, 0
        while counted < n:
            d += datetime.timedelta(days=1)
            w = self.working(d)
            if w is None:
                return None, d.year
            if w:
                counted += 1
        return d, None


def _date(s, file=None, field=None):
    if not isinstance(s, str) or not DATE.fullmatch(s):
        raise InputError(f"{s!r} is not a date YYYY-MM-DD", file, field=field)
    try:
        return datetime.date.fromisoformat(s)
    except ValueError:
        raise InputError(f"{s!r} is not a date", file, field=field) from None


def _unix(t):
    return int(datetime.datetime.strptime(t, "%Y-%m-%dT%H:%M:%SZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp())


def beijing_date(t):
    """The calendar date of a UTC time `...Z` at UTC+08:00 (SPEC §18.1)."""
    return (datetime.datetime.fromtimestamp(_unix(t), datetime.timezone.utc)
            + datetime.timedelta(hours=8)).date()


# ---------------------------------------------------------------- §18.1 the document

def parse(data, name):
    """A record's value, checked for canonical form and shape; InputError otherwise."""
    doc = jcs.parse_canonical(data, name)
    if not isinstance(doc, dict) or set(doc) != KEYS:
        raise InputError(f"members must be {sorted(KEYS)}", name)
    if doc["format"] != FORMAT:
        raise InputError(f"format is {doc['format']!r}, not {FORMAT!r}", name)
    if doc["version"] != VERSION:
        raise InputError(f"version {doc['version']!r} is not supported", name)
    ok = (isinstance(doc["draw_id"], str) and isinstance(doc["seq"], int)
          and isinstance(doc["sheet"], str) and HEX.fullmatch(doc["sheet"])
          and (doc["previous"] is None or (isinstance(doc["previous"], str) and HEX.fullmatch(doc["previous"])))
          and isinstance(doc["published_at"], str) and TIME.fullmatch(doc["published_at"])
          and isinstance(doc["accounts_for"], dict) and set(doc["accounts_for"]) == {"amendment", "seq"}
          and isinstance(doc["accounts_for"]["seq"], int) and doc["accounts_for"]["seq"] >= 0
          and isinstance(doc["results"], list))
    if not ok:
        raise InputError("a member has the wrong type", name)
    _date(doc["inspections_end"], name, "inspections_end")
    for r in doc["results"]:
        if not isinstance(r, dict) or set(r) != RESULT_KEYS:
            raise InputError(f"a result's members must be {sorted(RESULT_KEYS)}", name, field="results")
        _date(r["inspected_on"], name, "inspected_on")
        _date(r["formed_on"], name, "formed_on")
        if not all(isinstance(i, dict) and set(i) == {"item", "result", "text"} for i in r["items"]):
            raise InputError("an item must be {item, result, text}", name, field="items")
        if not all(f in FOLLOW_UPS for f in r["follow_up"]) or r["follow_up"] != sorted(set(r["follow_up"])):
            raise InputError("follow_up must be distinct codes of SPEC §18.1, ascending", name, field="follow_up")
        dev = r["deviation"]
        if dev is not None and (not isinstance(dev, dict) or set(dev) != {"code", "text"} or dev["code"] not in DEVIATIONS):
            raise InputError("deviation must be null or {code, text}", name, field="deviation")
        c = r["corrects"]
        if c is not None and (not isinstance(c, dict) or set(c) != {"document", "reason"}
                              or not HEX.fullmatch(str(c["document"]))):
            raise InputError("corrects must be null or {document, reason}", name, field="corrects")
    return doc


def state_after(sheet, amendments):
    """SPEC §11.1: the entities and their teams after the amendments given, by id."""
    entities = {e["id"]: e for e in sheet["entities"]}
    for a in amendments:
        action, outcome = a["action"], a["outcome"]
        if action["kind"] == "replace_entity":
            entities.pop(action["entity"], None)
            entities[outcome["entity"]["id"]] = outcome["entity"]
        elif action["entity"] in entities:
            e = dict(entities[action["entity"]])
            swap = lambda ids: [outcome["inspector"] if i == action["inspector"] else i for i in ids]
            e["officers"], e["experts"] = swap(e["officers"]), swap(e["experts"])
            entities[action["entity"]] = e
    return [entities[k] for k in sorted(entities)]


def check_signature(name, data, signature_text, key, draw_id):
    """None, or the cause of an outcome.signature finding (SPEC §18.5 step 1)."""
    if signature_text is None:
        return "missing"
    try:
        sig = minisign.parse_signature(signature_text, name + ".minisig")
    except InputError:
        return "unreadable"
    if minisign.verify(data, sig, key):
        return "bad_signature"
    fields = minisign.parse_trusted_comment(sig.trusted_comment) or {}
    if fields.get("draw") != draw_id:
        return "comment.draw"
    if fields.get("sha256") != hashlib.sha256(data).hexdigest():
        return "comment.sha256"
    return None


# ---------------------------------------------------------------- §18.5 checks

def _finding(kind, document=None, entity=None, **fields):
    return {"code": kind, "document": document, "entity": entity,
            "fields": {k: str(v) for k, v in fields.items()}}


def review(sheet, sheet_bytes, amendments, amendment_bytes, records, calendars, today,
           key=None, inspections_end=None, vocabulary=None):
    """SPEC §18.5. `records` is a list of (name, bytes, signature text or None); with `key`
    the signatures are checked first. Returns (findings, statuses, inspections_end, completed).
    `vocabulary` maps an item to the codes it admits (None: every standard and x- code)."""
    findings = []
    if key is not None:
        for name, data, sig in records:
            cause = check_signature(name, data, sig, key, sheet["draw_id"])
            if cause:
                findings.append(_finding("outcome.signature", name, cause=cause))
    sheet_digest = hashlib.sha256(sheet_bytes).hexdigest()
    a_digests = [hashlib.sha256(b).hexdigest() for b in amendment_bytes]
    drawn_on = beijing_date(sheet["drawn_at"])
    current = {}  # entity -> (record index, record digest, result)
    parsed = []
    prev = None  # (digest, published_at, accounts_for seq)
    for i, (name, data, _) in enumerate(records):
        try:
            rec = parse(data, name)
        except InputError as e:
            findings.append(_finding("outcome.unreadable", name, error=e.message))
            break
        digest = hashlib.sha256(data).hexdigest()

        def cites(field, expected, found):
            if expected != found:
                findings.append(_finding("outcome.cites", name, field=field, expected=expected, found=found))

        hexn = lambda d: "null" if d is None else d
        cites("sheet", sheet_digest, rec["sheet"])
        cites("draw_id", sheet["draw_id"], rec["draw_id"])
        cites("seq", str(i + 1), str(rec["seq"]))
        cites("previous", hexn(prev and prev[0]), hexn(rec["previous"]))
        s = rec["accounts_for"]["seq"]
        if s > len(amendments):
            cites("accounts_for.seq", f"at most {len(amendments)}", str(s))
        else:
            cites("accounts_for.amendment", hexn(a_digests[s - 1] if s else None),
                  hexn(rec["accounts_for"]["amendment"]))
        if prev is not None and s < prev[2]:
            cites("accounts_for.seq", f"at least {prev[2]}", str(s))
        published = _unix(rec["published_at"])
        not_before = max(_unix(sheet["drawn_at"]), prev[1] if prev else 0)
        if published < not_before:
            findings.append(_finding("outcome.time", name, not_before=_utc(not_before),
                                     found=rec["published_at"]))
        s = min(s, len(amendments))
        stale = next((a for a in amendments[s:] if _unix(a["amended_at"]) <= published), None)
        if stale is not None:
            findings.append(_finding("outcome.stale", name, amendment=stale["seq"]))
        state = {e["id"]: e for e in state_after(sheet, amendments[:s])}
        published_on = beijing_date(rec["published_at"])
        last = None
        for r in rec["results"]:
            entity = r["entity"]
            team = state.get(entity)
            if team is None:
                findings.append(_finding("outcome.not_drawn", name, entity))
                continue
            if last is not None and last >= entity:
                findings.append(_finding("outcome.duplicate", name, entity))
            last = entity
            _check_items(findings, name, r, sheet["plan"]["items"], vocabulary)
            _check_team(findings, name, r, team)
            inspected, formed = _date(r["inspected_on"]), _date(r["formed_on"])
            if inspected < drawn_on:
                findings.append(_finding("outcome.dates", name, entity, field="inspected_on"))
            if formed < inspected or formed > published_on:
                findings.append(_finding("outcome.dates", name, entity, field="formed_on"))
            held = current.get(entity, (None, None, None))[1]
            c = r["corrects"]
            if c is None and held is not None:
                findings.append(_finding("outcome.duplicate", name, entity))
                continue
            if c is not None and (c["document"] != held or not c["reason"].strip()):
                findings.append(_finding("outcome.correction", name, entity, cited=c["document"],
                                         current=held or ""))
                continue
            deadline, missing = calendars.deadline(formed)
            if deadline is None:
                findings.append(_finding("outcome.calendar", name, entity, year=missing))
            elif published_on > deadline:
                findings.append(_finding("outcome.late", name, entity, formed_on=formed,
                                         deadline=deadline, published_on=published_on))
            current[entity] = (i, digest, r)
        prev = (digest, published, rec["accounts_for"]["seq"])
        parsed.append((name, rec))
    end = _date(parsed[-1][1]["inspections_end"]) if parsed else inspections_end
    due = calendars.deadline(end) if end is not None else None
    statuses = []
    for e in state_after(sheet, amendments):
        held = current.get(e["id"])
        if held is not None:
            i, _, r = held
            name, rec = parsed[i]
            published_on = beijing_date(rec["published_at"])
            deadline, _ = calendars.deadline(_date(r["formed_on"]))
            late = deadline is not None and published_on > deadline
            statuses.append({"entity": e["id"], "standing": "published_late" if late else "published",
                             "deadline": deadline and str(deadline), "document": name,
                             "published_on": str(published_on),
                             "results": [[it["item"], it["result"]] for it in r["items"]]})
            continue
        standing, deadline = "due", None
        if due is not None:
            deadline, missing = due
            if deadline is None:
                findings.append(_finding("outcome.calendar", None, e["id"], year=missing))
            elif today > deadline:
                standing = "overdue"
                findings.append(_finding("outcome.overdue", None, e["id"], deadline=deadline))
        statuses.append({"entity": e["id"], "standing": standing,
                         "deadline": deadline and str(deadline), "document": None,
                         "published_on": None, "results": None})
    return findings, statuses, end, len(current)


def _utc(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _check_items(findings, name, r, plan_items, vocabulary):
    entity = r["entity"]
    if not r["items"]:
        findings.append(_finding("outcome.item", name, entity, item="", problem="empty"))
    last = None
    for it in r["items"]:
        if it["item"] not in plan_items:
            findings.append(_finding("outcome.item", name, entity, item=it["item"], problem="not_in_plan"))
        if last is not None and last >= it["item"]:
            findings.append(_finding("outcome.item", name, entity, item=it["item"], problem="order"))
        last = it["item"]
        code, text = it["result"], it["text"]
        if code in STANDARD_RESULTS:
            ok = STANDARD_RESULTS[code] == text
        else:
            ok = bool(OWN_CODE.fullmatch(code)) and bool(text.strip())
        if not ok:
            findings.append(_finding("outcome.result", name, entity, item=it["item"], code=code, text=text))
        elif vocabulary is not None and code not in vocabulary.get(it["item"], vocabulary.get(None, {code})):
            findings.append(_finding("outcome.not_allowed", name, entity, item=it["item"], code=code))


def _check_team(findings, name, r, team):
    drawn = set(team["officers"]) | set(team["experts"])
    ids = r["inspectors"]
    ordered = all(a < b for a, b in zip(ids, ids[1:]))
    took = set(ids)
    dev = r["deviation"]
    explained = dev is not None and bool(dev["text"].strip())
    if ordered and (explained or (dev is None and took == drawn)):
        return
    extra = sorted(took - drawn)
    if not ordered:
        extra += [b for a, b in zip(ids, ids[1:]) if a >= b]
    findings.append(_finding("outcome.team", name, r["entity"],
                             missing=",".join(sorted(drawn - took)), extra=",".join(extra)))
