"""The ways into a running order: updates (with validators that refuse without a trace in the
history), the operations signal, and the live-state query. Every update answers once the order
has settled after it (base.py), so the caller's next read shows what the command did."""

from __future__ import annotations

from dataclasses import replace

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from workflows.order.types import (
        AWAITING_PICK,
        CANCEL_REQUEST_STATES,
        MAX_PICKUP_CODE_ATTEMPTS,
        PICKED_UP,
        READY_FOR_PICKUP,
        CancelInput,
        ConfirmPickupInput,
        Decision,
        MarkPickedInput,
        OrderStatus,
        request_fingerprint,
    )

from services.common.errors import ErrorKind
from workflows.contracts.refusal import Refusal
from workflows.order.base import OrderWorkflowBase
from workflows.steps import refusal


class OrderHandlers(OrderWorkflowBase):
    @workflow.update
    async def accept(self, fingerprint: str = "") -> Decision:
        """Used with update-with-start by PlaceOrder: waits for the accept/reject decision.
        `fingerprint` is the caller's request (types.request_fingerprint)."""
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        return self.decision

    @accept.validator
    def _validate_accept(self, fingerprint: str = "") -> None:
        """A request id is one request: the same id with another basket or store is refused."""
        order = self.order
        if fingerprint and order is not None and fingerprint != request_fingerprint(order):
            raise refusal(
                "REQUEST_ID_REUSED",
                "this request_id was already used for another order request",
                "ALREADY_EXISTS",
                order_id=order.order_id,
            )

    @workflow.update
    async def mark_picked(self, request: MarkPickedInput) -> OrderStatus:
        """Answers once the pick is carried out: ready for pickup, or (short pick) the missing
        units cancelled or on their way from elsewhere."""
        self.picked = self.picked or request
        await workflow.wait_condition(
            lambda: (
                self.recorded_state == READY_FOR_PICKUP
                or self._recorded_final()
                or (self._settled() and self.status.state != AWAITING_PICK)
            )
        )
        return self.status

    @mark_picked.validator
    def _validate_mark_picked(self, request: MarkPickedInput) -> None:
        self._check_terminal(request.store_id)
        if self.picked is not None and self.picked.request_id == request.request_id:
            return
        if self.cancel_request is not None or self.status.state != AWAITING_PICK:
            raise refusal(
                "ORDER_NOT_AWAITING_PICK",
                f"order is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )
        self._check_missing(request)
        if self.picked is not None:
            raise refusal(
                "ORDER_ALREADY_PICKED", "order was already marked picked", "FAILED_PRECONDITION"
            )

    def _check_terminal(self, store_id: str) -> None:
        """A store terminal acts only on its own store's orders (operations on any)."""
        if store_id and store_id != self.status.pickup_store_id:
            raise refusal(
                "ORDER_OF_ANOTHER_STORE",
                f"this terminal belongs to {store_id}; the order is for "
                f"{self.status.pickup_store_id}",
                "PERMISSION_DENIED",
                terminal_store_id=store_id,
                order_store_id=self.status.pickup_store_id,
            )

    def _check_missing(self, request: MarkPickedInput) -> None:
        """Missing units: lines of this order, in all never more than is still to pick."""
        assert self.order is not None
        to_pick = {
            line.sku: line.quantity - self.cancelled_units.get(line.sku, 0)
            for line in self.order.lines
        }
        missing: dict[str, int] = {}
        for item in request.missing:
            missing[item.sku] = missing.get(item.sku, 0) + max(item.quantity, 0)
            if item.sku not in to_pick or item.quantity <= 0:
                raise refusal(
                    "INVALID_SHORT_PICK",
                    f"{item.quantity} x {item.sku} is not part of this order",
                    "INVALID_ARGUMENT",
                    sku=item.sku,
                )
            if item.reason not in ("NOT_FOUND", "DAMAGED"):
                raise refusal(
                    "INVALID_SHORT_PICK", "reason: NOT_FOUND or DAMAGED", "INVALID_ARGUMENT"
                )
        for sku, quantity in missing.items():
            if quantity > to_pick[sku]:
                raise refusal(
                    "INVALID_SHORT_PICK",
                    f"{quantity} x {sku} missing, but only {to_pick[sku]} are to pick",
                    "INVALID_ARGUMENT",
                    sku=sku,
                )

    @workflow.update
    async def confirm_pickup(self, request: ConfirmPickupInput) -> OrderStatus:
        if self.handover is None and request.pickup_code != self.pickup_code:
            await self._count_wrong_code()
        self.handover = self.handover or request
        mine = self.handover
        await workflow.wait_condition(lambda: self._recorded_final() or self.handover is not mine)
        if not self._recorded_final() and self.handover_refusal is not None:
            raise _goods_stay(Refusal.of(self.handover_refusal)).error()
        return self.status

    @confirm_pickup.validator
    def _validate_confirm_pickup(self, request: ConfirmPickupInput) -> None:
        self._check_terminal(request.store_id)
        if self.handover is not None and self.handover.request_id == request.request_id:
            return
        if self.handover is not None or self.status.state == PICKED_UP:
            raise refusal(
                "ORDER_ALREADY_PICKED_UP", "order was already handed over", "FAILED_PRECONDITION"
            )
        if self.cancel_request is not None or self.status.state != READY_FOR_PICKUP:
            raise refusal(
                "ORDER_NOT_READY",
                f"order is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )
        if self.status.pickup_locked:
            raise refusal(
                "PICKUP_LOCKED",
                "too many wrong pickup codes; ask operations to unlock",
                "FAILED_PRECONDITION",
            )
        self._check_collected(request)

    def _check_collected(self, request: ConfirmPickupInput) -> None:
        """Collected units: lines of this order, never more than is at the counter, not none."""
        assert self.order is not None
        at_counter = {
            line.sku: line.quantity - self.cancelled_units.get(line.sku, 0)
            for line in self.order.lines
        }
        for item in request.collected:
            if item.sku not in at_counter or not 0 <= item.quantity <= at_counter[item.sku]:
                raise refusal(
                    "INVALID_COLLECTED_ITEMS",
                    f"{item.quantity} x {item.sku} is not at the counter for this order",
                    "INVALID_ARGUMENT",
                    sku=item.sku,
                )
        if request.collected and not any(item.quantity for item in request.collected):
            raise refusal(
                "NOTHING_COLLECTED",
                "the customer took nothing; cancel the order instead",
                "INVALID_ARGUMENT",
            )

    async def _count_wrong_code(self) -> None:
        self.status.failed_pickup_attempts += 1
        attempts = self.status.failed_pickup_attempts
        left = max(0, MAX_PICKUP_CODE_ATTEMPTS - attempts)
        locked = left == 0
        self.status.pickup_locked = locked
        await self._record(
            "pickup_locked" if locked else "pickup_code_rejected",
            f"wrong pickup code ({attempts} of {MAX_PICKUP_CODE_ATTEMPTS})",
            step=f"wrong-code-{attempts}",
            pickup_locked=True if locked else None,
        )
        if locked:
            raise refusal(
                "PICKUP_LOCKED",
                f"wrong pickup code; after {attempts} wrong codes the order is locked: "
                "ask operations to unlock it",
                "FAILED_PRECONDITION",
                attempts_left="0",
            )
        message = f"pickup code does not match; {left} attempts left"
        raise Refusal(
            "INVALID_PICKUP_CODE",
            ErrorKind.INVALID_ARGUMENT,
            message,
            {"attempts_left": str(left)},
            {"pickup_code": message},
        ).error()

    @workflow.update
    async def cancel(self, request: CancelInput) -> OrderStatus:
        """Answers once the order is cancelled: stock released, hold voided, recorded."""
        self.cancel_request = self.cancel_request or request
        await workflow.wait_condition(self._recorded_final)
        return self.status

    @cancel.validator
    def _validate_cancel(self, request: CancelInput) -> None:
        if self.cancel_request is not None and self.cancel_request.request_id == request.request_id:
            return
        if (
            self.handover is not None
            or self.status.state not in CANCEL_REQUEST_STATES
            or self.cancel_request
        ):
            raise refusal(
                "ORDER_NOT_CANCELLABLE",
                f"order is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )

    @workflow.signal
    async def unlock_pickup(self, reason: str) -> None:
        """Operations: lets the counter try pickup codes again after a lock-out."""
        if self.status.pickup_locked:
            self.status.pickup_locked = False
            self.status.failed_pickup_attempts = 0
            await self._record(
                "pickup_unlocked",
                reason or "unlocked by operations",
                step=f"unlock-{workflow.uuid4()}",
                pickup_locked=False,
            )

    @workflow.signal
    def transfer_late(self, transfer_id: str) -> None:
        """From a ShipToStore child: it missed its ready-by plus grace (escalated). Harmless from
        anywhere else: only a transfer of this order still under way can flag it."""
        if not any(c.id == transfer_id and not c.done() for c in self.children):
            return
        self.status.transfer_late = True
        workflow.upsert_search_attributes(self._search_attributes())

    @workflow.update
    async def transfer_received(self, transfer_id: str) -> OrderStatus:
        """After a terminal received a transfer: answers once the order has taken it in (all
        stock here: AWAITING_PICK, recorded), so the terminal's next read is what it may do."""
        await workflow.wait_condition(lambda: self._transfer_done(transfer_id) and self._settled())
        return self.status

    @transfer_received.validator
    def _validate_transfer_received(self, transfer_id: str) -> None:
        if not any(child.id == transfer_id for child in self.all_children):
            raise refusal("TRANSFER_NOT_FOUND", f"no transfer {transfer_id} under way", "NOT_FOUND")

    def _transfer_done(self, transfer_id: str) -> bool:
        return any(child.id == transfer_id and child.done() for child in self.all_children)

    @workflow.query
    def state(self) -> OrderStatus:
        return self.status


def _goods_stay(refused: Refusal) -> Refusal:
    """The payment service's refusal of a hand-over's capture, as the counter hears it: the
    goods stay, so the order's precondition failed; the service's metadata and fields kept."""
    return replace(
        refused,
        reason=refused.reason or "PAYMENT_DECLINED",
        code=ErrorKind.FAILED_PRECONDITION,
        message=f"the payment was refused; the goods stay here: {refused.message}",
    )
