"""Framed hashing (SPEC §2) and table digests (SPEC §3.4)."""

import hashlib

from . import jcs

TAG_TABLE = "double-random/v1/table"
TAG_MEMBERS = "double-random/v1/members"
TAG_STREAM = "double-random/v1/stream"
TAG_COMMIT = "double-random/v2/commit"
TAG_SEED = "double-random/v2/seed"


def u64be(x):
    return x.to_bytes(8, "big")


def framed(tag, *parts):
    """SHA-256( frame(utf8(tag)) || frame(p1) || ... ), frame(p) = u64be(len(p)) || p."""
    h = hashlib.sha256()
    for part in (tag.encode("utf-8"), *parts):
        h.update(u64be(len(part)))
        h.update(part)
    return h.digest()


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def table_digest(kind, rows):
    """Digest of a table of canonical rows: sorted leaf hashes, framed with kind and count."""
    leaves = sorted(hashlib.sha256(jcs.encode(row)).digest() for row in rows)
    return framed(TAG_TABLE, kind.encode("utf-8"), u64be(len(rows)), *leaves)


def members_digest(label, sorted_ids):
    """A stratum's member digest (SPEC §6.5) over its ids in ascending order."""
    return framed(TAG_MEMBERS, label.encode("utf-8"), u64be(len(sorted_ids)),
                  *(i.encode("utf-8") for i in sorted_ids))
