"""The office log (SPEC §12): entries, rules, the published folder, checkpoints, fork proofs."""

import glob
import hashlib
import json
import os
import re

from . import InputError, jcs, minisign
from .ceremony import CHECKPOINT, FORK_PROOF, LOG_ENTRY, check_shape, parse_time

DOCUMENT_FORMATS = {
    "double-random/announcement": "announcement", "double-random/sheet": "sheet",
    "double-random/amendment": "amendment", "double-random/void": "void",
}


class Line:
    """One log line: its entry, its bytes (without the newline) and its entry hash."""

    def __init__(self, entry, raw):
        self.entry = entry
        self.raw = raw
        self.hash = hashlib.sha256(raw).hexdigest()

    def __getitem__(self, key):
        return self.entry[key]


class Draw:
    """A draw id's history in the log: its announcement, sheet or void, amendments."""

    def __init__(self, draw_id, announcement):
        self.id = draw_id
        self.announcement = announcement  # Line
        self.sheet = None
        self.void = None
        self.amendments = []

    @property
    def fate(self):
        if self.void is not None:
            return "void"
        return "drawn" if self.sheet is not None else "pending"


class Log:
    """The lines of a log that could be read, and its draws in order of announcement."""

    def __init__(self):
        self.lines = []
        self.draws = {}  # draw id -> Draw, in order of announcement

    @property
    def head(self):
        return self.lines[-1].hash if self.lines else None

    def same_task(self, task):
        return [d for d in self.draws.values() if d.announcement["task"] == task]


def check_log(data, file, report, strict=False):
    """Read the log and add a finding for each break of the rules of SPEC §12.2."""
    log = Log()
    if data and not data.endswith(b"\n"):
        report.finding(file, None, "the last line has no newline")
    prev_hash, prev_time = None, None
    for n, raw in enumerate(data.split(b"\n")[:-1] if data else [], 1):
        where = f"line {n}"
        try:
            entry = jcs.parse_canonical(raw, file)
        except InputError as e:
            report.finding(file, where, e.message)
            return log
        problems = []
        check_shape(entry, LOG_ENTRY, "", problems)
        if problems:
            for field, message in problems:
                report.finding(file, f"{where}: {field}", message)
            return log
        line = Line(entry, raw)
        if entry["seq"] != n:
            report.finding(file, f"{where}: seq", f"{entry['seq']}, expected {n}")
        if entry["prev"] != prev_hash:
            report.finding(file, f"{where}: prev",
                           f"{entry['prev']}, the previous line hashes to {prev_hash}")
        t = parse_time(entry["time"])
        if prev_time is not None and t < prev_time:
            report.finding(file, f"{where}: time", f"{entry['time']} is before the previous "
                           "entry's time: entry times never decrease (SPEC §12.2)")
        prev_time = t if prev_time is None else max(prev_time, t)
        _apply_rules(log, line, file, where, report)
        log.lines.append(line)
        prev_hash = line.hash
    if strict:
        for d in log.draws.values():
            if d.fate == "pending":
                report.finding(file, None, f"draw {d.id!r} is announced but has neither sheet "
                               "nor void (pending)")
    return log


def _apply_rules(log, line, file, where, report):
    draw_id, kind = line["draw_id"], line["kind"]
    d = log.draws.get(draw_id)
    if kind == "announcement":
        if d is not None:
            report.finding(file, where, f"draw {draw_id!r} is announced again")
            return
        for other in log.same_task(line["task"]):
            if other.fate != "void":
                report.finding(file, where, f"draw {draw_id!r} is announced while draw "
                               f"{other.id!r} of the same task is {other.fate}: one live draw "
                               "per task (SPEC §12.2)")
        log.draws[draw_id] = Draw(draw_id, line)
        return
    if d is None:
        report.finding(file, where, f"a {kind} for draw {draw_id!r}, which is not announced")
        return
    if line["task"] != d.announcement["task"]:
        report.finding(file, f"{where}: task", f"{jcs.dumps(line['task'])}, the announcement "
                       f"of {draw_id!r} has {jcs.dumps(d.announcement['task'])}")
    if d.void is not None:
        report.finding(file, where, f"a {kind} for draw {draw_id!r} after its void")
    elif kind in ("sheet", "void"):
        if d.sheet is not None:
            report.finding(file, where, f"a {kind} for draw {draw_id!r}, which already has a sheet")
        elif kind == "sheet":
            d.sheet = line
        else:
            d.void = line
    elif kind == "amendment":
        if d.sheet is None:
            report.finding(file, where, f"an amendment for draw {draw_id!r}, which has no sheet")
        else:
            d.amendments.append(line)


