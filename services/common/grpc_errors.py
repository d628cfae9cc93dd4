"""The one table from domain errors to gRPC status, and back (for clients of our services)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import grpc
from google.protobuf import any_pb2
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from services.common.errors import DomainError, ErrorKind, FieldViolation

ERROR_DOMAIN = "clickcollect"

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
    """A rich status: code, message, ErrorInfo(reason, metadata) and BadRequest violations."""
    code = STATUS_BY_KIND[error.kind]
    info = error_details_pb2.ErrorInfo(
        reason=error.reason, domain=ERROR_DOMAIN, metadata=error.metadata
    )
    details = [_pack(info)]
    if error.violations:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(
                    field=v.field, description=v.description
                )
                for v in error.violations
            ]
        )
        details.append(_pack(bad_request))
    status = status_pb2.Status(code=code.value[0], message=error.message, details=details)
    return rpc_status.to_status(status)


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
