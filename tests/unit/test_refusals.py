"""One refusal crosses every boundary unchanged: a service's gRPC error, read by an activity,
carried by Temporal through a workflow's update, answered by the gateway as the same gRPC
error (code, reason, metadata and field violations); histories' older shapes still read."""

from __future__ import annotations

from typing import NoReturn

import grpc
import pytest
from temporalio.api.failure.v1 import Failure
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError

from services.common.errors import DomainError, ErrorKind, FieldViolation, InvalidArgument
from services.common.grpc_errors import to_status
from services.gateway.commands import decision_refused, refusal_from
from workflows.calls import call
from workflows.contracts.orders import Decision
from workflows.contracts.refusal import Refusal
from workflows.contracts.returns import ReturnDecision

BAD_LINES = InvalidArgument(
    "INVALID_REQUEST",
    "lines[0].sku: not a sku; lines[1].quantity: must be 1 to 99",
    [
        FieldViolation("lines[0].sku", "not a sku"),
        FieldViolation("lines[1].quantity", "must be 1 to 99"),
    ],
    {"transfer_id": "transfer-ORD-0000000001-1"},
)


def _as_rpc_error(error: DomainError) -> grpc.aio.AioRpcError:
    """What a client of the service receives for `error` (the one error table's answer)."""
    status = to_status(error)
    return grpc.aio.AioRpcError(
        status.code,
        grpc.aio.Metadata(),
        grpc.aio.Metadata(*status.trailing_metadata),
        status.details,
        None,
    )


async def _over_temporal(error: BaseException) -> BaseException:
    """The error as the other side of Temporal reads it (encoded and decoded as a failure)."""
    failure = Failure()
    await DataConverter.default.encode_failure(error, failure)
    return await DataConverter.default.decode_failure(failure)


async def _refused_by_service(error: DomainError) -> ApplicationError:
    async def rpc(request: object, timeout: float) -> NoReturn:
        raise _as_rpc_error(error)

    with pytest.raises(ApplicationError) as raised:
        await call(rpc, object())
    return raised.value


def _answer(error: DomainError) -> tuple[grpc.StatusCode, str, tuple[object, ...]]:
    status = to_status(error)
    return status.code, status.details, tuple(status.trailing_metadata)


async def test_a_services_bad_fields_reach_the_gateways_caller_unchanged() -> None:
    in_activity = await _refused_by_service(BAD_LINES)
    assert in_activity.non_retryable
    in_workflow = await _over_temporal(in_activity)
    assert isinstance(in_workflow, ApplicationError)
    at_gateway = await _over_temporal(in_workflow)  # raised again by the update
    answered = refusal_from(at_gateway)
    assert answered.kind is ErrorKind.INVALID_ARGUMENT
    assert answered.reason == "INVALID_REQUEST"
    assert answered.metadata == {"transfer_id": "transfer-ORD-0000000001-1"}
    assert answered.violations == BAD_LINES.violations
    assert _answer(answered) == _answer(BAD_LINES)


async def test_a_refusal_recorded_as_a_decision_answers_the_same_as_the_service() -> None:
    refused = Refusal.of(await _refused_by_service(BAD_LINES))
    for decision in (
        Decision.refused("ORD-0000000001", refused),
        ReturnDecision.refused("RET-0000000001", refused),
    ):
        assert not decision.accepted
        assert decision.refusal() == refused
    answered = decision_refused(Decision.refused("ORD-0000000001", refused))
    assert _answer(answered) == _answer(BAD_LINES)


@pytest.mark.parametrize(
    "code",
    [
        grpc.StatusCode.NOT_FOUND,
        grpc.StatusCode.ALREADY_EXISTS,
        grpc.StatusCode.FAILED_PRECONDITION,
        grpc.StatusCode.PERMISSION_DENIED,
    ],
)
async def test_every_business_code_keeps_its_code_reason_and_metadata(
    code: grpc.StatusCode,
) -> None:
    kind = ErrorKind(code.name)
    refused = DomainError("SOME_REASON", "refused", {"sku": "MUG-CERAMIC"}, [], kind)
    answered = refusal_from(await _over_temporal(await _refused_by_service(refused)))
    assert _answer(answered) == _answer(refused)


async def test_a_workflows_own_refusal_answers_with_its_code_and_metadata() -> None:
    own = Refusal("ORDER_NOT_READY", ErrorKind.FAILED_PRECONDITION, "order is IN_TRANSIT")
    raised = replace_metadata(own, state="IN_TRANSIT").error()
    answered = refusal_from(await _over_temporal(raised))
    assert (answered.kind, answered.reason, answered.metadata) == (
        ErrorKind.FAILED_PRECONDITION,
        "ORDER_NOT_READY",
        {"state": "IN_TRANSIT"},
    )


def replace_metadata(refusal: Refusal, **metadata: str) -> Refusal:
    return Refusal(refusal.reason, refusal.code, refusal.message, metadata, refusal.violations)


def test_a_recorded_refusal_with_violations_reads_back() -> None:
    detail = {"code": "INVALID_ARGUMENT", "metadata": {"a": "1"}, "violations": {"f": "bad"}}
    recorded = ApplicationError("bad f", detail, type="INVALID_REQUEST", non_retryable=True)
    assert Refusal.of(recorded) == Refusal(
        "INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, "bad f", {"a": "1"}, {"f": "bad"}
    )


def test_a_recorded_wrong_pickup_code_names_its_field() -> None:
    detail = {
        "code": "INVALID_ARGUMENT",
        "metadata": {"attempts_left": "3"},
        "field": "pickup_code",
    }
    recorded = ApplicationError("pickup code does not match", detail, type="INVALID_PICKUP_CODE")
    refusal = Refusal.of(recorded)
    assert refusal.code is ErrorKind.INVALID_ARGUMENT
    assert refusal.violations == {"pickup_code": "pickup code does not match"}
    assert refusal.metadata == {"attempts_left": "3"}


def test_a_refusal_without_details_or_code_is_a_failed_precondition() -> None:
    assert Refusal.of(ApplicationError("no", type="X")).code is ErrorKind.FAILED_PRECONDITION
    odd = ApplicationError("no", {"code": "INTERNAL"}, type="X")
    assert Refusal.of(odd).code is ErrorKind.FAILED_PRECONDITION


def test_a_stopped_workflow_is_not_a_refusal() -> None:
    assert refusal_from(None).kind is ErrorKind.UNAVAILABLE