# ---------------------------------------------------------------- §12.4

def published_name(line, draw):
    """The file an entry names in its draw folder (SPEC §12.4)."""
    kind = line["kind"]
    if kind == "amendment":
        return f"amendment-{draw.amendments.index(line) + 1}.json"
    return f"{kind}.json"


def _read_bytes(path):
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def check_position(log, file, report, name, doc, digest, kind):
    """A document is recorded at the position it carries, by digest, kind and draw id."""
    seq, prev = doc["log"]["seq"], doc["log"]["prev"]
    if not 1 <= seq <= len(log.lines):
        report.finding(name, "log.seq", f"{seq}: {file} has {len(log.lines)} lines")
        return
    line = log.lines[seq - 1]
    if (line["document"], line["kind"], line["draw_id"]) != (digest, kind, doc["draw_id"]):
        report.finding(name, "log.seq", f"line {seq} of {file} records {line['kind']} "
                       f"{line['document']} of {line['draw_id']!r}, not this {kind} {digest}")
    if line["prev"] != prev:
        report.finding(name, "log.prev", f"{prev}, line {seq} of {file} has prev {line['prev']}")


def check_published(log, root, file, report, this_draw=None, this_dir=None):
    """Every entry's document is published beside the log with its digest (SPEC §12.4)."""
    for d in log.draws.values():
        if d.id in ("", ".", "..") or "/" in d.id or "\\" in d.id or "\0" in d.id:
            report.finding(file, f"line {d.announcement['seq']}", f"draw id {d.id!r} cannot "
                           "name a draw folder beside the log")
            continue
        folder = this_dir if d.id == this_draw and this_dir else os.path.join(root, d.id)
        lines = [d.announcement, d.sheet, d.void, *d.amendments]
        for line in lines:
            if line is None:
                continue
            name = published_name(line, d)
            data = _read_bytes(os.path.join(folder, name))
            shown = f"{d.id}/{name}"
            if data is None:
                report.finding(file, f"line {line['seq']}",
                               f"records {shown}, which is not published")
            elif hashlib.sha256(data).hexdigest() != line["document"]:
                report.finding(file, f"line {line['seq']}", f"records {line['document']}, but "
                               f"the published {shown} has SHA-256 {hashlib.sha256(data).hexdigest()}")


def _load_json(root, draw_id, name):
    if draw_id in ("", ".", "..") or "/" in draw_id or "\\" in draw_id or "\0" in draw_id:
        return None
    data = _read_bytes(os.path.join(root, draw_id, name))
    if data is None:
        return None
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def earlier_same_task(log, ann_line):
    """The other draws of the announcement's task announced before it, oldest first."""
    return [d for d in log.same_task(ann_line["task"])
            if d.announcement["seq"] < ann_line["seq"]]


