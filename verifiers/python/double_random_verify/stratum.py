"""One stratum alone (SPEC §13.2): member list + sheet → its picks."""

import os

from . import InputError, ceremony, codes
from .digest import members_digest
from .rng import Stream, sample
from .verify import Report, UsageError, parse_document


def _read(path):
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as e:
        raise UsageError(f"{path}: cannot read: {e.strerror}") from None


def read_members(path):
    name = os.path.basename(path)
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8", name) from None
    ids = set()
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                ids.add(codes.entity_id(line))
            except InputError as e:
                raise e.located(name, n) from None
    return sorted(ids)


def check_stratum(sheet_path, label, members_path, amendment_paths=()):
    report = Report()
    report.begin(f"stratum {label}: member list, digest and picks")
    sheet = parse_document(report, os.path.basename(sheet_path), _read(sheet_path), ceremony.SHEET)
    if sheet is None:
        report.end()
        return report
    entry = next((s for s in sheet["strata"] if s["stratum"] == label), None)
    if entry is None:
        report.finding("sheet.json", "strata", f"no stratum {label!r}")
        report.end()
        return report
    try:
        ids = read_members(members_path)
    except InputError as e:
        report.finding(e.file, None, str(e))
        report.end()
        return report
    if len(ids) != entry["n"]:
        report.finding(os.path.basename(members_path), None,
                       f"{len(ids)} distinct ids, the sheet says n = {entry['n']}")
    digest = members_digest(label, ids).hex()
    if digest != entry["members_digest"]:
        report.finding(os.path.basename(members_path), None,
                       f"member digest {digest}, the sheet has {entry['members_digest']}")
    on_sheet = {e["id"] for e in sheet["entities"]}
    for path in amendment_paths:
        doc = parse_document(report, os.path.basename(path), _read(path), ceremony.AMENDMENT)
        if doc and doc["action"]["kind"] == "replace_entity":
            on_sheet.add(doc["action"]["entity"])
    if not report.failing():
        picks = sample(Stream(bytes.fromhex(sheet["seed"]), "entities/" + label),
                       len(ids), entry["k"])
        for p in picks:
            if ids[p] not in on_sheet:
                report.finding("sheet.json", "entities", "drawn in this stratum but not on the "
                               "sheet (nor replaced by a given amendment)", ids[p])
    report.end()
    return report
