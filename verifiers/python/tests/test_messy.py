"""The messy exports of tests/data/messy read as the sample rows restricted to the fields each
holds, with the same digests as the Rust reader (DIGESTS.txt, checked by tests/all/messy_rosters.rs
too). SPEC §3.3: extra columns are ignored, absent optional columns take their defaults."""

import csv
import os
import unittest

import fixtures  # noqa: F401
from double_random_verify.digest import table_digest
from double_random_verify.roster import parse_table

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
MESSY = os.path.join(ROOT, "tests", "data", "messy")
FIELDS = ["id", "name", "kind", "authority", "region", "industry", "status", "abnormal", "risk", "tags"]
ROWS = 200


def cases():
    out = []
    with open(os.path.join(MESSY, "KEPT.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, rest = line.split(":", 1)
            fields, ignored = rest.split("|")
            split = lambda s: [x.strip() for x in s.split(",") if x.strip()]  # noqa: E731
            out.append((name, split(fields), split(ignored)))
    return out


def clean(fields):
    """The sample's header and first rows, only the columns of `fields`, as UTF-8 CSV bytes."""
    with open(os.path.join(ROOT, "examples", "data", "entities.csv"), encoding="utf-8-sig",
              newline="") as f:
        records = list(csv.reader(f))[:ROWS + 1]
    cols = [FIELDS.index(x) for x in fields]
    return "".join(",".join(r[c] for c in cols) + "\n" for r in records).encode()


class MessyExports(unittest.TestCase):
    def test_sixteen(self):
        self.assertEqual(len(cases()), 16)

    def test_each_reads_as_the_clean_file_with_the_same_fields(self):
        with open(os.path.join(MESSY, "DIGESTS.txt"), encoding="utf-8") as f:
            pinned = dict(line.strip().split(": ") for line in f if not line.startswith("#"))
        full = table_digest("entities", parse_table("entities", clean(FIELDS), "c.csv").rows)
        for name, fields, ignored in cases():
            with self.subTest(file=name):
                with open(os.path.join(MESSY, name), "rb") as f:
                    t = parse_table("entities", f.read(), name)
                want = parse_table("entities", clean(fields), "c.csv")
                self.assertEqual(len(t.rows), ROWS)
                self.assertEqual(t.rows, want.rows)
                digest = table_digest("entities", t.rows)
                self.assertEqual(digest, table_digest("entities", want.rows))
                self.assertEqual(digest.hex(), pinned[name])
                self.assertEqual(digest == full, len(fields) == len(FIELDS))
                self.assertEqual(t.ignored, ignored)
                self.assertEqual(t.absent, [x for x in FIELDS if x not in fields])


if __name__ == "__main__":
    unittest.main()
