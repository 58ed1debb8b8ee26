"""The verification procedure of SPEC §13, with findings naming document, field and entity."""

import glob
import hashlib
import os
import re

from . import DrawError, InputError, jcs
from . import amend, ceremony, minisign
from . import log as office_log
from .digest import table_digest
from .draw import Draw, plan_quotas, quota_k
from .plan import announced_plan, plan_digest, read_plan
from .roster import find_input, read_table

TABLE_KINDS = ["entities", "inspectors", "items", "conflicts", "history"]
INPUT_FILES = {kind: kind + ".csv" for kind in TABLE_KINDS}  # or <kind>.xlsx (roster.find_input)
PLAN_FILE = "plan.toml"


class UsageError(Exception):
    """Missing files or arguments: exit status 2."""


class Finding:
    def __init__(self, document, field, message, entity=None):
        self.document = document
        self.field = field
        self.message = message
        self.entity = entity

    def __str__(self):
        where = self.document
        if self.field:
            where += f": {self.field}"
        if self.entity:
            where += f" (entity {self.entity})"
        return f"{where}: {self.message}"


class Report:
    """Checks in order, each ok / FAIL / not checked, and every finding."""

    def __init__(self):
        self.checks = []  # (status, title, [findings or notes])
        self.findings = []
        self._current = None

    def begin(self, title):
        self._current = [title, []]

    def finding(self, document, field, message, entity=None):
        f = Finding(document, field, message, entity)
        self.findings.append(f)
        if self._current is not None:
            self._current[1].append(f)
        return f

    def failing(self):
        """Whether the check under way has findings so far."""
        return bool(self._current and self._current[1])

    def end(self):
        title, found = self._current
        self.checks.append(("FAIL" if found else "ok", title, found))
        self._current = None
        return not found

    def not_checked(self, title, why):
        self.checks.append(("not checked", title, [why]))

    @property
    def passed(self):
        return not self.findings

    def lines(self):
        width = max(len(s) for s, _, _ in self.checks) if self.checks else 4
        out = []
        for status, title, details in self.checks:
            out.append(f"[{status:^{width}}] {title}")
            out.extend(f"{' ' * (width + 3)}{d}" for d in details)
        out.append("PASS" if self.passed else f"FAIL ({len(self.findings)} findings)")
        if not self.passed:
            out.extend(f"  - {f}" for f in self.findings)
        return out


# ---------------------------------------------------------------- reading published files

def _read(path):
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror}") from None


def find_public_key(directory, explicit):
    if explicit:
        return explicit
    organizer = os.path.join(directory, "organizer.pub")
    if os.path.exists(organizer):
        return organizer
    keys = sorted(glob.glob(os.path.join(directory, "*.pub")))
    if len(keys) == 1:
        return keys[0]
    if not keys:
        raise UsageError(f"{directory}: no public key (organizer.pub or *.pub); "
                         "give one with --public-key FILE")
    raise UsageError(f"{directory}: several public keys ({', '.join(os.path.basename(k) for k in keys)}); "
                     "choose one with --public-key FILE")


def amendment_files(directory):
    found = []
    for path in glob.glob(os.path.join(directory, "amendment-*.json")):
        m = re.fullmatch(r"amendment-([0-9]+)\.json", os.path.basename(path))
        if m:
            found.append((int(m.group(1)), os.path.basename(path)))
    return sorted(found)


def parse_document(report, name, data, shape):
    try:
        doc = jcs.parse_canonical(data, name)
    except InputError as e:
        report.finding(name, None, e.message)
        return None
    problems = []
    ceremony.check_shape(doc, shape, "", problems)
    for field, message in problems:
        report.finding(name, field, message)
    return None if problems else doc


def check_signature(report, directory, name, data, key, draw_id):
    sig_name = name + ".minisig"
    path = os.path.join(directory, sig_name)
    if not os.path.exists(path):
        report.finding(sig_name, None, "missing: every published document is signed (SPEC §14)")
        return
    try:
        sig = minisign.parse_signature(_read(path), sig_name)
    except InputError as e:
        report.finding(sig_name, None, e.message)
        return
    for problem in minisign.verify(data, sig, key):
        report.finding(sig_name, "signature", problem)
    fields = minisign.parse_trusted_comment(sig.trusted_comment)
    if fields is None:
        report.finding(sig_name, "trusted comment",
                       f"{sig.trusted_comment!r} is not draw:<id>\\tfile:<name>\\tsha256:<digest>")
        return
    if draw_id is not None and fields["draw"] != draw_id:
        report.finding(sig_name, "trusted comment draw", f"{fields['draw']!r}, the document says {draw_id!r}")
    # `file` names the document for people and is not checked (SPEC §14).
    digest = hashlib.sha256(data).hexdigest()
    if fields["sha256"] != digest:
        report.finding(sig_name, "trusted comment sha256",
                       f"{fields['sha256']} is not the file's SHA-256 {digest}")


