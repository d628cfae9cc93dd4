"""The one table from domain errors to gRPC status, and back (for clients of our services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.common.errors import DomainError, ErrorKind, FieldViolation, clip

ERROR_DOMAIN = "clickcollect"
# What one error answer may carry, so that it always fits a client's trailing metadata (8 KiB
# by default; the message travels percent-encoded, the details base64-encoded).
MAX_MESSAGE_BYTES = 512
MAX_VIOLATIONS = 20
MAX_FIELD_BYTES = 128
MAX_DESCRIPTION_BYTES = 160
MAX_METADATA_ENTRIES = 16
MAX_METADATA_BYTES = 128
MAX_DETAILS_BYTES = 3_500

STATUS_BY_KIND: dict[ErrorKind, grpc.StatusCode] = {
    ErrorKind.INVALID_ARGUMENT: grpc.StatusCode.INVALID_ARGUMENT,
    ErrorKind.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    ErrorKind.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
    ErrorKind.FAILED_PRECONDITION: grpc.StatusCode.FAILED_PRECONDITION,
    ErrorKind.PERMISSION_DENIED: grpc.StatusCode.PERMISSION_DENIED,
    ErrorKind.UNAUTHENTICATED: grpc.StatusCode.UNAUTHENTICATED,
    ErrorKind.UNAVAILABLE: grpc.StatusCode.UNAVAILABLE,
    ErrorKind.INTERNAL: grpc.StatusCode.INTERNAL,
}
KIND_BY_STATUS = {code: kind for kind, code in STATUS_BY_KIND.items()}


def to_status(error: DomainError) -> grpc.Status:
    """A rich status: code, message, ErrorInfo(reason, metadata) and BadRequest violations,
    each capped (values cut, the first MAX_VIOLATIONS violations and a note of the rest)."""
    code = STATUS_BY_KIND[error.kind]
    message = clip(error.message, MAX_MESSAGE_BYTES)
    info = error_details_pb2.ErrorInfo(
        reason=clip(error.reason, MAX_METADATA_BYTES),
        domain=ERROR_DOMAIN,
        metadata=_capped_metadata(error.metadata),
    )
    violations = [_capped(v) for v in error.violations[:MAX_VIOLATIONS]]
    total = len(error.violations)
    while True:
        details = _details(info, violations, total)
        status = status_pb2.Status(code=code.value[0], message=message, details=details)
        if status.ByteSize() <= MAX_DETAILS_BYTES or not violations:
            return rpc_status.to_status(status)
        violations = violations[:-1]


def _capped(violation: FieldViolation) -> FieldViolation:
    return FieldViolation(
        clip(violation.field, MAX_FIELD_BYTES), clip(violation.description, MAX_DESCRIPTION_BYTES)
    )


def _capped_metadata(metadata: dict[str, str]) -> dict[str, str]:
    entries = sorted(metadata.items())[:MAX_METADATA_ENTRIES]
    return {clip(k, MAX_METADATA_BYTES): clip(v, MAX_METADATA_BYTES) for k, v in entries}


def _details(
    info: error_details_pb2.ErrorInfo, violations: list[FieldViolation], total: int
) -> list[any_pb2.Any]:
    details = [_pack(info)]
    if total:
        rows = [
            error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.description)
            for v in violations
        ]
        if total > len(violations):
            more = f"and {total - len(violations)} more not shown"
            rows.append(error_details_pb2.BadRequest.FieldViolation(description=more))
        details.append(_pack(error_details_pb2.BadRequest(field_violations=rows)))
    return details


def _pack(message: error_details_pb2.ErrorInfo | error_details_pb2.BadRequest) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


@dataclass(frozen=True)
class RpcErrorDetails:
    code: grpc.StatusCode
    message: str
    reason: str
    metadata: dict[str, str]
    violations: list[FieldViolation]


def details_of(error: grpc.aio.AioRpcError) -> RpcErrorDetails:
    """Reads code, reason and field violations from an error returned by one of our services."""
    reason, metadata, violations = "", {}, []
    trailing = cast("tuple[tuple[str, str | bytes], ...]", error.trailing_metadata() or ())
    for key, value in trailing:
        if key != "grpc-status-details-bin" or not isinstance(value, bytes):
            continue
        status = status_pb2.Status.FromString(value)
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, metadata = info.reason, dict(info.metadata)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations = [FieldViolation(v.field, v.description) for v in bad.field_violations]
    return RpcErrorDetails(error.code(), error.details() or "", reason, metadata, violations)


def domain_error_from_rpc(error: grpc.aio.AioRpcError) -> DomainError:
    """Re-raises a downstream service's answer as the same domain error (used by the gateway)."""
    details = details_of(error)
    kind = KIND_BY_STATUS.get(details.code)
    if kind is None:
        transient = details.code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED)
        kind = ErrorKind.UNAVAILABLE if transient else ErrorKind.INTERNAL
    return DomainError(
        details.reason or details.code.name,
        details.message,
        details.metadata,
        details.violations,
        kind,
    )
