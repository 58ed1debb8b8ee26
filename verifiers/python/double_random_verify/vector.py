"""Test vectors (SPEC §15): inputs + seed.hex + expected.json, recomputed and compared."""

import json
import os

from . import VERSION, DrawError, InputError, jcs
from .digest import table_digest
from .draw import Draw
from .plan import announced_plan, plan_digest, read_plan
from .roster import find_input, read_table
from .verify import INPUT_FILES, PLAN_FILE, TABLE_KINDS, Report, UsageError


def recompute(directory):
    """The expected.json object recomputed from the vector's inputs and seed.

    Its members: per-input digests and row counts, the plan digest, the plan summary, the
    seed, and the sheet's strata, entities (each with its stratum), excluded and pools."""
    tables = {}
    for kind in TABLE_KINDS:
        name = find_input(directory, kind)
        if name is None:
            raise InputError(f"missing: {INPUT_FILES[kind]} (or {kind}.xlsx)", INPUT_FILES[kind])
        tables[kind] = read_table(kind, os.path.join(directory, name))
    plan = read_plan(os.path.join(directory, PLAN_FILE))
    seed_file = os.path.join(directory, "seed.hex")
    try:
        with open(seed_file, encoding="ascii") as fh:
            seed = bytes.fromhex(fh.read().strip())
    except (OSError, UnicodeDecodeError, ValueError):
        raise InputError("cannot read a 32-byte seed as 64 hex digits", "seed.hex") from None
    if len(seed) != 32:
        raise InputError(f"the seed has {len(seed)} bytes, not 32", "seed.hex")
    digests = {kind: {"digest": table_digest(kind, t.rows).hex(), "rows": len(t.rows)}
               for kind, t in tables.items()}
    digests["plan"] = plan_digest(plan)
    draw = Draw(plan, {k: t.rows for k, t in tables.items()}, seed)
    parts = draw.sheet_parts()
    entities = []
    for e in parts["entities"]:
        entities.append({**e, "stratum": draw.stratum_of[e["id"]]})
    return {"digests": digests, "entities": entities, "excluded": parts["excluded"],
            "plan": announced_plan(plan), "pools": parts["pools"], "seed": seed.hex(),
            "strata": parts["strata"], "version": VERSION}


def _compare(want, got, path, report):
    """Findings for every member that differs, down to single entities."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in sorted(set(want) | set(got)):
            sub = f"{path}.{key}" if path else key
            if key not in got:
                report.finding("expected.json", sub, "not recomputed by this replayer")
            elif key not in want:
                report.finding("expected.json", sub, "recomputed but absent from expected.json")
            else:
                _compare(want[key], got[key], sub, report)
    elif path == "entities" and isinstance(want, list) and isinstance(got, list):
        w = {e.get("id"): e for e in want if isinstance(e, dict)}
        g = {e["id"]: e for e in got}
        for eid in sorted(set(w) | set(g), key=str):
            if eid not in g:
                report.finding("expected.json", "entities", "expected but not drawn", eid)
            elif eid not in w:
                report.finding("expected.json", "entities", "drawn but not expected", eid)
            elif w[eid] != g[eid]:
                report.finding("expected.json", "entities", f"expected {jcs.dumps(w[eid])}, "
                               f"recomputed {jcs.dumps(g[eid])}", eid)
        if [e.get("id") for e in want if isinstance(e, dict)] != [e["id"] for e in got]:
            report.finding("expected.json", "entities", "different order")
    elif want != got or type(want) is not type(got):
        report.finding("expected.json", path, f"expected {jcs.dumps(want)}, recomputed {jcs.dumps(got)}")


def check_vector(directory):
    """(report, recomputed object or None)."""
    if not os.path.isdir(directory):
        raise UsageError(f"{directory}: not a directory")
    report = Report()
    try:
        with open(os.path.join(directory, "expected.json"), "rb") as fh:
            expected_bytes = fh.read()
        expected = json.loads(expected_bytes.decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise UsageError(f"{directory}/expected.json: cannot read: {e}") from None
    report.begin(f"vector {os.path.basename(os.path.normpath(directory))}: recompute from the inputs")
    try:
        got = recompute(directory)
    except (InputError, DrawError) as e:
        report.finding(getattr(e, "file", None) or "inputs", getattr(e, "field", None), str(e))
        report.end()
        return report, None
    report.end()
    report.begin("compare with expected.json, then byte for byte")
    _compare(expected, got, "", report)
    if not report.failing() and jcs.encode(got) + b"\n" != expected_bytes:
        report.finding("expected.json", None, "same values, but the bytes are not the canonical "
                       "JSON of the recomputed object followed by a newline")
    report.end()
    return report, got


def is_v2_vector(directory):
    """Whether a draw vector's expected.json is of this algorithm version (v1 is not replayed)."""
    try:
        with open(os.path.join(directory, "expected.json"), encoding="utf-8") as fh:
            return json.load(fh).get("version") == VERSION
    except (OSError, ValueError, AttributeError):
        return False


def ceremony_draw_folders(directory):
    """The draw folders of a ceremony vector (SPEC §15) that were drawn or voided: subfolders
    with an announcement and a sheet or a void. A draw still pending (announcement only, as
    GY-2026-05-P in ceremony-void) has no result to verify and is left out."""
    def done(d):
        return (os.path.isfile(os.path.join(d, "announcement.json"))
                and any(os.path.isfile(os.path.join(d, f)) for f in ("sheet.json", "void.json")))
    return sorted(os.path.join(directory, d) for d in os.listdir(directory)
                  if done(os.path.join(directory, d)))


def ceremony_tsa_certs(directory, draw_folder):
    """A ceremony vector's demonstration TSA certificate, tsa.pem, wherever it is."""
    return [p for p in (os.path.join(directory, "tsa.pem"), os.path.join(draw_folder, "tsa.pem"))
            if os.path.isfile(p)]
