"""The verification procedure of SPEC §13, with findings naming document, field and entity."""

import glob
import hashlib
import os
import re
import time

from . import VERSION, DrawError, InputError, jcs
from . import amend, ceremony, minisign, timestamp
from .normalize import name_problem, trim
from . import log as office_log
from .digest import table_digest
from .draw import Draw, plan_quotas, quota_k
from .plan import announced_plan, plan_digest, read_plan
from .roster import Table, find_input, read_table

TABLE_KINDS = ["entities", "inspectors", "items", "conflicts", "history"]
INPUT_FILES = {kind: kind + ".csv" for kind in TABLE_KINDS}  # or <kind>.xlsx (roster.find_input)
PLAN_FILE = "plan.toml"
OPTIONAL_TABLES = ("conflicts", "history")  # may be absent (SPEC §13.1 step 9)


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
    """Checks in order, each passed / failed / not checked, every finding, and the verdict.

    The verdict is PASS only when every check that ran passed and the public key was named
    by the user (SPEC §13.1); NOT VERIFIED when nothing failed but the key was not named."""

    def __init__(self, key_named=True):
        self.checks = []  # (status, title, [findings or notes])
        self.findings = []
        self.key_named = key_named
        self.summary = []  # the trust summary (SPEC §13.3), printed after the verdict
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

    def end(self, notes=()):
        title, found = self._current
        self.checks.append(("failed" if found else "passed", title, found + list(notes)))
        self._current = None
        return not found

    def not_checked(self, title, why):
        self.checks.append(("not checked", title, [why]))

    @property
    def verdict(self):
        if self.findings:
            return "FAIL"
        return "PASS" if self.key_named else "NOT VERIFIED"

    @property
    def passed(self):
        return self.verdict == "PASS"

    @property
    def exit_status(self):
        return {"PASS": 0, "FAIL": 1, "NOT VERIFIED": 6}[self.verdict]

    def lines(self):
        width = max(len(s) for s, _, _ in self.checks) if self.checks else 4
        out = []
        for status, title, details in self.checks:
            out.append(f"[{status:^{width}}] {title}")
            out.extend(f"{' ' * (width + 3)}{d}" for d in details)
        verdict = self.verdict
        if verdict == "FAIL":
            out.append(f"FAIL ({len(self.findings)} findings)")
            out.extend(f"  - {f}" for f in self.findings)
        elif verdict == "NOT VERIFIED":
            out.append("NOT VERIFIED: no check failed, but the office's public key was not "
                       "named with --public-key; a key found only in the published folder "
                       "proves nothing (anyone who can write the folder can replace it)")
        else:
            out.append("PASS")
        if self.summary:
            out.append("")
            out.append("What stops the office from choosing this result (SPEC §13.3):")
            out.extend(f"  {line}" for line in self.summary)
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
TOKEN_FILE = "announcement.json.tsr"


def _utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def find_log(directory):
    """SPEC §12.4: the office log sits beside the draw folders; also accepted in the folder."""
    for path in (os.path.join(directory, LOG_FILE),
                 os.path.join(os.path.dirname(os.path.abspath(directory)), LOG_FILE)):
        if os.path.isfile(path):
            return path
    return None


