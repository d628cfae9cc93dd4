"""ShipToStoreWorkflow (child of OrderWorkflow, id `transfer-<order_id>-<n>`): stock reserved at a
source travels to the pickup store.

created (reserved at the source, in transit at the destination) → shipped (the source confirms)
→ received (the pickup store's terminal scans it; the units land on its shelf, reserved for the
order). A transfer not received by its ready-by plus a grace period escalates once: the order is
flagged, the store and operations are told. Cancelled by the parent when the order is cancelled;
a cancel request from the Temporal UI is recorded on the order's timeline and ignored (a transfer
stops only with its order: cancel the order).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.ignored_cancels import IgnoredCancels
from workflows.ship_to_store.checks import check_receive_input, check_ship_input
from workflows.steps import act, business_refusal, refusal, run_to_completion, wait_until

with workflow.unsafe.imports_passed_through():
    from workflows.contracts.transfers import ReceiveInput, ShipInput, TransferInput, TransferStatus
    from workflows.shared.activities import SharedActivities
    from workflows.shared.activity_types import NotifyInput
    from workflows.ship_to_store.activities import TransferActivities
    from workflows.ship_to_store.types import ReceiveTransferInput, ShipmentRecord


# workflow.patched id: a transfer late at shipping used to be marked received without a scan.
LATE_TRANSFER_WAITS = "late-transfer-waits-for-receipt"


@workflow.defn
class ShipToStoreWorkflow:
    def __init__(self) -> None:
        self.transfer: TransferInput | None = None
        self.status = TransferStatus("", "", "", "", "PLANNED")
        self.shipped: ShipInput | None = None
        self.received: ReceiveInput | None = None
        self.cancelled = False
        self.recorded_state = ""  # the state the order shows for this transfer
        self.ignored = IgnoredCancels()

    @workflow.run
    async def run(self, transfer: TransferInput) -> TransferStatus:
        return await run_to_completion(self._run(transfer), self._on_cancel_request)

    def _on_cancel_request(self) -> None:
        assert self.transfer is not None
        detail = (
            f"cancel request for {self.transfer.transfer_id} ignored: a transfer stops with its "
            "order; cancel the order"
        )
        self.ignored.note(self.transfer.order_id, "cancel_ignored", detail)

    async def _run(self, transfer: TransferInput) -> TransferStatus:
        self.transfer = transfer
        self.status = TransferStatus(
            transfer.transfer_id,
            transfer.order_id,
            transfer.source_id,
            transfer.destination_id,
            "PLANNED",
        )
        await act(TransferActivities.create_transfer, transfer)
        await self._record("transfer_created", f"{transfer.source_id} → {transfer.destination_id}")
        if await self._until_late_or(lambda: self.shipped is not None):
            await act(TransferActivities.ship_transfer, transfer.transfer_id)
            await self._set("SHIPPED", "transfer_shipped", f"shipped by {transfer.source_id}")
            if await self._until_late_or(lambda: self.received is not None):
                await self._set("RECEIVED", "transfer_received", f"at {transfer.destination_id}")
        if self.cancelled and self.status.state != "RECEIVED":
            await self._set("CANCELLED", "transfer_cancelled", "order cancelled")
        await self.ignored.written()  # and every handler finished
        return self.status

    async def _until_late_or(self, done: Callable[[], bool]) -> bool:
        """Waits for `done` (or a cancel); escalates once when the ready-by plus grace passes.
        False when cancelled."""
        assert self.transfer is not None
        finished = lambda: bool(done() or self.cancelled)  # noqa: E731
        late_at = self.transfer.ready_by + timedelta(seconds=self.transfer.grace_seconds)
        if self.status.late:  # escalated at an earlier step: wait without a deadline
            if workflow.patched(LATE_TRANSFER_WAITS):
                await workflow.wait_condition(finished)
        elif not await wait_until(finished, late_at):
            await self._escalate()
            await workflow.wait_condition(finished)
        return not self.cancelled

    async def _escalate(self) -> None:
        assert self.transfer is not None
        self.status.late = True
        missing = "shipped" if self.shipped is None else "received"
        await self._record("transfer_late", f"not {missing} by its ready-by plus grace")
        parent = workflow.get_external_workflow_handle(f"order-{self.transfer.order_id}")
        await parent.signal("transfer_late", self.transfer.transfer_id)
        params = {
            "order_id": self.transfer.order_id,
            "transfer_id": self.transfer.transfer_id,
            "source_id": self.transfer.source_id,
            "store_id": self.transfer.destination_id,
            "missing_step": missing,
        }
        store = [self.transfer.store_email] if self.transfer.store_email else []
        for recipient in ["", *store]:  # operations, then the store
            await act(
                SharedActivities.send_notification,
                NotifyInput(
                    idempotency_key=f"{self.transfer.transfer_id}:late:{recipient or 'ops'}",
                    order_id=self.transfer.order_id,
                    template="TRANSFER_LATE",
                    recipient=recipient,
                    params=params,
                    moments={"ready_by": self.transfer.ready_by},
                ),
            )

    async def _set(self, state: str, event: str, detail: str) -> None:
        """Moves the transfer's own state first, then records it on the order: a terminal that
        reads the new state finds the transfer ready for the next scan."""
        self.status.state = state
        await self._record(event, detail, state)
        self.recorded_state = state

    async def _record(self, event: str, detail: str, state: str = "") -> None:
        assert self.transfer is not None
        t = self.transfer
        await act(
            TransferActivities.record_shipment,
            ShipmentRecord(
                request_id=f"{t.transfer_id}:{event}",
                order_id=t.order_id,
                transfer_id=t.transfer_id,
                source_id=t.source_id,
                state=state or self.status.state,
                lines=t.lines,
                expected_arrival=t.expected_arrival,
                ready_by=t.ready_by,
                late=self.status.late,
                event=event,
                detail=detail,
            ),
        )

    # ---- the ways in -----------------------------------------------------------------------

    @workflow.update
    async def ship(self, request: ShipInput) -> TransferStatus:
        self.shipped = self.shipped or request
        await workflow.wait_condition(
            lambda: self.recorded_state not in ("", "PLANNED") or self.cancelled
        )
        return self.status

    @ship.validator
    def _validate_ship(self, request: ShipInput) -> None:
        check_ship_input(request)
        if self.shipped is not None and self.shipped.request_id == request.request_id:
            return
        if self.cancelled or self.shipped is not None or self.status.state != "PLANNED":
            state = "CANCELLED" if self.cancelled else self.status.state
            raise refusal(
                "TRANSFER_NOT_SHIPPABLE", f"transfer is {state}", "FAILED_PRECONDITION", state=state
            )

    @workflow.update
    async def receive(self, request: ReceiveInput) -> TransferStatus:
        """Runs the inventory receipt here, so a refusal (wrong store, more than shipped) goes
        back to the terminal and the transfer keeps waiting for a correct scan."""
        if self.received is None:
            assert self.transfer is not None
            receipt = ReceiveTransferInput(
                self.transfer.transfer_id, self.transfer.destination_id, request.lines
            )
            try:
                self.status.received = await act(TransferActivities.receive_transfer, receipt)
            except ActivityError as error:
                raise business_refusal(error).error() from None
            self.received = request
        await workflow.wait_condition(lambda: self.recorded_state in ("RECEIVED", "CANCELLED"))
        return self.status

    @receive.validator
    def _validate_receive(self, request: ReceiveInput) -> None:
        check_receive_input(request)
        if self.received is not None and self.received.request_id == request.request_id:
            return
        if self.received is not None:
            raise refusal(
                "ALREADY_RECEIVED", "transfer was already received", "FAILED_PRECONDITION"
            )
        if self.status.state != "SHIPPED":
            raise refusal(
                "TRANSFER_NOT_SHIPPED",
                f"transfer is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )

    @workflow.signal
    def cancel(self, *args: Any) -> None:
        """From the parent order: the order was cancelled, or this transfer was given up for
        another source. (Sent by hand, with any input, it stops the transfer; its order then
        re-routes the units or asks operations.)"""
        self.cancelled = True

    @workflow.query
    def state(self) -> TransferStatus:
        return self.status