def check_draw(log, root, file, report, ann, ann_digest, sheet, this_dir=None):
    """SPEC §12.4 for one draw: supersedes, reused commitments and secrets, other draws.

    Returns the other draws of the task as (draw id, fate, void reason or None)."""
    d = log.draws.get(ann["draw_id"])
    if d is None:
        report.finding(file, None, f"draw {ann['draw_id']!r} is not announced in the log")
        return []
    if d.announcement["document"] != ann_digest:
        report.finding(file, f"line {d.announcement['seq']}", f"the announcement of "
                       f"{ann['draw_id']!r} recorded is {d.announcement['document']}, not the "
                       f"published one {ann_digest}")
    earlier = earlier_same_task(log, d.announcement)
    if not earlier:
        if ann["supersedes"] is not None:
            report.finding("announcement.json", "supersedes", f"{ann['supersedes']}, but the "
                           "task was never announced before: null")
    elif earlier[-1].void is None:
        report.finding("announcement.json", "supersedes", f"the latest earlier draw of the "
                       f"task, {earlier[-1].id!r}, has no void ({earlier[-1].fate})")
    elif ann["supersedes"] != earlier[-1].void["document"]:
        report.finding("announcement.json", "supersedes", f"{ann['supersedes']}, the void of "
                       f"the latest earlier draw of the task ({earlier[-1].id!r}) is "
                       f"{earlier[-1].void['document']}")
    # §8.2: commitments and secrets never seen before
    mine = {p["commitment"] for p in ann["parties"]}
    secrets = {r["secret"] for r in sheet["reveals"]} if sheet else set()
    for other in log.draws.values():
        if other.id == ann["draw_id"]:
            continue
        doc = _load_json(root, other.id, "announcement.json")
        for p in (doc or {}).get("parties", []) if isinstance((doc or {}).get("parties"), list) else []:
            if isinstance(p, dict) and p.get("commitment") in mine:
                report.finding("announcement.json", "parties", f"commitment {p['commitment']} "
                               f"also appears in the announcement of {other.id!r} (SPEC §8.2)")
        if secrets and other.sheet is not None:
            doc = _load_json(root, other.id, "sheet.json") or {}
            reveals = doc.get("reveals") if isinstance(doc.get("reveals"), list) else []
            for r in reveals:
                if isinstance(r, dict) and r.get("secret") in secrets:
                    report.finding("sheet.json", "reveals", f"secret {r['secret']} was "
                                   f"revealed before, in the sheet of {other.id!r} (SPEC §8.2)")
    fates = []
    for other in log.same_task(d.announcement["task"]):
        if other.id == d.id:
            continue
        reason = None
        if other.void is not None:
            doc = _load_json(root, other.id, "void.json") or {}
            r = doc.get("reason") if isinstance(doc.get("reason"), dict) else {}
            reason = r.get("code")
        fates.append((other.id, other.fate, reason))
    return fates


# ---------------------------------------------------------------- §12.3 checkpoints

_CHECKPOINT_NAME = re.compile(r"checkpoint-([0-9]+)\.json")


def parse_checkpoint_comment(comment):
    parts = comment.split("\t")
    if len(parts) != 3:
        return None
    keys = ("log", "file", "sha256")
    fields = {}
    for key, part in zip(keys, parts):
        if not part.startswith(key + ":"):
            return None
        fields[key] = part[len(key) + 1:]
    return fields


def check_checkpoint(data, sig_data, name, key, report):
    """A checkpoint's own form and signature; returns it, or None when unusable."""
    try:
        doc = jcs.parse_canonical(data, name)
    except InputError as e:
        report.finding(name, None, e.message)
        return None
    problems = []
    check_shape(doc, CHECKPOINT, "", problems)
    for field, message in problems:
        report.finding(name, field, message)
    if problems:
        return None
    if sig_data is None:
        report.finding(name + ".minisig", None, "missing: every checkpoint is signed (SPEC §12.3)")
        return None
    try:
        sig = minisign.parse_signature(sig_data, name + ".minisig")
    except InputError as e:
        report.finding(name + ".minisig", None, e.message)
        return None
    bad = minisign.verify(data, sig, key)
    for problem in bad:
        report.finding(name + ".minisig", "signature", problem)
    fields = parse_checkpoint_comment(sig.trusted_comment)
    digest = hashlib.sha256(data).hexdigest()
    if fields is None:
        report.finding(name + ".minisig", "trusted comment", f"{sig.trusted_comment!r} is not "
                       "log:<size>\\tfile:<name>\\tsha256:<digest>")
        bad = True
    elif fields["log"] != str(doc["size"]) or fields["sha256"] != digest:
        report.finding(name + ".minisig", "trusted comment", "does not describe the checkpoint "
                       f"(size {doc['size']}, SHA-256 {digest})")
        bad = True
    if doc["key_id"] != key.key_id_hex:
        report.finding(name, "key_id", f"{doc['key_id']} is not the public key's id {key.key_id_hex}")
    return None if bad else doc