# ---------------------------------------------------------------- the procedure

LOG_FILE = "office.log"


class Verification:
    def __init__(self, directory, key_path=None, log_path=None, allow_pending=False):
        self.dir = directory
        # SPEC §13.1: the office log is checked when given; `office.log` in the folder is.
        if log_path is None and os.path.isfile(os.path.join(directory, LOG_FILE)):
            log_path = os.path.join(directory, LOG_FILE)
        self.log_path = log_path
        self.allow_pending = allow_pending
        self.report = Report()
        if not os.path.isdir(directory):
            raise UsageError(f"{directory}: not a directory")
        self.key_path = find_public_key(directory, key_path)
        self.ann_bytes = _read(os.path.join(directory, "announcement.json"))
        self.sheet_bytes = _read(os.path.join(directory, "sheet.json"))
        self.amendments = [(n, name, _read(os.path.join(directory, name)))
                           for n, name in amendment_files(directory)]
        self.ann = self.sheet = None
        self.plan = None
        self.draw = None
        self.rebuilt_sheet = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self):
        r = self.report
        try:
            key = minisign.parse_public_key(_read(self.key_path), os.path.basename(self.key_path))
        except InputError as e:
            raise UsageError(str(e)) from None

        r.begin("1. announcement.json and sheet.json: canonical JSON, format and version")
        self.ann = parse_document(r, "announcement.json", self.ann_bytes, ceremony.ANNOUNCEMENT)
        self.sheet = parse_document(r, "sheet.json", self.sheet_bytes, ceremony.SHEET)
        r.end()

        r.begin(f"2. signatures with {os.path.basename(self.key_path)} (key {key.key_id_hex})")
        for name, data, doc in (("announcement.json", self.ann_bytes, self.ann),
                                ("sheet.json", self.sheet_bytes, self.sheet)):
            check_signature(r, self.dir, name, data, key, doc["draw_id"] if doc else None)
        if self.ann and self.ann["key_id"] != key.key_id_hex:
            r.finding("announcement.json", "key_id",
                      f"{self.ann['key_id']} is not the public key's id {key.key_id_hex}")
        r.end()

        if self.ann is None or self.sheet is None:
            r.not_checked("3-7. everything else", "the announcement or the sheet could not be read")
            return r
        self.check_documents()
        self.check_seed()
        self.check_plan()
        self.check_amendments(key)
        self.check_log()
        self.replay()
        return r

    # §12, when the office log is given
    def check_log(self):
        r = self.report
        if not self.log_path:
            r.not_checked("6b. the office log (SPEC §12)",
                          f"no {LOG_FILE} in the folder and no --log FILE")
            return
        name = os.path.basename(self.log_path)
        r.begin(f"6b. the office log {name} (SPEC §12)")
        entries = office_log.check_log(_read(self.log_path), name, r, self.allow_pending)
        office_log.check_documents_logged(
            entries, name, r, self.ann, self.ann_digest.hex(),
            hashlib.sha256(self.sheet_bytes).hexdigest(),
            [(n, hashlib.sha256(d).hexdigest()) for _, n, d in self.amendments])
        r.end()

    # 3
    def check_documents(self):
        r, ann, sheet = self.report, self.ann, self.sheet
        r.begin("3. the sheet answers the announcement: digest, draw id, plan, times")
        self.ann_digest = hashlib.sha256(self.ann_bytes).digest()
        if sheet["announcement"] != self.ann_digest.hex():
            r.finding("sheet.json", "announcement",
                      f"{sheet['announcement']} is not the announcement's SHA-256 {self.ann_digest.hex()}")
        if sheet["draw_id"] != ann["draw_id"]:
            r.finding("sheet.json", "draw_id", f"{sheet['draw_id']!r}, announced {ann['draw_id']!r}")
        if sheet["plan"] != ann["plan"]:
            r.finding("sheet.json", "plan", "differs from the announced plan")
        announced_at = ceremony.parse_time(ann["announced_at"])
        scheduled_at = ceremony.parse_time(ann["scheduled_at"])
        if scheduled_at < announced_at:
            r.finding("announcement.json", "scheduled_at", "is before announced_at")
        if ceremony.parse_time(sheet["drawn_at"]) < scheduled_at:
            r.finding("sheet.json", "drawn_at",
                      f"{sheet['drawn_at']} is before the scheduled time {ann['scheduled_at']}")
        names = [p["name"] for p in ann["parties"]]
        if len(set(names)) != len(names):
            r.finding("announcement.json", "parties", "party names are not unique")
        if not any(p["role"] == "organizer" for p in ann["parties"]):
            r.finding("announcement.json", "parties", "no organizer")
        r.end()

    # 4
    def check_seed(self):
        r, ann, sheet = self.report, self.ann, self.sheet
        r.begin("4. reveals match the commitments; the beacon; the seed")
        parties, reveals = ann["parties"], sheet["reveals"]
        if len(reveals) != len(parties):
            r.finding("sheet.json", "reveals", f"{len(reveals)} reveals for {len(parties)} parties")
        for n, (party, reveal) in enumerate(zip(parties, reveals)):
            if reveal["name"] != party["name"]:
                r.finding("sheet.json", f"reveals[{n}].name",
                          f"{reveal['name']!r}, the announcement's party {n + 1} is {party['name']!r}")
            got = ceremony.commitment(party["name"], bytes.fromhex(reveal["secret"])).hex()
            if got != party["commitment"]:
                r.finding("sheet.json", f"reveals[{n}].secret",
                          f"does not open {party['name']!r}'s commitment {party['commitment']}")
        self.bls_round = None
        beacon_part = self.check_beacon()
        secrets = [bytes.fromhex(x["secret"]) for x in reveals]
        seed = ceremony.seed(self.ann_digest, secrets, beacon_part)
        if seed.hex() != sheet["seed"]:
            r.finding("sheet.json", "seed", f"{sheet['seed']} is not the seed recomputed from the "
                      f"reveals and beacon, {seed.hex()} (SPEC §8.3)")
        r.end()
        if self.bls_round is not None:
            r.not_checked(f"4b. drand BLS signature of round {self.bls_round}",
                          "not checked (no BLS library); randomness = SHA-256(signature) and "
                          "the round are checked")

    def check_beacon(self):
        r, announced, value = self.report, self.ann["beacon"], self.sheet["beacon"]
        if announced is None:
            if value is not None:
                r.finding("sheet.json", "beacon", "a beacon value, but none was announced")
            return None
        if value is None or value["kind"] != announced["kind"]:
            r.finding("sheet.json", "beacon", f"the announced {announced['kind']} beacon value is missing")
            return None
        if announced["kind"] == "external":
            return ceremony.beacon_bytes(value)
        # drand
        if value["round"] != announced["round"]:
            r.finding("sheet.json", "beacon.round", f"{value['round']}, announced {announced['round']}")
        period = announced["period_seconds"]
        if period < 1 or announced["round"] < 1:
            r.finding("announcement.json", "beacon", "period_seconds and round must be at least 1")
        else:
            published = ceremony.drand_round_time(announced["round"], announced["genesis_time"], period)
            if published <= ceremony.parse_time(self.ann["announced_at"]):
                r.finding("announcement.json", "beacon.round",
                          f"round {announced['round']} was published at Unix time {published}, "
                          "not after the announcement")
        signature = bytes.fromhex(value["signature"])
        if hashlib.sha256(signature).hexdigest() != value["randomness"]:
            r.finding("sheet.json", "beacon.randomness", "is not SHA-256(signature)")
        chained = announced["scheme"] in ceremony.CHAINED_SCHEMES
        if chained != ("previous_signature" in value):
            r.finding("sheet.json", "beacon.previous_signature",
                      "required for a chained scheme, absent otherwise")
        self.bls_round = value["round"]
        return bytes.fromhex(value["randomness"])

    # 5
    def check_plan(self):
        r, sheet = self.report, self.sheet
        if not os.path.exists(self.path(PLAN_FILE)):
            r.not_checked("5. the plan: digest, strata and quotas", f"{PLAN_FILE} not given")
            return
        r.begin("5. the plan: digest, strata and quotas")
        try:
            self.plan = read_plan(self.path(PLAN_FILE))
        except InputError as e:
            r.finding(PLAN_FILE, e.field, e.message)
            r.end()
            return
        digest = plan_digest(self.plan)
        if digest != self.ann["inputs"]["plan"]:
            r.finding(PLAN_FILE, None, f"plan digest {digest}, announced {self.ann['inputs']['plan']}")
        if announced_plan(self.plan) != self.ann["plan"]:
            r.finding("announcement.json", "plan", f"differs from {PLAN_FILE}")
        quotas = plan_quotas(self.plan)
        labels = [s["stratum"] for s in sheet["strata"]]
        if labels != list(quotas):
            r.finding("sheet.json", "strata", f"strata {labels}, the plan has {list(quotas)}")
        for s in sheet["strata"]:
            q = quotas.get(s["stratum"])
            if q is not None and quota_k(q, s["n"]) != s["k"]:
                r.finding("sheet.json", f"strata[{s['stratum']}].k",
                          f"{s['k']}, the quota for n = {s['n']} is {quota_k(q, s['n'])}")
        total = sum(s["k"] for s in sheet["strata"])
        if total != len(sheet["entities"]):
            r.finding("sheet.json", "entities", f"{len(sheet['entities'])} entities, the strata draw {total}")
        for e in sheet["entities"]:
            if self.plan["publish_risk"] != ("stratum" in e):
                r.finding("sheet.json", "entities[].stratum",
                          "present exactly when the plan publishes risk classes", e["id"])
                break
        r.end()

    # 6
    def check_amendments(self, key):
        r = self.report
        self.amendment_docs = []
        if not self.amendments:
            return
        r.begin(f"6. amendments ({len(self.amendments)}): signature, sheet, sequence, chain")
        sheet_digest = hashlib.sha256(self.sheet_bytes).hexdigest()
        previous = None
        for position, (n, name, data) in enumerate(self.amendments, 1):
            doc = parse_document(r, name, data, ceremony.AMENDMENT)
            check_signature(r, self.dir, name, data, key, doc["draw_id"] if doc else None)
            if n != position:
                r.finding(name, None, f"amendment {position} is missing (found {n})")
            if doc is not None:
                if doc["seq"] != position:
                    r.finding(name, "seq", f"{doc['seq']}, expected {position}")
                if doc["sheet"] != sheet_digest:
                    r.finding(name, "sheet", "is not the sheet's SHA-256")
                if doc["previous"] != previous:
                    r.finding(name, "previous", f"{doc['previous']}, expected {previous} "
                              "(the previous amendment's SHA-256)")
                if doc["draw_id"] != self.sheet["draw_id"]:
                    r.finding(name, "draw_id", f"{doc['draw_id']!r} is not the sheet's")
                kind = doc["action"]["kind"]
                codes = ceremony.ENTITY_REASONS if kind == "replace_entity" else ceremony.INSPECTOR_REASONS
                if doc["reason"]["code"] not in codes:
                    r.finding(name, "reason.code", f"{doc['reason']['code']} does not go with {kind}")
                if doc["outcome"]["kind"] != kind:
                    r.finding(name, "outcome.kind", f"{doc['outcome']['kind']}, the action is {kind}")
                if ceremony.parse_time(doc["amended_at"]) < ceremony.parse_time(self.sheet["drawn_at"]):
                    r.finding(name, "amended_at", "is before the sheet's drawn_at")
            self.amendment_docs.append((name, data, doc))
            previous = hashlib.sha256(data).hexdigest()
        r.end()

    # 7
    def replay(self):
        r = self.report
        files = {}
        try:
            for kind in TABLE_KINDS:
                files[kind] = find_input(self.dir, kind)
        except InputError as e:
            r.begin("7a. input digests equal the announced ones")
            r.finding(e.file, None, e.message)
            r.end()
            return
        missing = [INPUT_FILES[k] for k, f in files.items() if f is None]
        missing += [PLAN_FILE] if not os.path.exists(self.path(PLAN_FILE)) else []
        if missing:
            r.not_checked("7. replay of the draw from the inputs", f"inputs not given: {', '.join(missing)}")
            return
        if self.plan is None:
            r.not_checked("7. replay of the draw from the inputs", f"{PLAN_FILE} could not be read")
            return
        r.begin("7a. input digests equal the announced ones")
        tables = {}
        for kind in TABLE_KINDS:
            try:
                tables[kind] = read_table(kind, self.path(files[kind]))
            except InputError as e:
                r.finding(e.file or files[kind], e.field,
                          f"line {e.line}: {e.message}" if e.line else e.message)
                continue
            digest = table_digest(kind, tables[kind].rows).hex()
            announced = self.ann["inputs"][kind]
            if digest != announced["digest"] or len(tables[kind].rows) != announced["rows"]:
                r.finding(files[kind], None,
                          f"{len(tables[kind].rows)} rows, digest {digest}; announced "
                          f"{announced['rows']} rows, digest {announced['digest']}")
        if not r.end():
            r.not_checked("7b. replay of the draw", "the inputs are not the announced ones")
            return

        r.begin("7b. replay of the draw (SPEC §6-§7) and the whole sheet")
        rows = {kind: t.rows for kind, t in tables.items()}
        try:
            self.draw = Draw(self.plan, rows, bytes.fromhex(self.sheet["seed"]))
        except DrawError as e:
            r.finding("sheet.json", None, f"the replay fails: {e}")
            r.end()
            return
        self.rebuilt_sheet = rebuild_sheet(self.draw, self.ann, self.ann_digest.hex(), self.sheet)
        compare_sheet(r, self.sheet, self.rebuilt_sheet)
        if jcs.encode(self.rebuilt_sheet) != self.sheet_bytes:
            r.finding("sheet.json", None, "the document is not byte for byte the rebuilt sheet")
        r.end()

        if self.amendment_docs:
            r.begin("7c. replay of every amendment (SPEC §11)")
            self.replay_amendments()
            r.end()

    def replay_amendments(self):
        r, draw = self.report, self.draw
        state = amend.State(draw, self.sheet["entities"])
        caps = {p["label"]: p["cap"] for p in self.sheet["pools"]}
        sheet_digest = hashlib.sha256(self.sheet_bytes).hexdigest()
        previous = None
        for seq, (name, data, doc) in enumerate(self.amendment_docs, 1):
            if doc is None:
                r.finding(name, None, "not replayed: the document could not be read")
                return
            try:
                outcome, inspectors = amend.replay(state, doc["action"], seq, caps)
            except DrawError as e:
                r.finding(name, "action", f"the replay fails: {e}", doc["action"].get("entity"))
                return
            expected = {
                "action": doc["action"], "amended_at": doc["amended_at"],
                "draw_id": self.sheet["draw_id"], "format": "double-random/amendment",
                "inspectors": inspectors, "outcome": outcome, "previous": previous,
                "reason": doc["reason"], "seq": seq, "sheet": sheet_digest, "version": "v1",
            }
            if outcome != doc["outcome"]:
                r.finding(name, "outcome", f"the replay gives {jcs.dumps(outcome)}",
                          doc["action"]["entity"])
            if inspectors != doc["inspectors"]:
                r.finding(name, "inspectors", f"the replay gives {jcs.dumps(inspectors)}")
            if jcs.encode(expected) != data:
                r.finding(name, None, "the document is not byte for byte the replayed amendment")
            previous = hashlib.sha256(data).hexdigest()


