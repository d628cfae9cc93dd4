"""OrderWorkflow: one per order, the single writer of its lifecycle (pick-up-in-store).

record → reserve at the pickup store → authorize → accepted (the answer to PlaceOrder, through
update-with-start) → awaiting pick (pick deadline; escalation when passed) → ready for pickup
(pickup code, notification, pickup window with a reminder) → hand-over against the code (locked
after five wrong codes) → capture, commit stock → picked up.
Cancel (customer or operations, through CancelOrder or the Temporal UI's cancel request) and an
expired window compensate: release, void, notify. A cancel request never cuts the workflow short:
it becomes the same cancellation as CancelOrder, or is recorded as ignored when the order is past
cancelling (being handed over, or finished).
"""

from __future__ import annotations

import asyncio

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.order.activities import OrderActivities
    from workflows.order.activity_types import ReserveInput
    from workflows.order.types import (
        AWAITING_PICK,
        CANCEL_REQUEST_STATES,
        CANCELLED,
        EXPIRED,
        IN_TRANSIT,
        PENDING,
        PICKUP_IN_STORE,
        READY_FOR_PICKUP,
        REAUTHORIZE,
        REJECTED,
        ROUTING,
        STORE_ESCALATION_MAIL,
        CancelInput,
        Decision,
        OrderOutcome,
        OrderStatus,
        PickupStore,
        PlaceOrderInput,
    )

from workflows.ignored_cancels import IgnoredCancels
from workflows.order.base import REMINDER_BEFORE_EXPIRY
from workflows.order.checkout_steps import CheckoutSteps
from workflows.order.handlers import OrderHandlers
from workflows.order.handover_steps import HandoverSteps
from workflows.order.short_pick_steps import CANCELLED as SHORT_PICK_CANCELLED
from workflows.order.short_pick_steps import READY as SHORT_PICK_READY
from workflows.order.short_pick_steps import ShortPickSteps
from workflows.steps import business_refusal, run_to_completion

OPERATIONS = "operations"


