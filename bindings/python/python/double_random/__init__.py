"""double_random: verifiable 双随机 inspection draws from Python.

A thin layer over the library's C ABI crate (its Rust functions, through PyO3): requests are
keyword arguments, turned into the JSON the C ABI reads; results are dicts of the JSON it
returns; documents are their canonical JSON bytes, exactly as published. Errors raise
:class:`DoubleRandomError` subclasses carrying the stable ``code``.

Handles are immutable (:class:`Inputs`, :class:`Key`) or locked (:class:`Office`), so they may
be shared between threads; the native calls release the GIL.
"""

import json
import os
from typing import Any, Dict, List, Optional, Tuple, Union

from . import _native
from .errors import (
    ArgumentError,
    DoubleRandomError,
    InputError,
    InternalError,
    NotFoundError,
    RefusedError,
    ReplayError,
    SigningKeyError,
)

__all__ = [
    "Inputs", "Key", "Office", "version", "commitment", "replay_stratum",
    "DoubleRandomError", "ArgumentError", "InputError", "RefusedError", "SigningKeyError",
    "ReplayError", "NotFoundError", "InternalError",
]

Secret = Union[str, bytes]


def version() -> str:
    """The native library's version, e.g. ``double-random-ffi 0.1.0 (abi 1)``."""
    return _native.version()


def _hex(secret: Secret) -> str:
    return secret.hex() if isinstance(secret, (bytes, bytearray)) else secret


def _request(fields: Dict[str, Any]) -> bytes:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _result(raw: bytes) -> Dict[str, Any]:
    return json.loads(raw.decode("utf-8"))


class Inputs:
    """The checked inputs of a draw: rosters (CSV bytes, UTF-8 or GB18030) and plan (TOML)."""

    FILES = ("entities.csv", "inspectors.csv", "items.csv", "conflicts.csv", "history.csv",
             "plan.toml")

    def __init__(self, *, entities: bytes, inspectors: bytes, items: bytes, plan: bytes,
                 conflicts: Optional[bytes] = None, history: Optional[bytes] = None):
        self._native = _native.Inputs.load(entities, inspectors, items, plan, conflicts, history)
        self.report: Dict[str, Any] = _result(self._native.report())

    @classmethod
    def from_dir(cls, path: Union[str, "os.PathLike[str]"]) -> "Inputs":
        """Reads the six files from a folder; conflicts.csv and history.csv may be absent."""
        def read(name: str) -> Optional[bytes]:
            p = os.path.join(path, name)
            if not os.path.exists(p):
                return None
            with open(p, "rb") as f:
                return f.read()
        files = {n.split(".")[0]: read(n) for n in cls.FILES}
        return cls(**files)  # type: ignore[arg-type]

    @property
    def digests(self) -> Dict[str, Any]:
        """The inputs' digests as an announcement records them."""
        return self.report["digests"]


class Key:
    """The organizer's signing key; the native copy is wiped when the object is collected."""

    def __init__(self, native: Any):
        self._native = native
        pub = _result(native.public())
        self.key_id: str = pub["key_id"]
        self.public_key: str = pub["public_key"]

    @classmethod
    def from_seed(cls, key_id: bytes, seed: bytes) -> "Key":
        """A key from its 8-byte id and 32-byte Ed25519 seed."""
        return cls(_native.Key.from_seed(bytes(key_id), bytes(seed)))

    @classmethod
    def from_minisign(cls, text: str, password: Union[str, bytes, None] = None) -> "Key":
        """A key from a minisign secret key file's text and its password, if encrypted."""
        if isinstance(password, str):
            password = password.encode("utf-8")
        return cls(_native.Key.from_minisign(text, password))


