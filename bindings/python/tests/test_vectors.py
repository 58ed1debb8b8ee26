"""The Python binding runs every ceremony vector (bindings/testdata/ceremonies.txt) and
publishes the vector's documents, signatures and office.log byte for byte."""

import json
import os
import re

import pytest

import double_random as dr
from conftest import SCRIPT, VECTORS

KEY = dr.Key.from_seed(bytes([0x5A, 2, 0, 2, 6, 1, 2, 5]), bytes([42] * 32))
PUBLISHED = re.compile(
    r"^(announcement|sheet|void|amendment-[0-9]+|checkpoint-[0-9]+)\.json(\.minisig)?$"
)


def script():
    """The vectors of the script: [(name, [(verb, expected code or None, request)])]."""
    out = []
    with open(SCRIPT, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            verb, rest = line.split(" ", 1)
            if verb == "vector":
                out.append((rest, []))
            elif verb == "inputs":
                out[-1][1].append(("inputs", None, rest))
            elif verb == "refuse":
                code, step, req = rest.split(" ", 2)
                out[-1][1].append((step, code, json.loads(req)))
            else:
                out[-1][1].append((verb, None, json.loads(rest)))
    return out


def run(steps):
    office, inputs = dr.Office(), None
    for verb, refused, req in steps:
        if verb == "inputs":
            inputs = dr.Inputs.from_dir(os.path.join(VECTORS, req))
            continue
        call = {
            "announce": lambda: office.announce(inputs, KEY, **req),
            "draw": lambda: office.draw(inputs, KEY, **req),
            "amend": lambda: office.amend(inputs, KEY, **req),
            "void": lambda: office.void(KEY, **req),
            "verify": lambda: office.verify(req["draw_id"], req["public_key"], inputs),
        }[verb]
        if refused:
            with pytest.raises(dr.RefusedError) as e:
                call()
            assert e.value.code == refused
            assert e.value.status == 3
        elif verb == "verify":
            result = call()
            assert result["passed"], result
            assert result["replayed"]
        else:
            made = call()
            assert office.get(made["draw_id"], made["name"]) == made["document"].encode()
    return office


@pytest.mark.parametrize("name,steps", script(), ids=[v[0] for v in script()])
def test_each_ceremony_vector_is_published_byte_for_byte(name, steps):
    office = run(steps)
    vector = os.path.join(VECTORS, name)
    expected = {}
    for draw_id in os.listdir(vector):
        folder = os.path.join(vector, draw_id)
        if not os.path.isdir(folder):
            continue
        for f in os.listdir(folder):
            if PUBLISHED.match(f):
                with open(os.path.join(folder, f), "rb") as fh:
                    expected[(draw_id, f)] = fh.read()
    assert sorted(office.files()) == sorted(expected)
    for (draw_id, f), data in expected.items():
        assert office.get(draw_id, f) == data, f"{name}/{draw_id}/{f}"
    with open(os.path.join(vector, "office.log"), "rb") as fh:
        assert office.log == fh.read()


def test_every_ceremony_vector_is_in_the_script():
    named = {v[0] for v in script()}
    on_disk = {d for d in os.listdir(VECTORS) if d.startswith("ceremony-")}
    assert named == on_disk
