"""Errors carry the C ABI's status and stable code; handles work from several threads."""

import os
import threading

import pytest

import double_random as dr
from conftest import VECTORS

KEY = dr.Key.from_seed(bytes(8), bytes([7] * 32))
SMALL = os.path.join(VECTORS, "01-small-undirected")


def announce(office, inputs, draw_id, org=b"\x03" * 32, at="2026-03-01T01:00:00Z"):
    w = dr.commitment(draw_id, "w", b"\x04" * 32)
    return office.announce(inputs, KEY, draw_id=draw_id, organizer="o", organizer_secret=org,
                           witnesses=[{"name": "w", "commitment": w}], announced_at=at,
                           scheduled_at="2026-03-01T02:00:00Z")


def test_a_draw_before_its_time_raises_with_the_code_and_fields():
    inputs, office = dr.Inputs.from_dir(SMALL), dr.Office()
    announce(office, inputs, "D1")
    with pytest.raises(dr.RefusedError) as e:
        office.draw(inputs, KEY, draw_id="D1", drawn_at="2026-03-01T01:00:00Z",
                    reveals=[{"name": "o", "secret": b"\x03" * 32},
                             {"name": "w", "secret": b"\x04" * 32}])
    assert e.value.code == "step.not_yet_due"
    assert e.value.fields["scheduled_at"] == "2026-03-01T02:00:00Z"
    # The announcement, its signature and the log's checkpoint with its signature: the refused
    # draw published nothing.
    assert len(office) == 4, "nothing was published"


def test_bad_inputs_name_file_line_and_field():
    with open(os.path.join(SMALL, "entities.csv"), "rb") as f:
        entities = f.read() + b"\nbroken,row\n"
    with pytest.raises(dr.InputError) as e:
        dr.Inputs(entities=entities, inspectors=b"", items=b"", plan=b"plan_id = 1\n")
    assert e.value.code == "input.invalid"
    files = {p.get("file") for p in e.value.fields["problems"]}
    assert {"entities.csv", "plan.toml"} <= files
    assert any(p.get("file") == "entities.csv" and p.get("line", 0) > 1
               for p in e.value.fields["problems"])


def test_a_wrong_password_and_a_missing_document_have_their_classes():
    with pytest.raises(dr.SigningKeyError):
        dr.Key.from_minisign("not a key file")
    with pytest.raises(dr.NotFoundError) as e:
        dr.Office().get("D1", "sheet.json")
    assert e.value.code == "office.missing_document"
    with pytest.raises(dr.ArgumentError) as e:
        dr.commitment("D1", "w", "zz")
    assert e.value.code == "argument.json"


def test_one_office_and_one_key_from_many_threads():
    inputs, office = dr.Inputs.from_dir(SMALL), dr.Office()
    errors = []

    def go(i):
        try:
            # One task: the first announcement wins, the others are refused by the log.
            announce(office, inputs, f"D{i}", org=bytes([i + 10]) * 32)
        except dr.RefusedError as e:
            errors.append(e.code)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(office) == 4  # one announcement and one checkpoint, each with its signature
    assert errors == ["log.task_busy"] * 7
