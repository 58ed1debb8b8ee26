"""Exceptions of double_random: one class per status of the C ABI, each carrying the stable code.

Every error has ``status`` (the C ABI's number), ``code`` (a stable string such as
``step.not_yet_due`` or ``sign.bad_password``, see docs/bindings/c.md and docs/MESSAGES.md),
``message`` (English, for logs) and ``fields`` (the structured details).
"""

import json
from typing import Any, Dict


class DoubleRandomError(Exception):
    """A call refused by the library."""

    status = 0

    def __init__(self, code: str, message: str, fields: Dict[str, Any]):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fields = fields


class ArgumentError(DoubleRandomError, ValueError):
    """A bad argument: a request that is not the JSON expected, a bad hex value or time."""

    status = 1


class InputError(DoubleRandomError):
    """Rosters or plan refused; ``fields["problems"]`` lists each with file, line and field."""

    status = 2


class RefusedError(DoubleRandomError):
    """A ceremony step refused by the ceremony's rules or the log."""

    status = 3


class SigningKeyError(DoubleRandomError):
    """A key that cannot be read (wrong password, damaged file) or a signature not made."""

    status = 4


class ReplayError(DoubleRandomError):
    """A stratum's member list does not match the sheet."""

    status = 5


class NotFoundError(DoubleRandomError, LookupError):
    """The office holds no such document."""

    status = 6


class InternalError(DoubleRandomError):
    """A bug in the library; nothing was published."""

    status = 7


_BY_STATUS = {c.status: c for c in (ArgumentError, InputError, RefusedError, SigningKeyError,
                                     ReplayError, NotFoundError, InternalError)}


def from_json(text: str) -> DoubleRandomError:
    """The exception for the C ABI's error JSON (used by the native module)."""
    e = json.loads(text)
    cls = _BY_STATUS.get(e.get("status"), DoubleRandomError)
    return cls(e.get("code", ""), e.get("message", ""), e.get("fields") or {})
