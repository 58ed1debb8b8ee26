"""Paths shared by the tests: the repository root, its vectors and the steps script."""

import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
VECTORS = os.path.join(ROOT, "tests", "vectors")
SCRIPT = os.path.join(ROOT, "bindings", "testdata", "ceremonies.txt")
