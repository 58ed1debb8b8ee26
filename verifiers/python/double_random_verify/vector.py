"""Test vectors (SPEC §15): inputs + seed.hex + expected.json, recomputed and compared."""

import json
import os

from . import DrawError, InputError, jcs
from .digest import table_digest
from .draw import Draw
from .plan import plan_digest, read_plan
from .roster import read_table
from .verify import INPUT_FILES, PLAN_FILE, TABLE_KINDS, Report, UsageError


def recompute(directory):
    """The expected.json object recomputed from the vector's inputs and seed."""
    tables = {kind: read_table(kind, os.path.join(directory, INPUT_FILES[kind]))
              for kind in TABLE_KINDS}
    plan = read_plan(os.path.join(directory, PLAN_FILE))
    seed_file = os.path.join(directory, "seed.hex")
    try:
        with open(seed_file, encoding="ascii") as fh:
            seed = bytes.fromhex(fh.read().strip())
    except (OSError, UnicodeDecodeError, ValueError):
        raise InputError("cannot read a 32-byte seed as 64 hex digits", "seed.hex") from None
    if len(seed) != 32:
        raise InputError(f"the seed has {len(seed)} bytes, not 32", "seed.hex")
    digests = {kind: table_digest(kind, t.rows).hex() for kind, t in tables.items()}
    digests["plan"] = plan_digest(plan)
    rows = {kind: len(t.rows) for kind, t in tables.items()}
    draw = Draw(plan, {k: t.rows for k, t in tables.items()}, seed)
    parts = draw.sheet_parts()
    return {"digests": digests, "rows": rows, "strata": parts["strata"],
            "entities": parts["entities"], "pools": parts["pools"],
            "excluded": parts["excluded"], "inspectors": parts["inspectors"]}


def _digests_match(expected, got, rows, report):
    for kind, want in expected.items():
        if kind not in got:
            report.finding("expected.json", f"digests.{kind}", "unknown digest name")
            continue
        if isinstance(want, dict):  # {"digest": hex, "rows": n}
            if want.get("digest") != got[kind] or ("rows" in want and want["rows"] != rows.get(kind)):
                report.finding("expected.json", f"digests.{kind}",
                               f"{jcs.dumps(want)}, recomputed {got[kind]} ({rows.get(kind)} rows)")
        elif want != got[kind]:
            report.finding("expected.json", f"digests.{kind}", f"{want}, recomputed {got[kind]}")


def check_vector(directory):
    """(report, recomputed object or None)."""
    if not os.path.isdir(directory):
        raise UsageError(f"{directory}: not a directory")
    report = Report()
    try:
        with open(os.path.join(directory, "expected.json"), "rb") as fh:
            expected = json.loads(fh.read().decode("utf-8"))
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
    report.begin("compare with expected.json")
    if not isinstance(expected, dict):
        report.finding("expected.json", None, "is not an object")
    else:
        for key, want in expected.items():
            if key == "digests" and isinstance(want, dict):
                _digests_match(want, got["digests"], got["rows"], report)
            elif key not in got:
                report.finding("expected.json", key, "not recomputed by this replayer (unknown member)")
            elif jcs.dumps(want) != jcs.dumps(got[key]):
                report.finding("expected.json", key,
                               f"differs: recomputed {jcs.dumps(got[key])[:400]}")
    report.end()
    return report, got
