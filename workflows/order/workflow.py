"""OrderWorkflow: one per order, the single writer of its lifecycle (pick-up-in-store).

record → reserve at the pickup store → authorize → accepted (the answer to PlaceOrder, through
update-with-start) → awaiting pick (pick deadline; escalation when passed) → ready for pickup
(pickup code, notification, pickup window with a reminder) → hand-over against the code (locked
after five wrong codes) → capture, commit stock → picked up.
Cancel (customer or operations, through CancelOrder or the Temporal UI's cancel request) and an
expired window compensate: release, void, notify. A cancel request never cuts the workflow short:
it becomes the same cancellation as CancelOrder, or is recorded as ignored when the order is past
cancelling (being handed over, or finished).

The class holds the order's state in one dataclass (progress.py) and declares the ways in:
updates with their validators, signals and the query; what they check and do is in handlers.py,
the lifecycle itself in steps/lifecycle.py and the step modules it calls (steps/)."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
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
    from workflows.order.types import SELF_SERVICE

from workflows.order import handlers, validation
from workflows.order import operations_checks as checks
from workflows.order.progress import OrderProgress
from workflows.order.steps import operations, payment_link, self_service
from workflows.order.steps.base import choose_version, since
from workflows.order.steps.delays import tell_customer_transfer_late
from workflows.order.steps.lifecycle import lifecycle
from workflows.order.steps.lost_transfer import late_transfer
from workflows.order.steps.pickup_window import extend_pickup
from workflows.steps import run_to_completion


@workflow.defn
class OrderWorkflow:
    @workflow.init
    def __init__(self, order: PlaceOrderInput) -> None:
        self.progress = OrderProgress.of(order)  # known to update validators from the start

    @workflow.run
    async def run(self, order: PlaceOrderInput) -> OrderOutcome:
        progress = self.progress
        return await run_to_completion(self._run(), lambda: handlers.on_cancel_request(progress))

    async def _run(self) -> OrderOutcome:
        progress = self.progress
        choose_version(progress)
        progress.self_service.enabled = since(progress, SELF_SERVICE)
        outcome = await lifecycle(progress)
        progress.finished = True
        await progress.ignored.written()  # and every handler finished
        return outcome

    @workflow.update
    async def accept(self, fingerprint: str = "") -> Decision:
        """Used with update-with-start by PlaceOrder: waits for the accept/reject decision.
        `fingerprint` is the caller's request (types.request_fingerprint)."""
        await workflow.wait_condition(lambda: self.progress.decision is not None)
        assert self.progress.decision is not None
        return self.progress.decision

    @accept.validator
    def _validate_accept(self, fingerprint: str = "") -> None:
        handlers.check_accept(self.progress, fingerprint)

    @workflow.update
    async def mark_picked(self, request: MarkPickedInput) -> OrderStatus:
        """Answers once the pick is carried out: ready for pickup, or (short pick) the missing
        units cancelled or on their way from elsewhere."""
        progress = self.progress
        progress.picked = progress.picked or request
        await workflow.wait_condition(lambda: handlers.mark_picked_done(progress))
        return progress.status

    @mark_picked.validator
    def _validate_mark_picked(self, request: MarkPickedInput) -> None:
        handlers.check_mark_picked(self.progress, request)

    @workflow.update
    async def confirm_pickup(self, request: ConfirmPickupInput) -> OrderStatus:
        """Answers once the order is handed over, or refuses: a wrong code (locked after five),
        or a payment refused at the counter (the goods stay)."""
        progress = self.progress
        if progress.handover is None and request.pickup_code != progress.pickup_code:
            await handlers.count_wrong_code(progress)
        progress.handover = progress.handover or request
        mine = progress.handover
        await workflow.wait_condition(
            lambda: progress.recorded_final() or progress.handover is not mine
        )
        refused = handlers.handover_refused(progress)
        if refused is not None:
            raise refused
        return progress.status

    @confirm_pickup.validator
    def _validate_confirm_pickup(self, request: ConfirmPickupInput) -> None:
        handlers.check_confirm_pickup(self.progress, request)

    @workflow.update
    async def cancel(self, request: CancelInput) -> OrderStatus:
        """Answers once the order is cancelled: stock released, hold voided, recorded."""
        progress = self.progress
        progress.cancel_request = progress.cancel_request or request
        await workflow.wait_condition(progress.recorded_final)
        return progress.status

    @cancel.validator
    def _validate_cancel(self, request: CancelInput) -> None:
        handlers.check_cancel(self.progress, request)

    @workflow.signal
    async def unlock_pickup(self, *args: Any) -> None:
        """Operations (before the `unlock` update; kept for the orders that used it): lets the
        counter try pickup codes again after a lock-out. Input: a reason string."""
        await handlers.unlock_pickup(self.progress, operations.signal_text(args))

    @workflow.signal
    async def transfer_late(self, *args: Any) -> None:
        """From a ShipToStore child: it missed its ready-by plus grace (escalated); the
        customer is told the new ready-by. Any other input (sent by hand) is logged and
        ignored."""
        transfer_id = late_transfer(self.progress, args)
        if transfer_id is not None:
            handlers.flag_transfer_late(self.progress, transfer_id)
            await tell_customer_transfer_late(self.progress, transfer_id)

    @workflow.update
    async def transfer_received(self, transfer_id: str) -> OrderStatus:
        """After a terminal received a transfer: answers once the order has taken it in (all
        stock here: AWAITING_PICK, recorded), so the terminal's next read is what it may do."""
        progress = self.progress
        await workflow.wait_condition(lambda: handlers.transfer_taken_in(progress, transfer_id))
        return progress.status

    @transfer_received.validator
    def _validate_transfer_received(self, transfer_id: str) -> None:
        handlers.check_transfer_received(self.progress, transfer_id)

    @workflow.update
    async def pay(self, request: PayInput) -> OrderStatus:
        """CheckoutService.PayOrder (an order placed with a payment link): answers once the
        order, paid, is accepted, or refuses: the card declined (the link still works), the
        link lapsed, the order cancelled. A wrong code is NOT_FOUND."""
        return await payment_link.pay(self.progress, request)

    @pay.validator
    def _validate_pay(self, request: PayInput) -> None:
        payment_link.check_pay(self.progress, request)

    @workflow.query
    def state(self) -> OrderStatus:
        return self.progress.status

    # Self-service before hand-over (steps/self_service.py, store_change.py, pickup_window.py).

    @workflow.update
    async def change_pickup_store(self, request: ChangePickupStoreInput) -> OrderStatus:
        """Answers once the order waits at the new store (stock reserved there first), or
        refuses: the new store cannot promise it, or the store picked first."""
        return await self_service.change_pickup_store(self.progress, request)

    @change_pickup_store.validator
    def _validate_change_pickup_store(self, request: ChangePickupStoreInput) -> None:
        validation.check_change_pickup_store(self.progress, request)

    @workflow.update
    async def extend_pickup(self, request: ExtendPickupInput) -> OrderStatus:
        """Customers (once, the store's days) and operations (0 or 1..14 days, from the
        Temporal UI): the pickup window's end moves, with its reminder and the card hold."""
        return await extend_pickup(self.progress, request)

    @extend_pickup.validator
    def _validate_extend_pickup(self, request: ExtendPickupInput) -> None:
        validation.check_extend_pickup(self.progress, request)

    @workflow.update
    async def announce_arrival(self, request: AnnounceArrivalInput) -> OrderStatus:
        return await self_service.announce_arrival(self.progress, request)

    @announce_arrival.validator
    def _validate_announce_arrival(self, request: AnnounceArrivalInput) -> None:
        validation.check_announce_arrival(self.progress, request)

    @workflow.update
    async def set_collector(self, request: SetCollectorInput) -> OrderStatus:
        return await self_service.set_collector(self.progress, request)

    @set_collector.validator
    def _validate_set_collector(self, request: SetCollectorInput) -> None:
        validation.check_set_collector(self.progress, request)

    # ---- operations (Temporal UI; what each checks: operations/checks.py) ----------------

    @workflow.update
    async def force_cancel(self, request: ForceCancelInput) -> OrderStatus:
        """Cancels now, compensating fully: stock and transfers, the card hold, the customer."""
        return await operations.answer(
            self.progress, checks.FORCE_CANCEL, request, operations.force_cancel
        )

    @force_cancel.validator
    def _validate_force_cancel(self, request: ForceCancelInput) -> None:
        checks.check_force_cancel(self.progress, request)

    @workflow.update
    async def reroute(self, request: RerouteInput) -> OrderStatus:
        """Another source for an open transfer (reserved before the old one is given up)."""
        return await operations.answer(
            self.progress, checks.REROUTE, request, operations.reroute_transfer
        )

    @reroute.validator
    def _validate_reroute(self, request: RerouteInput) -> None:
        checks.check_reroute(self.progress, request)

    @workflow.update
    async def resend_notification(self, request: ResendNotificationInput) -> OrderStatus:
        """A message the customer was due, sent again."""
        return await operations.answer(self.progress, checks.RESEND, request, operations.resend)

    @resend_notification.validator
    def _validate_resend_notification(self, request: ResendNotificationInput) -> None:
        checks.check_resend(self.progress, request)

    @workflow.update
    async def unlock(self, request: UnlockInput) -> OrderStatus:
        """Lets the counter try pickup codes again after a lock-out."""
        return await operations.answer(self.progress, checks.UNLOCK, request, operations.unlock)

    @unlock.validator
    def _validate_unlock(self, request: UnlockInput) -> None:
        checks.check_unlock(self.progress, request)
