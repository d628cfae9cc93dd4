"""Domain errors: what went wrong, in business terms, free of any transport.

Domain code raises these; the gRPC edge (``services.common.grpc_errors``) turns each into a status
code with a ``google.rpc.ErrorInfo`` (reason + metadata) and, for bad input, ``BadRequest`` field
violations. The reason is a stable UPPER_SNAKE_CASE string that clients may branch on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

# An error repeats at most this much of a value the caller sent.
MAX_ECHO_CHARS = 64
# The message of an INVALID_ARGUMENT names this many violations; the BadRequest has the rest.
SUMMARY_VIOLATIONS = 3


class ErrorKind(StrEnum):
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    UNAVAILABLE = "UNAVAILABLE"
    INTERNAL = "INTERNAL"


@dataclass(frozen=True)
class FieldViolation:
    field: str
    description: str


@dataclass
class DomainError(Exception):
    """Base of every expected failure. ``kind`` picks the gRPC code at the edge."""

    reason: str
    message: str
    metadata: dict[str, str] = field(default_factory=dict)
    violations: list[FieldViolation] = field(default_factory=list)
    kind: ErrorKind = ErrorKind.INTERNAL

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class InvalidArgument(DomainError):
    def __init__(
        self,
        reason: str,
        message: str,
        violations: list[FieldViolation] | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            reason, message, metadata or {}, violations or [], ErrorKind.INVALID_ARGUMENT
        )


class _SimpleError(DomainError):
    KIND: ErrorKind = ErrorKind.INTERNAL

    def __init__(self, reason: str, message: str, metadata: dict[str, str] | None = None) -> None:
        super().__init__(reason, message, metadata or {}, [], self.KIND)


class NotFound(_SimpleError):
    KIND = ErrorKind.NOT_FOUND


class AlreadyExists(_SimpleError):
    KIND = ErrorKind.ALREADY_EXISTS


class FailedPrecondition(_SimpleError):
    KIND = ErrorKind.FAILED_PRECONDITION


class PermissionDenied(_SimpleError):
    KIND = ErrorKind.PERMISSION_DENIED


class Unauthenticated(_SimpleError):
    KIND = ErrorKind.UNAUTHENTICATED


class Unavailable(_SimpleError):
    KIND = ErrorKind.UNAVAILABLE


class Violations:
    """Collects field violations and raises one INVALID_ARGUMENT with all of them."""

    def __init__(self) -> None:
        self.items: list[FieldViolation] = []

    def add(self, field_path: str, description: str) -> None:
        self.items.append(FieldViolation(field_path, description))

    def check(self, ok: bool, field_path: str, description: str) -> None:
        if not ok:
            self.add(field_path, description)

    def raise_if_any(self, reason: str = "INVALID_REQUEST") -> None:
        if self.items:
            raise InvalidArgument(reason, summary(self.items), list(self.items))


def summary(violations: list[FieldViolation]) -> str:
    """The first few violations in one sentence ("…; and 12 more")."""
    named = "; ".join(f"{v.field}: {v.description}" for v in violations[:SUMMARY_VIOLATIONS])
    more = len(violations) - SUMMARY_VIOLATIONS
    return f"{named}; and {more} more" if more > 0 else named


def echo(value: str) -> str:
    """A caller's value quoted in an error: at most MAX_ECHO_CHARS of it, marked when cut."""
    shown = value[:MAX_ECHO_CHARS] + ("…" if len(value) > MAX_ECHO_CHARS else "")
    return repr(shown)


def clip(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` of UTF-8 (on a character boundary), marked "…"."""
    encoded = text.encode("utf-8", errors="replace")
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"