@workflow.defn
class OrderWorkflow(CheckoutSteps, ShortPickSteps, HandoverSteps, OrderHandlers):
    @workflow.init
    def __init__(self, order: PlaceOrderInput) -> None:
        super().__init__()
        self.ignored = IgnoredCancels()
        self.order = order  # known to update validators from the first moment
        self.status = OrderStatus(order.order_id, PENDING, order.pickup_store_id, PICKUP_IN_STORE)

    @workflow.run
    async def run(self, order: PlaceOrderInput) -> OrderOutcome:
        return await run_to_completion(self._run(order), self._on_cancel_request)

    async def _run(self, order: PlaceOrderInput) -> OrderOutcome:
        self._choose_version()
        outcome = await self._lifecycle(order)
        self.finished = True
        await self.ignored.written()  # and every handler finished
        return outcome

    def _on_cancel_request(self) -> None:
        """The Temporal UI's cancel: compensates like CancelOrder by operations while the order
        can be cancelled; otherwise recorded on the timeline as ignored."""
        if self.cancel_request is not None:
            return
        if self.handover is None and not self.finished and self._cancellable_by_operations():
            wf = workflow.info().workflow_id
            reason = "cancel requested in the Temporal UI"
            self.cancel_request = CancelInput(f"{wf}:cancel-request", reason, OPERATIONS)
            return
        why = "being handed over" if self.handover is not None else self.status.state
        detail = f"cancel request from the Temporal UI ignored: the order is {why}"
        self.ignored.note(self.status.order_id, "cancel_ignored", detail)

    def _cancellable_by_operations(self) -> bool:
        return self.decision is None or self.status.state in CANCEL_REQUEST_STATES

    async def _lifecycle(self, order: PlaceOrderInput) -> OrderOutcome:
        opening = self._check_out if self._in_one_step(order) else self._open_stepwise
        store, refused = await opening(order)
        if refused is not None:
            return refused
        assert store is not None
        if self.cancel_request is not None:  # cancelled before the customer had an answer
            return await self._cancel_before_answer()
        if self.hold is not None and self._since(REAUTHORIZE):
            self.keeper = asyncio.create_task(self._keep_authorization(self.hold))
        await self._accept(store)
        if self.plan is not None and self.plan.shipments:
            if not await self._transfers_arrive():
                return await self._compensate()
            await self._arrived(store)
        if await self._picked_in_full_or_settled(store):
            await self._make_ready(store)
            while await self._wait_for_handover():
                if await self._hand_over():
                    return self._outcome()
        return await self._compensate()

    async def _open_stepwise(
        self, order: PlaceOrderInput
    ) -> tuple[PickupStore | None, OrderOutcome | None]:
        """Orders of version 0 and checkout holds: recorded, then stock and money secured in
        steps; (the pickup store, the outcome when refused)."""
        try:
            await self._act(OrderActivities.create_order, order)
        except ActivityError as error:  # the orders service refused the order itself
            self.decision = self._refused(business_refusal(error))
            self.status.state, self.status.state_reason = REJECTED, self.decision.reason
            return None, self._outcome()
        store: PickupStore = await self._act(
            OrderActivities.get_pickup_store, order.pickup_store_id
        )
        self.time_zone = store.time_zone
        self.store_email = store.email
        self.routed = self._since(ROUTING)
        refused = await self._secure_stock_and_money(order, self.routed)
        if refused is not None:
            return store, await self._reject(refused)
        return store, None

    async def _secure_stock_and_money(
        self, order: PlaceOrderInput, routed: bool
    ) -> ApplicationError | None:
        if routed:
            refused = await self._route_and_reserve(order)
            if refused is not None:
                return refused
        else:  # orders started before routing existed: the pickup store's shelf only
            reserve = ReserveInput(
                self._reservation_id, order.order_id, order.pickup_store_id, order.lines
            )
            try:
                await self._act(OrderActivities.reserve_stock, reserve)
            except ActivityError as error:
                return business_refusal(error)
        try:
            self.hold = await self._act(
                OrderActivities.authorize_payment, self._payment("authorize")
            )
        except ActivityError as error:
            refused = business_refusal(error)
            await self._act(OrderActivities.release_stock, self._reservation_id)
            return refused
        return None

    async def _reject(self, refused: ApplicationError) -> OrderOutcome:
        assert self.order is not None
        await self._transition(
            REJECTED, "order_rejected", refused.message, state_reason=refused.type or ""
        )
        self.decision = self._refused(refused)
        return self._outcome()

    async def _cancel_before_answer(self) -> OrderOutcome:
        assert self.order is not None and self.cancel_request is not None
        self.decision = Decision(
            False,
            self.order.order_id,
            "ORDER_CANCELLED",
            f"the order was cancelled by {self.cancel_request.requested_by}",
        )
        return await self._compensate()

    async def _accept(self, store: PickupStore) -> None:
        assert self.order is not None
        if self.routed and not self.opened_at_once:
            await self._record_route()
        if self.plan is not None and self.plan.shipments and self.plan.ready_by:
            ready_by = self.plan.ready_by
            await self._start_transfers(self._transfers_for(self.plan, self._reservation_id))
            sources = ", ".join(s.source_id for s in self.plan.shipments)
            await self._transition(
                IN_TRANSIT,
                "order_accepted",
                f"shipping to {store.name} from {sources}",
                ready_by=ready_by,
            )
        elif self.opened_at_once and self.status.ready_by is not None:  # accepted when opened
            ready_by = self.status.ready_by
        else:
            ready_by = await self._plan_pick(store)
            await self._transition(
                AWAITING_PICK,
                "order_accepted",
                f"to pick at {store.name}",
                ready_by=ready_by,
                pick_deadline=self.status.pick_deadline,
            )
        self.decision = Decision(True, self.order.order_id, order_view=self.opened_view)
        await self._notify("ORDER_CONFIRMED", store_name=store.name, moments={"ready_by": ready_by})

    async def _picked_in_full_or_settled(self, store: PickupStore) -> bool:
        """Waits for the pick; a short pick is settled (shipped in and picked again, or
        cancelled). False when the order is to be cancelled."""
        while await self._wait_until_picked():
            missing = self.picked.missing if self.picked else []
            if not missing:
                return True
            settled = await self._settle_short_pick(store, missing)
            if settled == SHORT_PICK_CANCELLED:
                return False
            if settled == SHORT_PICK_READY:
                return True
        return False

    async def _wait_until_picked(self) -> bool:
        """True once picked; False when cancelled first. Escalates once at the pick deadline."""
        deadline = self.status.pick_deadline or workflow.now()
        picked = lambda: bool(self.picked or self.cancel_request)  # noqa: E731
        if not await self._await_input(picked, deadline):
            self.status.pick_overdue = True
            await self._record("pick_overdue", "pick deadline passed", pick_overdue=True)
            await self._notify("PICK_OVERDUE", to_ops=True, moments={"pick_deadline": deadline})
            if self.store_email and self._since(STORE_ESCALATION_MAIL):
                moments = {"pick_deadline": deadline}
                await self._notify("PICK_OVERDUE", to=self.store_email, moments=moments)
            await self._await_input(picked)
        return self.cancel_request is None

    async def _make_ready(self, store: PickupStore) -> None:
        self.pickup_code = f"{workflow.random().randint(0, 999_999):06d}"
        expires = workflow.now() + store.pickup_window
        self.status.pickup_expire_time = expires
        await self._transition(
            READY_FOR_PICKUP,
            "order_ready_for_pickup",
            f"picked by {self.picked.associate or 'the store'}" if self.picked else "picked",
            command=self.picked.request_id if self.picked else "",
            pickup_code=self.pickup_code,
            pickup_expire_time=expires,
        )
        await self._notify(
            "READY_FOR_PICKUP",
            store_name=store.name,
            pickup_code=self.pickup_code,
            moments={"collect_by": expires},
        )

    async def _wait_for_handover(self) -> bool:
        """True when handed over; False when cancelled or the window ran out (state says which)."""
        expires = self.status.pickup_expire_time or workflow.now()
        remind_at = expires - REMINDER_BEFORE_EXPIRY
        arrived = lambda: bool(self.handover or self.cancel_request)  # noqa: E731
        if remind_at > workflow.now() and not await self._await_input(arrived, remind_at):
            await self._notify(
                "PICKUP_REMINDER", pickup_code=self.pickup_code, moments={"collect_by": expires}
            )
        if not await self._await_input(arrived, expires):
            self.status.state_reason = "PICKUP_WINDOW_EXPIRED"
            return False
        return self.handover is not None and self.cancel_request is None

    async def _compensate(self) -> OrderOutcome:
        """Cancel or expiry: stock back on the shelf, hold on the card let go, customer told."""
        await self._settle_money()
        self.money_done = True
        for reservation in self._reservations:
            await self._act(OrderActivities.release_stock, reservation)
        await self._act(OrderActivities.void_payment, self._payment("void"))
        if self.cancel_request is not None:
            reason = self.cancel_request.reason or "cancelled"
            by = self.cancel_request.requested_by
            await self._transition(
                CANCELLED,
                "order_cancelled",
                f"by {by}: {reason}",
                command=self.cancel_request.request_id,
                state_reason=f"CANCELLED_BY_{by.upper()}",
            )
            await self._notify("ORDER_CANCELLED", reason=reason)
        else:
            await self._transition(
                EXPIRED,
                "order_expired",
                "not collected in time",
                state_reason="PICKUP_WINDOW_EXPIRED",
            )
            await self._notify("ORDER_EXPIRED")
        return self._outcome()
