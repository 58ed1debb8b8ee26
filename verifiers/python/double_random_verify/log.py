"""The office log (SPEC §12): hash-chained JSON lines."""

import hashlib

from . import InputError, jcs
from .ceremony import LOG_ENTRY, check_shape


def check_log(data, file, report, allow_pending=False):
    """Add findings for the log; returns the parsed entries with their entry hashes."""
    if data and not data.endswith(b"\n"):
        report.finding(file, None, "the last line has no newline")
    entries = []
    prev_hash = None
    state = {}  # draw_id -> "announced" | "sheet" | "void"
    for n, line in enumerate(data.split(b"\n")[:-1] if data else [], 1):
        where = f"line {n}"
        try:
            entry = jcs.parse_canonical(line, file)
        except InputError as e:
            report.finding(file, where, e.message)
            return entries
        problems = []
        check_shape(entry, LOG_ENTRY, "", problems)
        if problems:
            for field, message in problems:
                report.finding(file, f"{where}: {field}", message)
            return entries
        if entry["seq"] != n:
            report.finding(file, f"{where}: seq", f"{entry['seq']}, expected {n}")
        if entry["prev"] != prev_hash:
            report.finding(file, f"{where}: prev", f"{entry['prev']}, the previous line hashes to {prev_hash}")
        draw, kind, now = entry["draw_id"], entry["kind"], state.get(entry["draw_id"])
        if kind == "announcement":
            if now is not None:
                report.finding(file, where, f"draw {draw!r} is announced again")
            state[draw] = "announced"
        elif kind in ("sheet", "void"):
            if now != "announced":
                report.finding(file, where, f"a {kind} for draw {draw!r}, which is "
                               f"{'not announced' if now is None else 'already ' + now}")
            state[draw] = kind
        elif kind == "amendment" and now != "sheet":
            report.finding(file, where, f"an amendment for draw {draw!r}, which has no sheet")
        this_hash = hashlib.sha256(line).hexdigest()
        entries.append((entry, prev_hash, this_hash))
        prev_hash = this_hash
    if not allow_pending:
        for draw, now in state.items():
            if now == "announced":
                report.finding(file, None, f"draw {draw!r} is announced but has neither sheet nor void")
    return entries


def check_documents_logged(entries, file, report, ann, ann_digest, sheet_digest, amendment_digests):
    """The published documents are recorded in the log, and the announcement's `previous`."""
    draw = ann["draw_id"]
    logged = {(e["kind"], e["document"]): (e, prev) for e, prev, _ in entries if e["draw_id"] == draw}
    found = logged.get(("announcement", ann_digest))
    if found is None:
        report.finding(file, None, f"the announcement of {draw!r} is not in the log")
    elif ann["previous"] != found[1]:
        report.finding("announcement.json", "previous",
                       f"{ann['previous']}, the log line before the announcement hashes to {found[1]}")
    if ("sheet", sheet_digest) not in logged:
        report.finding(file, None, f"the sheet of {draw!r} is not in the log")
    for name, digest in amendment_digests:
        if ("amendment", digest) not in logged:
            report.finding(file, None, f"{name} is not in the log")