def check_checkpoints(log, directory, key, report):
    """Every checkpoint in `directory`: signed, and the log extends it (SPEC §12.3, §12.5)."""
    found = 0
    for path in sorted(glob.glob(os.path.join(directory, "checkpoint-*.json"))):
        name = os.path.basename(path)
        m = _CHECKPOINT_NAME.fullmatch(name)
        if not m:
            continue
        found += 1
        doc = check_checkpoint(_read_bytes(path), _read_bytes(path + ".minisig"),
                               f"checkpoints/{name}", key, report)
        if doc is None:
            continue
        if int(m.group(1)) != doc["size"]:
            report.finding(f"checkpoints/{name}", "size", f"{doc['size']}, the file is named "
                           f"for {m.group(1)}")
        size = doc["size"]
        if size > len(log.lines):
            report.finding(f"checkpoints/{name}", "size", f"the checkpoint covers {size} lines, "
                           f"the log has {len(log.lines)}: the log was truncated")
        else:
            head = log.lines[size - 1].hash if size else None
            if head != doc["head"]:
                report.finding(f"checkpoints/{name}", "head", f"{doc['head']}, line {size} of "
                               f"the log hashes to {head}: the log does not extend it")
    return found


# ---------------------------------------------------------------- §12.5 fork proofs

def statement_claims(doc, digest):
    """The claims of a statement: {line: ("hash", H)} and {line: ("record", (d, kind, draw))}.

    Returns (hash claims, record claims)."""
    hashes, records = {}, {}
    if doc.get("format") == "double-random/checkpoint":
        if doc["size"] >= 1:
            hashes[doc["size"]] = doc["head"]
    else:
        seq, prev = doc["log"]["seq"], doc["log"]["prev"]
        records[seq] = (digest, DOCUMENT_FORMATS[doc["format"]], doc["draw_id"])
        if seq > 1:
            hashes[seq - 1] = prev
    return hashes, records


def read_statement(s, n, key):
    """(document, digest, problems) for statement n of a fork proof."""
    name = f"statements[{n}]"
    data = s["document"].encode("utf-8")
    problems = []
    try:
        sig = minisign.parse_signature(s["signature"].encode("utf-8"), f"{name}.signature")
    except InputError as e:
        return None, None, [f"{name}.signature: {e.message}"]
    for problem in minisign.verify(data, sig, key):
        problems.append(f"{name}.signature: {problem}")
    try:
        doc = jcs.parse_canonical(data, f"{name}.document")
    except InputError as e:
        return None, None, problems + [f"{name}.document: {e.message}"]
    digest = hashlib.sha256(data).hexdigest()
    if doc.get("format") == "double-random/checkpoint":
        shape_problems = []
        check_shape(doc, CHECKPOINT, "", shape_problems)
        fields = parse_checkpoint_comment(sig.trusted_comment)
        if fields is not None and fields["sha256"] != digest:
            problems.append(f"{name}.signature: the trusted comment's sha256 is not the document's")
    elif doc.get("format") in DOCUMENT_FORMATS:
        shape_problems = []
        log = doc.get("log")
        if not isinstance(doc.get("draw_id"), str):
            shape_problems.append(("draw_id", "must be a string"))
        check_shape(log, {"prev": ("null", "hex32"), "seq": "int"}, "log", shape_problems)
        if isinstance(log, dict) and log.get("seq") == 0:
            shape_problems.append(("log.seq", "must be at least 1"))
        fields = minisign.parse_trusted_comment(sig.trusted_comment)
        if fields is not None and fields["sha256"] != digest:
            problems.append(f"{name}.signature: the trusted comment's sha256 is not the document's")
    else:
        return None, None, problems + [f"{name}.document: not a checkpoint nor a signed document"]
    for field, message in shape_problems:
        problems.append(f"{name}.document: {field} {message}")
    return (None if shape_problems else doc), digest, problems


