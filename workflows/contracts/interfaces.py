"""Typed references to the workflows the gateway starts and the updates and queries it sends,
as Temporal's samples use them (`client.start_workflow(OrderWorkflow.run, ...)`,
`handle.execute_update(OrderWorkflow.mark_picked, ...)`), without importing workflow code.

Each class declares a workflow's name and the handlers callers use, with their input and
result types; the bodies are never run. tests/unit/test_workflow_contracts.py checks that the
real workflow (workflows/<name>/workflow.py) defines each of them under the same name with the
same types, so a name here is the name in every recorded history."""

from __future__ import annotations

from temporalio import workflow

from workflows.contracts.operations import (
    ForceCancelInput,
    RerouteInput,
    ResendNotificationInput,
    UnlockInput,
)
from workflows.contracts.orders import (
    AnnounceArrivalInput,
    CancelInput,
    ChangePickupStoreInput,
    ConfirmPickupInput,
    Decision,
    ExtendPickupInput,
    MarkPickedInput,
    OrderOutcome,
    OrderStatus,
    PayInput,
    PlaceOrderInput,
    SetCollectorInput,
)
from workflows.contracts.returns import (
    ReceiveReturnInput,
    ReturnDecision,
    ReturnInput,
    ReturnStatus,
)
from workflows.contracts.transfers import (
    ReceiveInput,
    ShipInput,
    TransferInput,
    TransferStatus,
)

_DECLARED_ONLY = "a contract: the workflow itself runs on the worker"


@workflow.defn(name="OrderWorkflow")
class OrderWorkflow:
    """One per order (id: ids.order_workflow_id), started by PlaceOrder with update-with-start."""

    @workflow.run
    async def run(self, order: PlaceOrderInput) -> OrderOutcome:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def accept(self, fingerprint: str = "") -> Decision:
        """The accept/reject decision; `fingerprint` is orders.request_fingerprint."""
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def mark_picked(self, request: MarkPickedInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def confirm_pickup(self, request: ConfirmPickupInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def cancel(self, request: CancelInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def transfer_received(self, transfer_id: str) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def pay(self, request: PayInput) -> OrderStatus:
        """Answers once the order, paid, is accepted (or refuses: declined, lapsed)."""
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.query
    def state(self) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def change_pickup_store(self, request: ChangePickupStoreInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def extend_pickup(self, request: ExtendPickupInput) -> OrderStatus:
        """Customers (ExtendPickup) and operations (Temporal UI, `temporal workflow update`)."""
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def announce_arrival(self, request: AnnounceArrivalInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def set_collector(self, request: SetCollectorInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    # Operations (Temporal UI / `temporal workflow update execute`): contracts/operations.py.
    @workflow.update
    async def force_cancel(self, request: ForceCancelInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def reroute(self, request: RerouteInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def resend_notification(self, request: ResendNotificationInput) -> OrderStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def unlock(self, request: UnlockInput) -> OrderStatus:
        """The update for a lock-out (the older `unlock_pickup` signal still works)."""
        raise NotImplementedError(_DECLARED_ONLY)


@workflow.defn(name="StoreSaleWorkflow")
class StoreSaleWorkflow:
    """A till sale (id: ids.sale_workflow_id), run to its end; its result is the decision."""

    @workflow.run
    async def run(self, sale: PlaceOrderInput) -> Decision:
        raise NotImplementedError(_DECLARED_ONLY)


@workflow.defn(name="ReturnWorkflow")
class ReturnWorkflow:
    """One per return (id: ids.return_workflow_id), started with update-with-start."""

    @workflow.run
    async def run(self, ret: ReturnInput) -> ReturnStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def decision_made(self, kind: str = "") -> ReturnDecision:
        """The policy's decision; `kind` is returns.return_kind of the request."""
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def receive(self, parcel: ReceiveReturnInput) -> ReturnStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.query
    def state(self) -> ReturnStatus:
        raise NotImplementedError(_DECLARED_ONLY)


@workflow.defn(name="ShipToStoreWorkflow")
class ShipToStoreWorkflow:
    """A transfer (id: ids.transfer_id), a child of its order; terminals scan it."""

    @workflow.run
    async def run(self, transfer: TransferInput) -> TransferStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def ship(self, request: ShipInput) -> TransferStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.update
    async def receive(self, request: ReceiveInput) -> TransferStatus:
        raise NotImplementedError(_DECLARED_ONLY)

    @workflow.query
    def state(self) -> TransferStatus:
        raise NotImplementedError(_DECLARED_ONLY)
