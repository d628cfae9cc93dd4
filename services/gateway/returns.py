"""Returns through the gateway: a return is a ReturnWorkflow (commands go to Temporal); the
return's record is read from the orders service."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from temporalio.common import SearchAttributePair

from clickcollect.orders.v1 import orders_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.errors import AlreadyExists, DomainError, ErrorKind
from services.gateway.commands import OrderCommands, WorkflowClosed, answered_before
from services.gateway.domain import ReturnLine, ensure_accepts_returns
from services.gateway.reads import Reads, ask
from workflows.contracts import search
from workflows.contracts.ids import return_workflow_id
from workflows.contracts.interfaces import ReturnWorkflow
from workflows.contracts.returns import (
    IN_STORE,
    REJECTED,
    ReceiveReturnInput,
    ReturnDecision,
    ReturnInput,
    ReturnItemInput,
    return_kind,
)


def items_of(lines: list[ReturnLine]) -> list[ReturnItemInput]:
    return [ReturnItemInput(line.sku, line.quantity, line.condition) for line in lines]


class Returns:
    def __init__(
        self, commands: OrderCommands, reads: Reads, decision_timeout: float, rma_valid_days: int
    ) -> None:
        self.commands = commands
        self.reads = reads
        self.decision_timeout = timedelta(seconds=decision_timeout)
        self.rma_valid_days = rma_valid_days

    async def receiving_location(self, location_id: str) -> stores_pb2.Location:
        location = await self.reads.location(location_id)
        accepts = stores_pb2.CAPABILITY_RETURNS in location.capabilities
        ensure_accepts_returns(location.name, accepts, location.location_id)
        return location

    async def open(self, ret: ReturnInput) -> orders_pb2.Return:
        """Starts the return (or joins it: a repeated request lands on the same return id) and
        answers with the policy's decision; in store, once the refund is done."""
        workflow = return_workflow_id(ret.return_id)
        attributes = [
            SearchAttributePair(search.RETURN_STATE, "PENDING"),
            SearchAttributePair(search.ORDER_ID, ret.order_id),
            SearchAttributePair(search.CUSTOMER_ID, ret.customer_id),
        ]
        if ret.receiving_location_id:
            attributes.append(
                SearchAttributePair(search.RECEIVING_STORE_ID, ret.receiving_location_id)
            )
        try:
            kind = return_kind(ret)
            decision = await self.commands.start_and_decide(
                ReturnWorkflow.run,
                ret,
                workflow,
                attributes,
                ReturnWorkflow.decision_made,
                kind,
                self.decision_timeout,
                update_id=f"decision_made:{kind}",
            )
        except WorkflowClosed:
            return await self._settled(workflow, ret)
        if not decision.accepted:
            raise _refused(decision)
        if ret.method == IN_STORE:
            await self.commands.result(ReturnWorkflow.run, workflow)
        return await self.get(ret.return_id)

    async def receive(self, return_id: str, parcel: ReceiveReturnInput) -> orders_pb2.Return:
        """A mail return's parcel at a terminal; answers once refunded."""
        ret = await self.get(return_id)
        try:
            await self.commands.update_workflow(
                return_workflow_id(return_id),
                ReturnWorkflow.receive,
                parcel,
                f"receive:{parcel.request_id}",
            )
        except WorkflowClosed:
            order = await self.reads.order(ret.order_id)
            _refuse_closed_receipt(ret, order, parcel.request_id)
        return await self.get(return_id)

    async def get(self, return_id: str) -> orders_pb2.Return:
        request = orders_pb2.GetReturnRequest(return_id=return_id)
        return (await ask(self.reads.orders.GetReturn, request)).order_return

    async def _settled(self, workflow: str, ret: ReturnInput) -> orders_pb2.Return:
        """A repeat after the return's workflow finished: the first answer again."""
        status = await self.commands.result(ReturnWorkflow.run, workflow)
        if status.refusal is not None:
            raise _refused(status.refusal)
        if status.state == REJECTED:
            raise DomainError(
                status.state_reason or "RETURN_REFUSED",
                "this return was refused",
                kind=ErrorKind.FAILED_PRECONDITION,
            )
        found = await self.get(ret.return_id)
        ensure_same_return(found, ret)
        return found


def ensure_same_return(found: orders_pb2.Return, asked: ReturnInput) -> None:
    """A repeated request (same order and request_id, so the same return) must ask for the
    same kind of return: a mail return is not taken back at a counter, nor a counter's return
    at another store's (REQUEST_ID_REUSED; the caller picks a new request_id)."""
    method = orders_pb2.ReturnMethod.Name(found.method).removeprefix("RETURN_METHOD_")
    elsewhere = asked.method == IN_STORE and (
        found.receiving_location_id != asked.receiving_location_id
    )
    if method != asked.method or elsewhere:
        raise AlreadyExists(
            "REQUEST_ID_REUSED",
            "this request_id already names another return of this order; use a new request_id",
            {"return_id": found.return_id},
        )


def _refused(decision: ReturnDecision) -> DomainError:
    """The policy's refusal with its code; fields named as in the gateway request (lines)."""
    refusal = decision.refusal()
    violations = {
        path.replace("items[", "lines[", 1): text for path, text in refusal.violations.items()
    }
    return replace(refusal, violations=violations).domain_error()


def _refuse_closed_receipt(
    ret: orders_pb2.Return, order: orders_pb2.Order, request_id: str
) -> None:
    """The return's workflow is over: the same receipt again is answered as the first time;
    any other is refused with the state the return ended in."""
    if answered_before(order, "return_received", request_id):
        return
    state = orders_pb2.ReturnState.Name(ret.state).removeprefix("RETURN_STATE_")
    reason, message = {
        "RECEIVED": ("RETURN_ALREADY_RECEIVED", "this return was already received"),
        "REFUNDED": ("RETURN_ALREADY_RECEIVED", "this return was already received"),
        "EXPIRED": ("RETURN_EXPIRED", "the RMA has lapsed; start a new return"),
    }.get(state, ("RETURN_NOT_AWAITING_PARCEL", f"return is {state}"))
    raise DomainError(reason, message, {"state": state}, kind=ErrorKind.FAILED_PRECONDITION)
