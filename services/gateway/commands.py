"""Commands go to Temporal: start/update order workflows and turn their answers into domain
errors. (Reads go to the services; see reads.py.)"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, TypeVar

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowFailureError,
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
from temporalio.types import MethodAsyncSingleParam
from temporalio.workflow import UpdateMethodMultiParam

from clickcollect.orders.v1 import orders_pb2
from services.common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    Unavailable,
)
from services.common.order_states import OrderState
from services.gateway.reads import state_name
from workflows.contracts import search
from workflows.contracts.ids import order_workflow_id
from workflows.contracts.interfaces import OrderWorkflow
from workflows.contracts.orders import (
    Decision,
    PlaceOrderInput,
    fingerprint,
    request_fingerprint,
)
from workflows.contracts.refusal import Refusal

W = TypeVar("W")  # a workflow's contract class
P = TypeVar("P")  # what starts it
U = TypeVar("U")  # what an update sends
R = TypeVar("R")  # what comes back


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
        attributes = [
            SearchAttributePair(search.ORDER_STATE, OrderState.PENDING.value),
            SearchAttributePair(search.PICKUP_STORE_ID, order.pickup_store_id),
            SearchAttributePair(search.FULFILLMENT_TYPE, "PICKUP_IN_STORE"),
            SearchAttributePair(search.CUSTOMER_ID, order.customer_id),
        ]
        fingerprint = request_fingerprint(order)
        return await self.start_and_decide(
            OrderWorkflow.run,
            order,
            order_workflow_id(order.order_id),
            attributes,
            OrderWorkflow.accept,
            fingerprint,
            wait,
            update_id=f"accept:{fingerprint}",
        )

    async def start_and_decide(
        self,
        run: MethodAsyncSingleParam[W, P, Any],
        arg: P,
        workflow: str,
        attributes: list[SearchAttributePair[Any]],
        update: UpdateMethodMultiParam[[W, U], R],
        update_arg: U,
        wait: timedelta,
        update_id: str,
    ) -> R:
        """Starts a workflow by its business id (or joins the running one) and waits for the
        answer its `update` gives, at most `wait` in all (then UNAVAILABLE/DECISION_PENDING: the
        same request later gets the answer). Raises WorkflowClosed when it already finished."""
        start = WithStartWorkflowOperation(
            run,
            arg,
            id=workflow,
            task_queue=self.task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            search_attributes=TypedSearchAttributes(attributes),
        )
        try:
            return await asyncio.wait_for(
                self.client.execute_update_with_start_workflow(
                    update,
                    update_arg,
                    start_workflow_operation=start,
                    id=update_id,
                    rpc_timeout=wait,
                ),
                wait.total_seconds(),
            )
        except WorkflowAlreadyStartedError:
            raise WorkflowClosed from None
        except WorkflowUpdateFailedError as error:
            raise refusal_from(error.cause) from None
        except RPCError as error:
            if error.status in (RPCStatusCode.ALREADY_EXISTS, RPCStatusCode.NOT_FOUND):
                raise WorkflowClosed from None
            raise _unavailable(error) from None
        except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
            raise Unavailable(
                "DECISION_PENDING",
                "the request is still being decided; repeat the call with the same request_id",
            ) from None
        finally:
            _read_start(start)

    async def run_to_end(
        self,
        run: MethodAsyncSingleParam[W, P, R],
        arg: P,
        workflow: str,
        attributes: list[SearchAttributePair[Any]],
    ) -> R:
        """Starts a short workflow (or joins it) and waits for its result; WorkflowClosed when
        a workflow with this id already finished."""
        try:
            await self.client.start_workflow(
                run,
                arg,
                id=workflow,
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
                search_attributes=TypedSearchAttributes(attributes),
            )
        except WorkflowAlreadyStartedError:
            raise WorkflowClosed from None
        except RPCError as error:
            raise _unavailable(error) from None
        return await self.result(run, workflow)

    async def result(self, run: MethodAsyncSingleParam[W, Any, R], workflow: str) -> R:
        """A workflow's result, waited for up to the command timeout."""
        handle = self.client.get_workflow_handle_for(run, workflow)
        try:
            return await asyncio.wait_for(handle.result(), self.timeout.total_seconds())
        except TimeoutError:
            raise Unavailable(
                "COMMAND_PENDING", "not finished in time; repeat with the same request_id"
            ) from None
        except WorkflowFailureError:  # stopped by operations (terminated) before its end
            raise FailedPrecondition(
                "COMMAND_NOT_COMPLETED", "the command was stopped before it finished"
            ) from None
        except RPCError as error:
            raise _unavailable(error) from None

    async def update(
        self,
        order_id: str,
        update: UpdateMethodMultiParam[[OrderWorkflow, U], Any],
        arg: U,
        update_id: str,
        seconds: float | None = None,
    ) -> None:
        """Sends one update to a running order workflow; WorkflowClosed when it has finished."""
        await self.update_workflow(order_workflow_id(order_id), update, arg, update_id, seconds)

    async def update_workflow(
        self,
        workflow: str,
        update: UpdateMethodMultiParam[[Any, U], Any],
        arg: U,
        update_id: str,
        seconds: float | None = None,
    ) -> None:
        """Waits for the update's answer at most `seconds` (the command timeout by default)."""
        limit = timedelta(seconds=seconds) if seconds is not None else self.timeout
        handle = self.client.get_workflow_handle(workflow)
        try:
            await asyncio.wait_for(
                handle.execute_update(update, arg, id=update_id, rpc_timeout=limit),
                limit.total_seconds(),
            )
        except WorkflowUpdateFailedError as error:
            raise refusal_from(error.cause) from None
        except RPCError as error:
            if error.status == RPCStatusCode.NOT_FOUND:
                raise WorkflowClosed from None
            raise _unavailable(error) from None
        except (WorkflowUpdateRPCTimeoutOrCancelledError, TimeoutError):
            raise Unavailable(
                "COMMAND_PENDING",
                "the order did not answer in time; repeat with the same request_id",
            ) from None