def rebuild_sheet(draw, ann, ann_digest_hex, published):
    """The sheet as the replay makes it, with the published reveals, beacon and drawn_at."""
    return {
        "announcement": ann_digest_hex,
        "beacon": published["beacon"],
        "draw_id": ann["draw_id"],
        "drawn_at": published["drawn_at"],
        **draw.sheet_parts(),
        "format": "double-random/sheet",
        "plan": announced_plan(draw.plan),
        "reveals": published["reveals"],
        "seed": draw.seed.hex(),
        "version": "v1",
    }


def compare_sheet(r, sheet, expected):
    """Findings per stratum, per entity, then excluded, pools and inspectors."""
    got_strata = {s["stratum"]: s for s in sheet["strata"]}
    for s in expected["strata"]:
        g = got_strata.get(s["stratum"])
        if g is None:
            r.finding("sheet.json", f"strata[{s['stratum']}]", "missing")
            continue
        for field in ("n", "k", "members_digest"):
            if g[field] != s[field]:
                r.finding("sheet.json", f"strata[{s['stratum']}].{field}",
                          f"{g[field]}, the replay gives {s[field]}")
    got = {e["id"]: e for e in sheet["entities"]}
    want = {e["id"]: e for e in expected["entities"]}
    for eid, e in want.items():
        g = got.get(eid)
        if g is None:
            r.finding("sheet.json", "entities", "drawn by the replay but not on the sheet", eid)
            continue
        for field in ("name", "officers", "experts", "stratum"):
            if g.get(field) != e.get(field):
                r.finding("sheet.json", f"entities[].{field}",
                          f"{jcs.dumps(g.get(field))}, the replay gives {jcs.dumps(e.get(field))}", eid)
    for eid in got:
        if eid not in want:
            r.finding("sheet.json", "entities", "on the sheet but not drawn by the replay", eid)
    if [e["id"] for e in sheet["entities"]] != sorted(got):
        r.finding("sheet.json", "entities", "not in ascending id order")
    for field in ("excluded", "pools", "inspectors"):
        if sheet[field] != expected[field]:
            r.finding("sheet.json", field, f"{jcs.dumps(sheet[field])}, the replay gives "
                      f"{jcs.dumps(expected[field])}")
