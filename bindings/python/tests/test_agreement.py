"""The binding agrees with the pure-Python replayer (verifiers/python, which never imports the
binding) on generated ceremonies (examples/gen-ceremonies.rs): every drawn draw passes both,
fully replayed, and with a row removed from its entity roster fails both.

DR_GENERATED names a folder written by `cargo run --release --example gen-ceremonies -- DIR 60`;
without it the test writes one (slow: it builds the example)."""

import os
import shutil
import subprocess
import sys

import pytest

import double_random as dr
from conftest import ROOT

sys.path.insert(0, os.path.join(ROOT, "verifiers", "python"))
from double_random_verify.verify import Verification  # noqa: E402

COUNT = 60  # ceremonies generated; a few are refused by design, at least 50 draws remain
DRAWS = 50
DOCUMENT = ("announcement.json", "sheet.json", "void.json")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = os.environ.get("DR_GENERATED")
    if not folder:
        folder = str(tmp_path_factory.mktemp("generated"))
        subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "gen-ceremonies",
                        "--", folder, str(COUNT)], cwd=ROOT, check=True)
    return folder


def offices(folder):
    for c in sorted(os.listdir(folder)):
        office = os.path.join(folder, c, "office")
        if os.path.isfile(os.path.join(office, "office.log")):
            yield office


def load(office_dir):
    """The published office as the binding's in-memory office."""
    office = dr.Office()
    with open(os.path.join(office_dir, "office.log"), "rb") as f:
        office.set_log(f.read())
    drawn = []
    for d in sorted(os.listdir(office_dir)):
        folder = os.path.join(office_dir, d)
        if not os.path.isfile(os.path.join(folder, "announcement.json")):
            continue
        for name in os.listdir(folder):
            base = name[:-8] if name.endswith(".minisig") else name
            if base in DOCUMENT or (base.startswith("amendment-") and base.endswith(".json")):
                with open(os.path.join(folder, name), "rb") as f:
                    office.put(d, name, f.read())
        if os.path.isfile(os.path.join(folder, "sheet.json")):
            drawn.append(d)
    return office, drawn


def python_passes(draw_dir, office_dir):
    v = Verification(draw_dir, os.path.join(office_dir, "organizer.pub"),
                     os.path.join(office_dir, "office.log"), False, [])
    report = v.run()
    return report.exit_status == 0, v.rebuilt_sheet is not None


def test_the_binding_and_the_python_replayer_agree(generated, tmp_path):
    with open(os.path.join(next(offices(generated)), "organizer.pub")) as f:
        assert f.read().startswith("untrusted comment")
    draws = 0
    for office_dir in offices(generated):
        with open(os.path.join(office_dir, "organizer.pub")) as f:
            public_key = f.read()
        office, drawn = load(office_dir)
        for draw_id in drawn:
            draw_dir = os.path.join(office_dir, draw_id)
            inputs = dr.Inputs.from_dir(draw_dir)
            ours = office.verify(draw_id, public_key, inputs)
            theirs, replayed = python_passes(draw_dir, office_dir)
            assert (ours["passed"], ours["replayed"]) == (True, True), (draw_dir, ours)
            assert (theirs, replayed) == (True, True), draw_dir
            # One row fewer in the entity roster: both refuse.
            bad = tmp_path / f"{os.path.basename(os.path.dirname(office_dir))}-{draw_id}"
            shutil.copytree(draw_dir, bad)
            with open(bad / "entities.csv", "rb") as f:
                rows = f.read().rstrip(b"\r\n").split(b"\n")
            (bad / "entities.csv").write_bytes(b"\n".join(rows[:-1]) + b"\n")
            try:
                short = dr.Inputs.from_dir(bad)
                ours_bad = office.verify(draw_id, public_key, short)["passed"]
            except dr.InputError:
                ours_bad = False
            theirs_bad, _ = python_passes(str(bad), office_dir)
            assert ours_bad is False and theirs_bad is False, bad
            draws += 1
    assert draws >= DRAWS, draws