def _read_start(start: WithStartWorkflowOperation[Any, Any]) -> None:
    """Reads the start's own outcome, which the SDK keeps apart from the update's: an error
    there (the workflow had finished) is answered through the update's, not left unread."""
    started = getattr(start, "_workflow_handle", None)
    if isinstance(started, asyncio.Future) and started.done() and not started.cancelled():
        started.exception()


def refusal_from(cause: BaseException | None) -> DomainError:
    """A workflow's refusal (an ApplicationError carrying a Refusal) as the domain error the
    edge maps to a gRPC status: the same reason, code, metadata and field violations."""
    if not isinstance(cause, ApplicationError):  # the workflow stopped (e.g. terminated)
        return Unavailable(
            "ORDER_NOT_ANSWERING",
            "the order could not answer the command; read the order, or repeat the command "
            "with the same request_id",
        )
    return Refusal.of(cause).domain_error()


def decision_refused(decision: Decision) -> DomainError:
    """A refused PlaceOrder (out of stock, card declined, bad input a service caught) with the
    code and fields the refusing service gave."""
    return decision.refusal().domain_error()


def _unavailable(error: RPCError) -> Unavailable:
    return Unavailable(
        "ORCHESTRATION_UNAVAILABLE", f"order orchestration unavailable: {error.message}"
    )


def answered_before(order: orders_pb2.Order, event: str, request_id: str) -> bool:
    """The client's command `request_id` caused the order's timeline event `event` (the event
    keeps the client's request id as its own field)."""
    return any(e.type == event and e.client_request_id == request_id for e in order.timeline)


def ensure_same_request(order: orders_pb2.Order, asked: PlaceOrderInput) -> None:
    """The order recorded for a request id is the one asked for again (the same fingerprint
    the running order's `accept` validator compares)."""
    channel = orders_pb2.Channel.Name(order.channel).removeprefix("CHANNEL_")
    basket = [(line.sku, line.quantity) for line in order.lines]
    placed_at = order.placed_pickup_store_id or order.pickup_store_id  # before a store change
    recorded = fingerprint(placed_at, basket, channel, order.customer_email)
    if recorded != request_fingerprint(asked):
        raise AlreadyExists(
            "REQUEST_ID_REUSED",
            "this request_id was already used for another order request",
            {"order_id": order.order_id},
        )


def refuse_closed(order: orders_pb2.Order, reason: str, event: str, request_id: str) -> None:
    """The order's workflow is over. A repeat of the command that finished it is answered as the
    first time (AIP-155); anything else is refused with the state the order ended in."""
    if answered_before(order, event, request_id):
        return
    state = state_name(order)
    raise FailedPrecondition(reason, f"order is {state}", {"state": state})