class Verification:
    def __init__(self, directory, key_path=None, log_path=None, strict=False, tsa_certs=()):
        self.dir = directory
        if not os.path.isdir(directory):
            raise UsageError(f"{directory}: not a directory")
        self.key_named = key_path is not None
        self.log_path = log_path or find_log(directory)
        self.strict = strict
        self.tsa_cert_paths = list(tsa_certs)
        self.report = Report(self.key_named)
        self.key_path = find_public_key(directory, key_path)
        self.ann_bytes = _read(os.path.join(directory, "announcement.json"))
        self.has_sheet = os.path.exists(self.path("sheet.json"))
        self.void_bytes = _read(self.path("void.json")) if os.path.exists(self.path("void.json")) else None
        if not self.has_sheet and self.void_bytes is None:
            raise UsageError(f"{directory}: neither sheet.json nor void.json")
        self.sheet_bytes = _read(self.path("sheet.json")) if self.has_sheet else None
        self.amendments = [(n, name, _read(os.path.join(directory, name)))
                           for n, name in amendment_files(directory)]
        self.ann = self.sheet = self.void = None
        self.ann_digest = hashlib.sha256(self.ann_bytes).digest()
        self.plan = None
        self.draw = None
        self.rebuilt_sheet = None
        self.amendment_docs = []
        self.time_proof = None  # (TSA subject, genTime) when a token was checked and holds
        self.token_state = "none"
        self.log = None
        self.fates = None
        self.today = None  # the day outcome records are judged by (SPEC §18.5); None: today

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self):
        r = self.report
        try:
            key = minisign.parse_public_key(_read(self.key_path), os.path.basename(self.key_path))
        except InputError as e:
            raise UsageError(str(e)) from None
        trusted = []
        for path in self.tsa_cert_paths:
            try:
                trusted += timestamp.load_certificates(_read(path), path)
            except timestamp.DerError as e:
                raise UsageError(str(e)) from None

        r.begin("1. documents: canonical JSON, format and version")
        self.ann = parse_document(r, "announcement.json", self.ann_bytes, ceremony.ANNOUNCEMENT)
        if self.has_sheet:
            self.sheet = parse_document(r, "sheet.json", self.sheet_bytes, ceremony.SHEET)
        if self.void_bytes is not None:
            self.void = parse_document(r, "void.json", self.void_bytes, ceremony.VOID)
        r.end()

        where = ("named with --public-key" if self.key_named else
                 "found in the folder, NOT named with --public-key: it proves nothing")
        r.begin(f"2. signatures with {os.path.basename(self.key_path)} (key {key.key_id_hex}, "
                f"{where})")
        docs = [("announcement.json", self.ann_bytes, self.ann)]
        if self.has_sheet:
            docs.append(("sheet.json", self.sheet_bytes, self.sheet))
        for name, data, doc in docs:
            check_signature(r, self.dir, name, data, key, doc["draw_id"] if doc else None)
        if self.ann and self.ann["key_id"] != key.key_id_hex:
            r.finding("announcement.json", "key_id",
                      f"{self.ann['key_id']} is not the public key's id {key.key_id_hex}")
        r.end()

        if self.ann is None or (self.has_sheet and self.sheet is None):
            r.not_checked("3-10. everything else", "the announcement or the sheet could not be read")
            self.trust_summary()
            return r
        self.check_announcement()
        if self.has_sheet:
            self.check_sheet_answers()
            self.check_seed()
        else:
            r.not_checked("4-5. the sheet, reveals and seed", "no sheet: the draw was voided")
        self.check_timestamp(trusted)
        if self.has_sheet:
            self.check_plan()
        self.check_amendments(key)
        if self.has_sheet:
            self.replay()
        self.check_log(key)
        if self.has_sheet:
            self.check_outcomes(key)
        r.not_checked("the views sheet.csv, sheet.xlsx, notice.html",
                      "not rebuilt by this verifier: they are unsigned, so an edit in them "
                      "shows only in `double-random verify`")
        self.trust_summary()
        return r

    # 11: SPEC §18, when the folder holds outcome records
    def check_outcomes(self, key):
        from . import outcomes
        r = self.report
        records = []
        while os.path.exists(self.path(f"outcomes-{len(records) + 1}.json")):
            name = f"outcomes-{len(records) + 1}.json"
            sig = self.path(name + ".minisig")
            records.append((name, _read(self.path(name)), _read(sig) if os.path.exists(sig) else None))
        if not records:
            return
        cals = outcomes.Calendars()
        for folder in (self.dir, os.path.dirname(os.path.abspath(self.dir)),
                       os.path.dirname(os.path.dirname(os.path.abspath(self.dir)))):
            found = sorted(n for n in os.listdir(folder)
                           if n.startswith("holidays-") and n.endswith(".toml"))
            if found:
                for n in found:
                    try:
                        cals.add_toml(_read(os.path.join(folder, n)).decode("utf-8"), n)
                    except (InputError, UnicodeDecodeError) as e:
                        raise UsageError(f"{n}: {e}") from None
                break
        today = self.today or outcomes.beijing_date(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        amendments = [doc for _, _, doc in self.amendment_docs]
        r.begin(f"11. outcome records ({len(records)}): signatures, citations, entities, teams, "
                f"one current result, 20 working days, overdue on {today} (SPEC §18)")
        if any(doc is None for doc in amendments):
            r.end(["an amendment could not be read: not checked"])
            return
        findings, statuses, _, completed = outcomes.review(
            self.sheet, self.sheet_bytes, amendments, [data for _, data, _ in self.amendment_docs],
            records, cals, today, key=key)
        for f in findings:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(f["fields"].items()))
            r.finding(f["document"] or "outcomes", f["code"], detail, f["entity"])
        r.end([f"{completed} of {len(statuses)} drawn entities have a published result"]
              + ([] if cals.years else ["no holiday calendar (holidays-*.toml) found: deadlines not computed"]))

    # 3: the announcement's own rules (SPEC §9, §8.4, §8.5)
    def check_announcement(self):
        r, ann = self.report, self.ann
        r.begin("3. the announcement's own rules: parties, times, beacon (SPEC §9, §8.4, §8.5)")
        problem = name_problem("draw id", ann["draw_id"])
        if problem is not None:
            r.finding("announcement.json", "draw_id", f"not a safe name (SPEC §3.6): {problem}")
        names = [p["name"] for p in ann["parties"]]
        for n, name in enumerate(names):
            problem = name_problem("party name", name)
            if problem is not None:
                r.finding("announcement.json", f"parties[{n}].name",
                          f"not a safe name (SPEC §3.6): {problem}")
        if len(set(names)) != len(names):
            r.finding("announcement.json", "parties", "party names are not unique")
        organizers = sum(p["role"] == "organizer" for p in ann["parties"])
        if organizers != 1:
            r.finding("announcement.json", "parties",
                      f"{organizers} parties have role organizer; exactly one must")
        announced_at = ceremony.parse_time(ann["announced_at"])
        scheduled_at = ceremony.parse_time(ann["scheduled_at"])
        if scheduled_at < announced_at:
            r.finding("announcement.json", "scheduled_at", "is before announced_at")
        self.beacon_time = None
        beacon = ann["beacon"]
        if beacon is not None:
            problems = ceremony.check_announced_beacon(beacon)
            for field, message in problems:
                r.finding("announcement.json", field, message)
            if not problems:
                self.beacon_time = ceremony.beacon_time(beacon)
                t = self.beacon_time
                if announced_at + ceremony.MARGIN > t:
                    r.finding("announcement.json", "beacon",
                              f"the beacon is public at {_utc(t)}, less than MARGIN = "
                              f"{ceremony.MARGIN} s after announced_at {ann['announced_at']} "
                              "(SPEC §8.5)")
                if t > scheduled_at:
                    r.finding("announcement.json", "beacon",
                              f"the beacon is public at {_utc(t)}, after scheduled_at "
                              f"{ann['scheduled_at']} (SPEC §8.5)")
        r.end()

    # 4
    def check_sheet_answers(self):
        r, ann, sheet = self.report, self.ann, self.sheet
        r.begin("4. the sheet answers the announcement: digest, draw id, plan, times")
        if sheet["announcement"] != self.ann_digest.hex():
            r.finding("sheet.json", "announcement",
                      f"{sheet['announcement']} is not the announcement's SHA-256 {self.ann_digest.hex()}")
        if sheet["draw_id"] != ann["draw_id"]:
            r.finding("sheet.json", "draw_id", f"{sheet['draw_id']!r}, announced {ann['draw_id']!r}")
        if sheet["plan"] != ann["plan"]:
            r.finding("sheet.json", "plan", "differs from the announced plan")
        drawn_at = ceremony.parse_time(sheet["drawn_at"])
        if drawn_at < ceremony.parse_time(ann["scheduled_at"]):
            r.finding("sheet.json", "drawn_at",
                      f"{sheet['drawn_at']} is before the scheduled time {ann['scheduled_at']}")
        if self.beacon_time is not None and drawn_at < self.beacon_time:
            r.finding("sheet.json", "drawn_at", f"{sheet['drawn_at']} is before the beacon's "
                      f"time {_utc(self.beacon_time)}")
        r.end()

    # 5
    def check_seed(self):
        r, ann, sheet = self.report, self.ann, self.sheet
        r.begin("5. reveals open the commitments (bound to the draw); the beacon; the seed")
        parties, reveals = ann["parties"], sheet["reveals"]
        if len(reveals) != len(parties):
            r.finding("sheet.json", "reveals", f"{len(reveals)} reveals for {len(parties)} parties")
        for n, (party, reveal) in enumerate(zip(parties, reveals)):
            if reveal["name"] != party["name"]:
                r.finding("sheet.json", f"reveals[{n}].name",
                          f"{reveal['name']!r}, the announcement's party {n + 1} is {party['name']!r}")
            got = ceremony.commitment(ann["draw_id"], party["name"],
                                      bytes.fromhex(reveal["secret"])).hex()
            if got != party["commitment"]:
                r.finding("sheet.json", f"reveals[{n}].secret",
                          f"does not open {party['name']!r}'s commitment {party['commitment']} "
                          f"for draw {ann['draw_id']!r} (SPEC §8.2)")
        self.bls_round = None
        beacon_part = self.check_beacon()
        secrets = [bytes.fromhex(x["secret"]) for x in reveals]
        seed = ceremony.seed(self.ann_digest, secrets, beacon_part)
        if seed.hex() != sheet["seed"]:
            r.finding("sheet.json", "seed", f"{sheet['seed']} is not the seed recomputed from the "
                      f"reveals and beacon, {seed.hex()} (SPEC §8.3)")
        r.end()
        if self.bls_round is not None:
            r.not_checked(f"5b. drand BLS signature of round {self.bls_round}",
                          "not checked (no BLS library here); randomness = SHA-256(signature) "
                          "and the round are checked")

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
            try:
                ceremony.check_recorded_beacon(value["groups"], announced["groups"])
            except ceremony.BeaconValueError as e:
                r.finding("sheet.json", "beacon.groups", f"{e} (SPEC §8.4.2)")
            return ceremony.beacon_bytes(value)
        if value["round"] != announced["round"]:
            r.finding("sheet.json", "beacon.round", f"{value['round']}, announced {announced['round']}")
        signature = bytes.fromhex(value["signature"])
        if hashlib.sha256(signature).hexdigest() != value["randomness"]:
            r.finding("sheet.json", "beacon.randomness", "is not SHA-256(signature)")
        chained = announced["scheme"] in ceremony.CHAINED_SCHEMES
        if chained != ("previous_signature" in value):
            r.finding("sheet.json", "beacon.previous_signature",
                      "required for a chained scheme, absent otherwise")
        self.bls_round = value["round"]
        return bytes.fromhex(value["randomness"])

    # 6
    def check_timestamp(self, trusted):
        r = self.report
        title = f"6. the timestamp token {TOKEN_FILE} (SPEC §8.5, §8.6)"
        if not os.path.exists(self.path(TOKEN_FILE)):
            r.not_checked(title, "no token: announced_at is the office's own claim")
            return
        if not trusted:
            self.token_state = "unchecked"
            r.not_checked(title, "time not proven: no trusted TSA certificate named with "
                          "--tsa-cert FILE (one from the draw folder would prove nothing)")
            return
        r.begin(title)
        gen_time, subject, findings = timestamp.check_token(
            _read(self.path(TOKEN_FILE)), self.ann_bytes, trusted)
        for rule, message in findings:
            r.finding(TOKEN_FILE, f"rule {rule}", message)
        notes = []
        if gen_time is not None:
            notes.append(f"signed by {subject} at genTime {_utc(gen_time)}")
            if self.beacon_time is not None and gen_time + ceremony.MARGIN > self.beacon_time:
                r.finding(TOKEN_FILE, "genTime", f"{_utc(gen_time)} is less than MARGIN = "
                          f"{ceremony.MARGIN} s before the beacon's time "
                          f"{_utc(self.beacon_time)}: the announcement may have been made "
                          "after the beacon was known (SPEC §8.5)")
            else:
                self.time_proof = (subject, gen_time)
        self.token_state = "proven" if self.time_proof else "failed"
        r.end(notes)

    # 7
    def check_plan(self):
        r, sheet = self.report, self.sheet
        if not os.path.exists(self.path(PLAN_FILE)):
            r.not_checked("7. the plan: digest, strata and quotas", f"{PLAN_FILE} not given")
            return
        r.begin("7. the plan: digest, strata and quotas")
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

    # 8
    def check_amendments(self, key):
        r = self.report
        if self.void_bytes is not None:
            self.check_void(key)
        if not self.amendments:
            return
        r.begin(f"8. amendments ({len(self.amendments)}): signature, sheet, sequence, chain, "
                "times, reasons, recusal cap")
        if not self.has_sheet:
            r.finding(self.amendments[0][1], None, "an amendment, but no sheet")
            r.end()
            return
        sheet_digest = hashlib.sha256(self.sheet_bytes).hexdigest()
        previous, previous_time = None, ceremony.parse_time(self.sheet["drawn_at"])
        recusals = {}
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
                t = ceremony.parse_time(doc["amended_at"])
                if t < previous_time:
                    r.finding(name, "amended_at", "is before the sheet's drawn_at" if position == 1
                              else "is before the previous amendment's amended_at")
                previous_time = max(previous_time, t)
                if kind == "replace_inspector":
                    entity = doc["action"]["entity"]
                    recusals[entity] = recusals.get(entity, 0) + 1
                    if self.plan is not None and recusals[entity] > self.plan["team"]["recusal_cap"]:
                        r.finding(name, "action", f"recusal {recusals[entity]} on this entity; "
                                  f"team.recusal_cap is {self.plan['team']['recusal_cap']} "
                                  "(SPEC §11.4)", entity)
            self.amendment_docs.append((name, data, doc))
            previous = hashlib.sha256(data).hexdigest()
        if self.plan is None:
            r.end(["the recusal cap needs plan.toml: not checked"])
        else:
            r.end()

    def check_void(self, key):
        r, void = self.report, self.void
        r.begin("8. void.json: signature, announcement, time (SPEC §11.5)")
        check_signature(r, self.dir, "void.json", self.void_bytes, key,
                        void["draw_id"] if void else None)
        if self.has_sheet:
            r.finding("void.json", None, "a void beside a sheet: a drawn draw cannot be voided "
                      "(SPEC §11.5)")
        if void is not None:
            if void["announcement"] != self.ann_digest.hex():
                r.finding("void.json", "announcement", f"{void['announcement']} is not the "
                          f"announcement's SHA-256 {self.ann_digest.hex()}")
            if void["draw_id"] != self.ann["draw_id"]:
                r.finding("void.json", "draw_id", f"{void['draw_id']!r}, announced {self.ann['draw_id']!r}")
            if ceremony.parse_time(void["voided_at"]) < ceremony.parse_time(self.ann["announced_at"]):
                r.finding("void.json", "voided_at", "is before the announcement's announced_at")
        r.end()

    # 10: SPEC §12, when the office log is given
    def check_log(self, key):
        r = self.report
        if not self.log_path:
            r.not_checked("10. the office log (SPEC §12)",
                          f"no {LOG_FILE} beside or in the folder, and no --log FILE")
            return
        name = os.path.basename(self.log_path)
        r.begin(f"10. the office log {self.log_path} (SPEC §12.2, §12.4)")
        self.log = office_log.check_log(_read(self.log_path), name, r, self.strict)
        root = os.path.dirname(os.path.abspath(self.log_path))
        docs = [("announcement.json", self.ann_bytes, self.ann, "announcement")]
        if self.has_sheet:
            docs.append(("sheet.json", self.sheet_bytes, self.sheet, "sheet"))
        if self.void is not None:
            docs.append(("void.json", self.void_bytes, self.void, "void"))
        docs += [(n, d, doc, "amendment") for n, d, doc in self.amendment_docs if doc]
        for doc_name, data, doc, kind in docs:
            office_log.check_position(self.log, name, r, doc_name, doc,
                                      hashlib.sha256(data).hexdigest(), kind)
        office_log.check_published(self.log, root, name, r, self.ann["draw_id"], self.dir)
        self.fates = office_log.check_draw(self.log, root, name, r, self.ann,
                                           self.ann_digest.hex(), self.sheet, self.dir)
        notes = [f"{len(self.log.lines)} lines, head {self.log.head}"]
        checkpoints = os.path.join(root, "checkpoints")
        found = office_log.check_checkpoints(self.log, checkpoints, key, r)
        notes.append(f"{found} checkpoints in {checkpoints}" if found else
                     "no checkpoints beside the log")
        r.end(notes)

    # 13.3
    def trust_summary(self):
        s, ann = self.report.summary, self.ann
        if ann is None:
            s.append("nothing: the announcement could not be read")
            return
        witnesses = [p["name"] for p in ann["parties"] if p["role"] == "witness"]
        s.append("witnesses: " + (", ".join(witnesses) + " committed before the announcement "
                                  "was published" if witnesses else "no witness"))
        b = ann["beacon"]
        if b is None:
            s.append("beacon: none")
        else:
            when = _utc(self.beacon_time) if getattr(self, "beacon_time", None) else "unknown"
            if b["kind"] == "drand":
                chain = ceremony.KNOWN_DRAND_CHAINS.get(b["chain_hash"], {}).get(
                    "name", "chain " + b["chain_hash"][:16] + "…")
                s.append(f"beacon: drand {chain} round {b['round']}, public at {when}")
            else:
                s.append(f"beacon: {b['description']} ({b['source']}), published at {when}")
            if self.time_proof:
                s.append(f"  announced before it: PROVEN by a timestamp token of {self.time_proof[0]} "
                         f"at {_utc(self.time_proof[1])}, checked against the TSA certificate "
                         "you named")
            else:
                why = {"none": "no timestamp token", "unchecked": "the token was not checked: "
                       "no --tsa-cert", "failed": "the timestamp token does not prove it"}
                s.append(f"  announced before it: the office's own claim ({why[self.token_state]})")
        if not witnesses and b is None:
            s.append("independent randomness: NONE — the office alone chose the seed")
        if self.log is None:
            s.append("log: the office log was not checked")
        else:
            fates = self.fates or []
            voids = sum(1 for _, fate, _ in fates if fate == "void")
            s.append(f"log: checked; {voids} voided and {len(fates)} other announcements of this task"
                     + (":" if fates else ""))
            for draw_id, fate, reason in fates:
                s.append(f"  {draw_id}: {fate}" + (f" ({reason})" if reason else ""))
            s.append("  this announcement supersedes void " + ann["supersedes"]
                     if ann["supersedes"] else "  this announcement supersedes no void")
        if self.void is not None:
            s.append(f"this draw was VOIDED: {self.void['reason']['code']} "
                     f"({self.void['reason']['text']})")
        replaced, recused = {}, {}
        for _, _, doc in self.amendment_docs:
            if doc is None:
                continue
            bucket = replaced if doc["action"]["kind"] == "replace_entity" else recused
            bucket[doc["reason"]["code"]] = bucket.get(doc["reason"]["code"], 0) + 1

        def count(d):
            return sum(d.values()), "".join(f", {k}: {v}" for k, v in sorted(d.items()))
        n, detail = count(replaced)
        m, detail2 = count(recused)
        s.append(f"amendments: {n} entity replacements{detail}; {m} recusals{detail2}")
        s.append("The result is unbiased if at least one witness kept its secret until the")
        s.append("announcement was public, or if the beacon's value was unknown to the office")
        s.append("when the announcement was timestamped. The office can still abort; every")
        s.append("abort is a published void.")

    # 9
    def replay(self):
        r = self.report
        files = {}
        try:
            for kind in TABLE_KINDS:
                files[kind] = find_input(self.dir, kind)
        except InputError as e:
            r.begin("9a. input digests equal the announced ones")
            r.finding(e.file, None, e.message)
            r.end()
            return
        # SPEC §13.1 step 9: conflicts and history may be absent; an absent one is the empty
        # table, which matches an announcement of 0 rows. Announced with rows, it is withheld.
        missing = [INPUT_FILES[k] for k, f in files.items()
                   if f is None and not (k in OPTIONAL_TABLES and self.ann
                                         and self.ann["inputs"][k]["rows"] == 0)]
        missing += [PLAN_FILE] if not os.path.exists(self.path(PLAN_FILE)) else []
        if missing:
            r.not_checked("9. replay of the draw from the inputs", f"inputs not given: {', '.join(missing)}")
            return
        if self.plan is None:
            r.not_checked("9. replay of the draw from the inputs", f"{PLAN_FILE} could not be read")
            return
        r.begin("9a. input digests equal the announced ones")
        tables = {}
        for kind in TABLE_KINDS:
            name = files[kind] or INPUT_FILES[kind]
            if files[kind] is None:
                # absent, announced with 0 rows: the empty table (§13.1 step 9)
                tables[kind] = Table(kind, name, None, [], [])
            else:
                try:
                    tables[kind] = read_table(kind, self.path(files[kind]))
                except InputError as e:
                    r.finding(e.file or files[kind], e.field,
                              f"line {e.line}: {e.message}" if e.line else e.message)
                    continue
            digest = table_digest(kind, tables[kind].rows).hex()
            announced = self.ann["inputs"][kind]
            if digest != announced["digest"] or len(tables[kind].rows) != announced["rows"]:
                r.finding(name, None,
                          f"{len(tables[kind].rows)} rows, digest {digest}; announced "
                          f"{announced['rows']} rows, digest {announced['digest']}")
        if not r.end():
            r.not_checked("9b. replay of the draw", "the inputs are not the announced ones")
            return

        r.begin("9b. replay of the draw (SPEC §6-§7) and the whole sheet")
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
            r.begin("9c. replay of every amendment (SPEC §11)")
            self.replay_amendments()
            r.end()

    def replay_amendments(self):
        r, draw = self.report, self.draw
        caps = {p["label"]: p["cap"] for p in self.sheet["pools"]}
        state = amend.State(draw, self.sheet["entities"], caps)
        sheet_digest = hashlib.sha256(self.sheet_bytes).hexdigest()
        previous = None
        for seq, (name, data, doc) in enumerate(self.amendment_docs, 1):
            if doc is None:
                r.finding(name, None, "not replayed: the document could not be read")
                return
            try:
                outcome, inspectors = amend.replay(state, doc["action"])
            except DrawError as e:
                r.finding(name, "action", f"the replay refuses it: {e}", doc["action"].get("entity"))
                return
            expected = {
                "action": doc["action"], "amended_at": doc["amended_at"],
                "draw_id": self.sheet["draw_id"], "format": "double-random/amendment",
                "inspectors": inspectors, "log": doc["log"], "outcome": outcome,
                "previous": previous, "reason": doc["reason"], "seq": seq,
                "sheet": sheet_digest, "version": VERSION,
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
        "log": published["log"],
        "reveals": published["reveals"],
        "seed": draw.seed.hex(),
        "version": VERSION,
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