class Office:
    """An office in memory: the log and the documents published so far.

    Each step reads it and, on success, publishes into it and returns what it published
    (``draw_id``, ``name``, ``document``, ``signature_name``, ``signature``, ``entry``) for
    your own storage. Load what your storage already holds with :meth:`put` and
    :meth:`set_log`.
    """

    def __init__(self) -> None:
        self._native = _native.Office()

    @property
    def log(self) -> bytes:
        """The log's bytes (``office.log``)."""
        return self._native.log()

    def set_log(self, log: bytes) -> None:
        self._native.set_log(log)

    def put(self, draw_id: str, name: str, data: bytes) -> None:
        """Loads a published document or signature (never over one the office holds)."""
        self._native.put(draw_id, name, data)

    def get(self, draw_id: str, name: str) -> bytes:
        """A document's or signature's bytes; :class:`NotFoundError` if absent."""
        return self._native.get(draw_id, name)

    def files(self) -> List[Tuple[str, str]]:
        """Every (draw id, file name) the office holds."""
        return [tuple(x) for x in json.loads(self._native.list())]  # type: ignore[misc]

    def __len__(self) -> int:
        return len(self._native)

    def announce(self, inputs: Inputs, key: Key, *, draw_id: str, organizer: str,
                 organizer_secret: Secret, announced_at: str, scheduled_at: str,
                 witnesses: Optional[List[Dict[str, str]]] = None,
                 beacon: Optional[Dict[str, Any]] = None, drill: bool = False) -> Dict[str, Any]:
        """Announces a draw; ``witnesses`` are ``{"name", "commitment"}``."""
        req = {"draw_id": draw_id, "organizer": organizer,
               "organizer_secret": _hex(organizer_secret), "witnesses": witnesses or [],
               "beacon": beacon, "announced_at": announced_at, "scheduled_at": scheduled_at,
               "drill": drill}
        return _result(self._native.announce(inputs._native, key._native, _request(req)))

    def draw(self, inputs: Inputs, key: Key, *, draw_id: str, reveals: List[Dict[str, Secret]],
             drawn_at: str, beacon: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """Draws; ``reveals`` are ``{"name", "secret"}`` for every party."""
        req = {"draw_id": draw_id, "drawn_at": drawn_at, "beacon": beacon,
               "reveals": [{"name": r["name"], "secret": _hex(r["secret"])} for r in reveals]}
        return _result(self._native.draw(inputs._native, key._native, _request(req)))

    def amend(self, inputs: Inputs, key: Key, *, draw_id: str, action: Dict[str, Any],
              reason: Dict[str, str], amended_at: str) -> Dict[str, Any]:
        """Replaces an entity or an inspector of a drawn draw."""
        req = {"draw_id": draw_id, "action": action, "reason": reason, "amended_at": amended_at}
        return _result(self._native.amend(inputs._native, key._native, _request(req)))

    def void(self, key: Key, *, draw_id: str, reason: Dict[str, str],
             voided_at: str) -> Dict[str, Any]:
        """Voids an announced draw that has no sheet."""
        req = {"draw_id": draw_id, "reason": reason, "voided_at": voided_at}
        return _result(self._native.void(key._native, _request(req)))

    def verify(self, draw_id: str, public_key: str, inputs: Optional[Inputs] = None,
               strict: bool = False) -> Dict[str, Any]:
        """Verifies a drawn draw; with ``inputs`` it is replayed in full. A failed
        verification is ``{"passed": False, "findings": [...]}``, not an exception."""
        req = {"draw_id": draw_id, "public_key": public_key, "strict": strict}
        native_inputs = inputs._native if inputs is not None else None
        return _result(self._native.verify(native_inputs, _request(req)))


def commitment(draw_id: str, party: str, secret: Secret) -> str:
    """A party's commitment to its secret (hex)."""
    req = {"draw_id": draw_id, "party": party, "secret": _hex(secret)}
    return _result(_native.commitment(_request(req)))["commitment"]


def replay_stratum(*, seed: str, stratum: str, members: List[str], n: int, k: int,
                   members_digest: str) -> List[str]:
    """Replays one stratum from its member list; :class:`ReplayError` if it does not match."""
    req = {"seed": seed, "stratum": stratum, "members": members, "n": n, "k": k,
           "members_digest": members_digest}
    return _result(_native.replay_stratum(_request(req)))["picks"]
