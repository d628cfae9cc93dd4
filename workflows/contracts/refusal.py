"""One refusal, typed, from the service that refuses to the caller of the gateway.

A service answers a business refusal as a gRPC status with ErrorInfo (reason, metadata) and
BadRequest (field violations); an activity turns it into a non-retryable ApplicationError
(`Refusal.from_rpc` then `.error()`); a workflow raises or records it; the gateway reads it back
(`Refusal.of`) and answers the caller with the same code, reason, metadata and violations
(`.domain_error()`). On the wire (Temporal failures and histories) a refusal is an
ApplicationError whose type is the reason and whose one detail is
{"code", "metadata", "violations"}; `Refusal.of` also reads the older {"code", "metadata",
"field"} detail (the field then names the message). Violations travel as a mapping from field
path to description (two of one field joined by "; "), so they arrive in field-path order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from temporalio.exceptions import ApplicationError

from services.common.errors import DomainError, ErrorKind, FieldViolation

if TYPE_CHECKING:
    from services.common.grpc_errors import RpcErrorDetails

# The codes a refusal may carry; anything else read back is a FAILED_PRECONDITION.
REFUSAL_CODES = frozenset(
    {
        ErrorKind.INVALID_ARGUMENT,
        ErrorKind.NOT_FOUND,
        ErrorKind.ALREADY_EXISTS,
        ErrorKind.FAILED_PRECONDITION,
        ErrorKind.PERMISSION_DENIED,
    }
)


@dataclass(frozen=True)
class Refusal:
    """Why a command was refused: a stable reason, the gRPC code, a message for people, the
    ErrorInfo metadata and the bad fields (field path -> what is wrong with it)."""

    reason: str
    code: ErrorKind
    message: str
    metadata: dict[str, str] = field(default_factory=dict)
    violations: dict[str, str] = field(default_factory=dict)

    def error(self) -> ApplicationError:
        """The refusal as Temporal carries it: non-retryable, the reason as its type."""
        detail = {
            "code": self.code.value,
            "metadata": dict(self.metadata),
            "violations": dict(self.violations),
        }
        return ApplicationError(self.message, detail, type=self.reason, non_retryable=True)

    @classmethod
    def of(cls, error: ApplicationError) -> Refusal:
        """The refusal an ApplicationError carries (any recorded shape)."""
        detail: Any = error.details[0] if error.details else {}
        if not isinstance(detail, dict):
            detail = {}
        violations = _strings(detail.get("violations"))
        if detail.get("field"):
            violations[str(detail["field"])] = error.message
        return cls(
            error.type or "",
            code_of(str(detail.get("code", ""))),
            error.message,
            _strings(detail.get("metadata")),
            violations,
        )

    @classmethod
    def flat(
        cls,
        reason: str,
        code: str,
        message: str,
        metadata: dict[str, str],
        violations: dict[str, str],
    ) -> Refusal:
        """A refusal from the flat fields of a recorded decision (PlaceOrder, a return)."""
        return cls(reason, code_of(code), message, dict(metadata), dict(violations))

    def flat_fields(self) -> tuple[str, str, dict[str, str], str, dict[str, str]]:
        """The fields a decision records it by, in a decision's order: reason, message,
        metadata, code, violations (the inverse of `flat`)."""
        return (
            self.reason,
            self.message,
            dict(self.metadata),
            self.code.value,
            dict(self.violations),
        )

    @classmethod
    def from_rpc(cls, details: RpcErrorDetails) -> Refusal:
        """A service's refusal as its gRPC status told it (reason defaults to the code)."""
        violations: dict[str, str] = {}
        for violation in details.violations:
            shown = violations.get(violation.field)
            text = violation.description
            violations[violation.field] = f"{shown}; {text}" if shown else text
        return cls(
            details.reason or details.code.name,
            code_of(details.code.name),
            details.message,
            dict(details.metadata),
            violations,
        )

    def domain_error(self) -> DomainError:
        """The refusal as the gateway's edge answers it (one gRPC status, unchanged)."""
        fields = [FieldViolation(path, text) for path, text in self.violations.items()]
        return DomainError(
            self.reason or self.code.value, self.message, dict(self.metadata), fields, self.code
        )


def code_of(name: str) -> ErrorKind:
    """A refusal's code by name; FAILED_PRECONDITION when it names none we refuse with."""
    if name in ErrorKind.__members__ and ErrorKind(name) in REFUSAL_CODES:
        return ErrorKind(name)
    return ErrorKind.FAILED_PRECONDITION


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items()}