def check_fork_proof(data, key):
    """(valid, [explanations]): whether the proof shows two signed histories (SPEC §12.5)."""
    try:
        proof = jcs.parse_canonical(data, "fork proof")
    except InputError as e:
        return False, [e.message]
    problems = []
    check_shape(proof, FORK_PROOF, "", problems)
    if problems:
        return False, [f"{f}: {m}" for f, m in problems]
    if len(proof["statements"]) != 2:
        return False, [f"{len(proof['statements'])} statements, not 2"]
    docs, why = [], []
    for n, s in enumerate(proof["statements"]):
        doc, digest, errors = read_statement(s, n, key)
        why += errors
        docs.append((doc, digest))
    if why or any(d is None for d, _ in docs):
        return False, why or ["a statement could not be read"]
    claims = [statement_claims(d, g) for d, g in docs]
    lines = proof["lines"]
    if not lines:
        return _contradiction(docs, claims)
    return _anchored_contradiction(proof["first_line"], lines, claims)


def _contradiction(docs, claims):
    (h0, r0), (h1, r1) = claims
    for n in sorted(set(h0) & set(h1)):
        if h0[n] != h1[n]:
            return True, [f"both statements are signed; they give line {n} the entry hashes "
                          f"{h0[n]} and {h1[n]}"]
    for n in sorted(set(r0) & set(r1)):
        if r0[n] != r1[n]:
            return True, [f"both statements are signed; they record different documents at "
                          f"line {n}: {r0[n][1]} {r0[n][0]} of {r0[n][2]!r} and {r1[n][1]} "
                          f"{r1[n][0]} of {r1[n][2]!r}"]
    (a, da), (b, db) = docs
    if a.get("format") == b.get("format") == "double-random/announcement" and \
            a["draw_id"] == b["draw_id"] and da != db:
        return True, [f"two announcements signed for draw {a['draw_id']!r} with different "
                      "digests: a fork of the draw"]
    return False, ["the two statements make no contradicting claim about one line"]


def _anchored_contradiction(first, texts, claims):
    if first < 1:
        return False, ["first_line must be at least 1"]
    lines = []
    for n, text in enumerate(texts):
        raw = text.encode("utf-8")
        try:
            entry = jcs.parse_canonical(raw, "fork proof")
        except InputError as e:
            return False, [f"lines[{n}]: {e.message}"]
        problems = []
        check_shape(entry, LOG_ENTRY, "", problems)
        if problems:
            return False, [f"lines[{n}]: {f} {m}" for f, m in problems]
        if entry["seq"] != first + n:
            return False, [f"lines[{n}]: seq {entry['seq']}, expected {first + n}"]
        line = Line(entry, raw)
        if lines and entry["prev"] != lines[-1].hash:
            return False, [f"lines[{n}]: prev is not the entry hash of the line before it"]
        lines.append(line)
    last_n = first + len(lines) - 1
    last = lines[-1]

    def holds(hashes, records, n):
        """Whether the claims about line n hold, None when none is about it or checkable."""
        results = []
        if n in hashes:
            if first <= n <= last_n:
                results.append(lines[n - first].hash == hashes[n])
            elif n == first - 1:
                results.append(lines[0]["prev"] == hashes[n])
        if n in records and first <= n <= last_n:
            line = lines[n - first]
            results.append((line["document"], line["kind"], line["draw_id"]) == records[n])
        return None if not results else all(results)

    for anchor, other in ((0, 1), (1, 0)):
        h, r = claims[anchor]
        checked = []
        if last_n in h:
            checked.append(last.hash == h[last_n])
        if last_n in r:
            checked.append((last["document"], last["kind"], last["draw_id"]) == r[last_n])
        if last_n - 1 in h:  # through the last line's prev
            checked.append(last["prev"] == h[last_n - 1])
        if not checked or not all(checked):
            continue
        oh, orec = claims[other]
        for n in range(first - 1, last_n + 1):
            if holds(oh, orec, n) is False:
                return True, [f"the lines {first}-{last_n} are anchored to statement {anchor} "
                              f"(signed), and statement {other} (signed) claims something "
                              f"false about line {n}"]
        return False, [f"the lines are anchored to statement {anchor}, but statement {other} "
                       "makes no false claim about them"]
    return False, ["the last line is anchored to neither statement"]
