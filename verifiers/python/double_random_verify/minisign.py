"""Detached minisign signatures, Ed25519 over BLAKE2b-512 of the file (SPEC §14)."""

import base64
import binascii
import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import InputError

ALG_PREHASHED = b"ED"  # "ED": Ed25519 over BLAKE2b-512(file), what is always written
ALG_LEGACY = b"Ed"  # "Ed": Ed25519 over the file itself, accepted as the stock tool does
ALG_KEY = b"Ed"


def _lines(data, file, what):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{what} is not UTF-8 text", file) from None
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def _b64(line, file, what, length):
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{what} is not base64", file) from None
    if len(raw) != length:
        raise InputError(f"{what} has {len(raw)} bytes, expected {length}", file)
    return raw


def key_id_hex(key_id):
    """Key ids are shown as the upper-case hex of the little-endian u64."""
    return "%016X" % int.from_bytes(key_id, "little")


class PublicKey:
    def __init__(self, key_id, key):
        self.key_id = key_id
        self.key = key

    @property
    def key_id_hex(self):
        return key_id_hex(self.key_id)


def parse_public_key(data, file):
    """SPEC §14: 'untrusted comment: ' (the rest of that line, which shows the key id without
    zero padding, is not read) then the base64 key, then only lines of white space; or the
    base64 line alone. The key id is the one inside the base64 line."""
    lines = _lines(data, file, "public key")
    while lines and lines[-1].strip() == "":
        lines.pop()
    bare = "\n".join(lines).strip()
    if lines and not lines[0].startswith("untrusted comment: ") and bare and "\n" not in bare:
        key_line = bare
    elif len(lines) == 2 and lines[0].startswith("untrusted comment: "):
        key_line = lines[1]
    else:
        raise InputError("a minisign public key has two lines: 'untrusted comment: ...' "
                         "and the base64 key", file)
    raw = _b64(key_line, file, "the public key line", 42)
    if raw[:2] != ALG_KEY:
        raise InputError(f"key algorithm {raw[:2]!r} is not Ed25519 ('Ed')", file)
    return PublicKey(raw[2:10], raw[10:])


class Signature:
    def __init__(self, algorithm, key_id, signature, trusted_comment, global_signature):
        self.algorithm = algorithm
        self.key_id = key_id
        self.signature = signature
        self.trusted_comment = trusted_comment
        self.global_signature = global_signature


def parse_signature(data, file):
    lines = _lines(data, file, "signature")
    if (len(lines) != 4 or not lines[0].startswith("untrusted comment:")
            or not lines[2].startswith("trusted comment: ")):
        raise InputError("a minisign signature has four lines: untrusted comment, signature, "
                         "'trusted comment: ...', global signature", file)
    raw = _b64(lines[1], file, "the signature line", 74)
    comment = lines[2][len("trusted comment: "):]
    global_sig = _b64(lines[3], file, "the global signature line", 64)
    return Signature(raw[:2], raw[2:10], raw[10:], comment, global_sig)


def verify(file_bytes, sig, key):
    """Problems found, as a list of messages (empty when the signature is good)."""
    problems = []
    if sig.algorithm not in (ALG_PREHASHED, ALG_LEGACY):
        problems.append(f"signature algorithm {sig.algorithm!r} is not Ed25519 ('ED' prehashed, "
                        "or the legacy 'Ed')")
        return problems
    if sig.key_id != key.key_id:
        problems.append(f"signed by key {key_id_hex(sig.key_id)}, not by {key.key_id_hex}")
        return problems
    pk = Ed25519PublicKey.from_public_bytes(key.key)
    try:
        signed = (hashlib.blake2b(file_bytes, digest_size=64).digest()
                  if sig.algorithm == ALG_PREHASHED else file_bytes)
        pk.verify(sig.signature, signed)
    except InvalidSignature:
        problems.append("the signature does not verify: the file is not the one signed")
    try:
        pk.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode("utf-8"))
    except InvalidSignature:
        problems.append("the trusted comment's signature does not verify")
    return problems


TRUSTED_KEYS = ("draw", "file", "sha256")


def parse_trusted_comment(comment):
    """'draw:<id>\\tfile:<name>\\tsha256:<hex>' -> {key: value}; None unless it is exactly
    these three tab-separated key:value fields in this order (SPEC §14)."""
    parts = [part.partition(":") for part in comment.split("\t")]
    if tuple(key for key, _, _ in parts) != TRUSTED_KEYS or not all(sep for _, sep, _ in parts):
        return None
    return {key: value for key, _, value in parts}
