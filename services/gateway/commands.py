"""Commands go to Temporal: start/update order workflows and turn their answers into domain
errors. (Reads go to the services; see reads.py.)"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import (
    SearchAttributePair,
    TypedSearchAttributes,
    WorkflowIDConflictPolicy,
    WorkflowIDReusePolicy,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from clickcollect.orders.v1 import orders_pb2
from services.common.errors import (
    DomainError,
    ErrorKind,
    FailedPrecondition,
    FieldViolation,
    Unavailable,
)
from workflows.order import search
from workflows.order.types import (
    Decision,
    PlaceOrderInput,
    workflow_id,
)


class WorkflowClosed(Exception):
    """The order's workflow has finished; the caller answers from the order record."""


class OrderCommands:
    def __init__(self, client: Client, task_queue: str, timeout: timedelta) -> None:
        self.client = client
        self.task_queue = task_queue
        self.timeout = timeout

    async def place(self, order: PlaceOrderInput, wait: timedelta) -> Decision:
        """Update-with-start: starts the order's workflow (or joins the running one) and waits
        for its accept/reject decision. Raises WorkflowClosed when it already finished."""
        start: WithStartWorkflowOperation[Any, Any] = WithStartWorkflowOperation(
            "OrderWorkflow",
            order,
            id=workflow_id(order.order_id),
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(
                [
                    SearchAttributePair(search.ORDER_STATE, "PENDING"),
                    SearchAttributePair(search.PICKUP_STORE_ID, order.pickup_store_id),
                    SearchAttributePair(search.FULFILLMENT_TYPE, "PICKUP_IN_STORE"),
                    SearchAttributePair(search.CUSTOMER_ID, order.customer_id),
                ]
            ),
        )
        try:
            result = await self.client.execute_update_with_start_workflow(
                "accept",
                start_workflow_operation=start,
                id="accept",
                result_type=Decision,
                rpc_timeout=wait,
            )
        except WorkflowAlreadyStartedError:
            raise WorkflowClosed from None
        except RPCError as error:
            if error.status in (RPCStatusCode.ALREADY_EXISTS, RPCStatusCode.NOT_FOUND):
                raise WorkflowClosed from None
            raise _unavailable(error) from None
        except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
            raise Unavailable(
                "ORDER_DECISION_PENDING",
                "the order is still being placed; repeat the call with the same request_id",
            ) from None
        assert isinstance(result, Decision)
        return result

    async def update(self, order_id: str, name: str, arg: Any, update_id: str) -> None:
        """Sends one update to a running order workflow; WorkflowClosed when it has finished."""
        await self.update_workflow(workflow_id(order_id), name, arg, update_id)

    async def update_workflow(self, workflow: str, name: str, arg: Any, update_id: str) -> None:
        handle = self.client.get_workflow_handle(workflow)
        try:
            await handle.execute_update(name, arg, id=update_id, rpc_timeout=self.timeout)
        except WorkflowUpdateFailedError as error:
            raise refusal_from(error.cause) from None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise WorkflowClosed from None
            raise _unavailable(error) from None
        except WorkflowUpdateRPCTimeoutOrCancelledError:
            raise Unavailable(
                "COMMAND_PENDING",
                "the order did not answer in time; repeat with the same request_id",
            ) from None


def refusal_from(cause: BaseException | None) -> DomainError:
    """A workflow's ApplicationError(type=REASON, details=[{code, metadata, field}]) as the
    domain error the edge maps to a gRPC status."""
    if not isinstance(cause, ApplicationError):
        return DomainError(
            "INTERNAL", "the order could not process the command", kind=ErrorKind.INTERNAL
        )
    details: dict[str, Any] = cause.details[0] if cause.details else {}
    kind = ErrorKind(details.get("code", "FAILED_PRECONDITION"))
    metadata = {str(k): str(v) for k, v in dict(details.get("metadata", {})).items()}
    violations = [FieldViolation(details["field"], cause.message)] if details.get("field") else []
    return DomainError(cause.type or kind.value, cause.message, metadata, violations, kind)


def _unavailable(error: RPCError) -> Unavailable:
    return Unavailable(
        "ORCHESTRATION_UNAVAILABLE", f"order orchestration unavailable: {error.message}"
    )


def refuse_closed(order: orders_pb2.Order, reason: str, event: str, request_id: str) -> None:
    """The order's workflow is over. A repeat of the command that finished it is answered as the
    first time (AIP-155); anything else is refused with the state the order ended in."""
    if any(
        e.type == event and e.request_id.endswith(f":{event}:{request_id}") for e in order.timeline
    ):
        return
    state = orders_pb2.OrderState.Name(order.state).removeprefix("ORDER_STATE_")
    raise FailedPrecondition(reason, f"order is {state}", {"state": state})
