"""Command line: python3 -m double_random_verify DIR | vector DIR | stratum ..."""

import argparse
import sys

from . import DrawError, InputError, jcs
from .verify import UsageError, Verification

USAGE = """\
python3 -m double_random_verify DIR --public-key FILE [--tsa-cert FILE] [--log FILE] [--strict] [--today DATE] [--json]
python3 -m double_random_verify vector DIR [--json]
python3 -m double_random_verify stratum SHEET LABEL MEMBERS_FILE
python3 -m double_random_verify fork PROOF --public-key FILE"""


def _print_report(report, out):
    for line in report.lines():
        print(line, file=out)


def main_verify(argv):
    p = argparse.ArgumentParser(prog="python3 -m double_random_verify", usage=USAGE,
                                description="Verify a published double-random draw (SPEC §13).")
    p.add_argument("dir", metavar="DIR", help="folder with announcement.json, sheet.json, "
                   "amendment-N.json, their .minisig files, the public key and the inputs")
    p.add_argument("--public-key", metavar="FILE", help="the office's minisign public key, "
                   "from a source you trust. Without it the key in DIR (organizer.pub or the "
                   "only *.pub) is used for the checks, but the result is at best NOT VERIFIED "
                   "(exit status 6): a key found only in the folder proves nothing")
    p.add_argument("--tsa-cert", metavar="FILE", action="append", default=[],
                   help="a TSA certificate you trust (PEM or DER), to check the timestamp "
                   "token announcement.json.tsr (SPEC §8.6); may be repeated")
    p.add_argument("--log", metavar="FILE", help="the office log (SPEC §12; default: "
                   "office.log beside the draw folder, or in it)")
    p.add_argument("--strict", action="store_true",
                   help="with an office log: report announced draws that are still pending")
    p.add_argument("--json", action="store_true", help="print the recomputed sheet JSON on "
                   "standard output (the report goes to standard error)")
    p.add_argument("--today", metavar="DATE", help="the day outcome records are judged by "
                   "(YYYY-MM-DD, SPEC §18.5; default: today in Beijing time)")
    args = p.parse_args(argv)
    v = Verification(args.dir, args.public_key, args.log, args.strict, args.tsa_cert)
    if args.today:
        import datetime
        try:
            v.today = datetime.date.fromisoformat(args.today)
        except ValueError:
            p.error(f"--today {args.today!r} is not a date YYYY-MM-DD")
    report = v.run()
    out = sys.stderr if args.json else sys.stdout
    _print_report(report, out)
    if args.json:
        if v.rebuilt_sheet is None:
            print("no sheet was recomputed (inputs missing or not the announced ones)",
                  file=sys.stderr)
            return 1
        sys.stdout.write(jcs.dumps(v.rebuilt_sheet))
    return report.exit_status


def main_vector(argv):
    from .vector import check_vector
    p = argparse.ArgumentParser(prog="python3 -m double_random_verify vector", usage=USAGE,
                                description="Recompute a test vector (SPEC §15).")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--json", action="store_true",
                   help="print the recomputed expected.json (canonical JSON and one newline) "
                   "on standard output")
    args = p.parse_args(argv)
    report, got = check_vector(args.dir)
    out = sys.stderr if args.json else sys.stdout
    _print_report(report, out)
    if args.json and got is not None:
        sys.stdout.write(jcs.dumps(got) + "\n")  # the bytes of expected.json (SPEC §15)
    return 0 if report.passed else 1


def main_stratum(argv):
    from .stratum import check_stratum
    p = argparse.ArgumentParser(prog="python3 -m double_random_verify stratum", usage=USAGE,
                                description="Replay one stratum from its member list (SPEC §13.2).")
    p.add_argument("sheet", metavar="SHEET", help="sheet.json")
    p.add_argument("label", metavar="LABEL", help="the stratum: all, A-E or unclassified")
    p.add_argument("members", metavar="MEMBERS_FILE", help="one entity id per line")
    p.add_argument("--amendment", action="append", default=[], metavar="FILE",
                   help="amendment files, so that replaced picks are accounted for")
    args = p.parse_args(argv)
    report = check_stratum(args.sheet, args.label, args.members, args.amendment)
    _print_report(report, sys.stdout)
    return 0 if report.passed else 1


def main_fork(argv):
    from . import minisign
    from .log import check_fork_proof
    p = argparse.ArgumentParser(prog="python3 -m double_random_verify fork", usage=USAGE,
                                description="Check a fork proof (SPEC §12.5): two statements "
                                "signed by one key that no single log can satisfy.")
    p.add_argument("proof", metavar="PROOF", help="the fork proof (JSON)")
    p.add_argument("--public-key", metavar="FILE", required=True,
                   help="the office's minisign public key, from a source you trust")
    args = p.parse_args(argv)
    try:
        with open(args.public_key, "rb") as fh:
            key = minisign.parse_public_key(fh.read(), args.public_key)
        with open(args.proof, "rb") as fh:
            data = fh.read()
    except OSError as e:
        raise UsageError(f"{e.filename}: cannot read: {e.strerror}") from None
    valid, why = check_fork_proof(data, key)
    for line in why:
        print(line)
    print(f"VALID fork proof: key {key.key_id_hex} signed two histories" if valid
          else "NOT a valid fork proof")
    return 0 if valid else 1


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv and argv[0] == "vector":
            return main_vector(argv[1:])
        if argv and argv[0] == "stratum":
            return main_stratum(argv[1:])
        if argv and argv[0] == "fork":
            return main_fork(argv[1:])
        return main_verify(argv)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except DrawError as e:
        print(f"FAIL: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
