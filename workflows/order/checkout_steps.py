"""The checkout of new orders (workflow version 1 on, without a checkout hold) in two local
activities: the stock secured (the shelf first), then the order opened in one call (recorded,
routed, paid and, to pick at the shelf, accepted). The answer to PlaceOrder needs nothing else."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.order.base import OrderWorkflowBase
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from workflows.order.activities import OrderActivities
    from workflows.order.checkout_activities import (
        CheckoutActivities,
        OpenedOrder,
        OpenOrderInput,
        RejectOrderInput,
        SecureStockInput,
    )
    from workflows.order.route_types import RoutePlanResult
    from workflows.order.types import (
        AWAITING_PICK,
        REJECTED,
        OrderOutcome,
        PickupStore,
        PlaceOrderInput,
    )
    from workflows.ship_to_store.types import TransferLineInput


class CheckoutSteps(OrderWorkflowBase):
    def _in_one_step(self, order: PlaceOrderInput) -> bool:
        return self._version >= 1 and not order.hold_id

    async def _check_out(
        self, order: PlaceOrderInput
    ) -> tuple[PickupStore | None, OrderOutcome | None]:
        """(the pickup store, None) once the order is open; (…, the outcome) when refused: the
        order is recorded REJECTED and nothing is held."""
        store = order.store or await self._act(
            OrderActivities.get_pickup_store, order.pickup_store_id
        )
        self.time_zone, self.store_email = store.time_zone, store.email
        basket = [TransferLineInput(line.sku, line.quantity) for line in order.lines]
        secure = SecureStockInput(
            self._reservation_id, order.order_id, order.pickup_store_id, basket, workflow.now()
        )
        try:
            plan: RoutePlanResult = await self._act(CheckoutActivities.secure_stock, secure)
        except ActivityError as error:
            refused = business_refusal(error)
            reject = RejectOrderInput(
                self._step("open"), order, refused.type or "", refused.message
            )
            await self._act(CheckoutActivities.reject_order, reject)
            return store, self._rejected(refused)
        self.plan = plan
        to_pick = not plan.shipments
        if to_pick:
            self.status.state = AWAITING_PICK  # the workflow holds it before reads can see it
        opening = OpenOrderInput(self._step("open"), order, plan, store, workflow.now())
        try:
            opened: OpenedOrder = await self._act(CheckoutActivities.open_order, opening)
        except ActivityError as error:
            refused = business_refusal(error)  # declined: recorded REJECTED by the orders service
            await self._act(OrderActivities.release_stock, self._reservation_id)
            return store, self._rejected(refused)
        self._opened(plan, opened, to_pick)
        return store, None

    def _opened(self, plan: RoutePlanResult, opened: OpenedOrder, to_pick: bool) -> None:
        self.hold = opened.authorization
        self.opened_at_once = True
        self.opened_view = opened.order_view if to_pick else ""  # the answer to PlaceOrder
        self.status.fulfillment_type = "PICKUP_IN_STORE" if to_pick else "SHIP_TO_STORE"
        self.status.allocations = plan.allocations
        self.status.route_explanation = plan.explanation
        self.status.ready_by = opened.pick_deadline or plan.ready_by
        if to_pick:
            self.status.pick_deadline = opened.pick_deadline
            self.recorded_state = AWAITING_PICK
            workflow.upsert_search_attributes(self._search_attributes())

    def _rejected(self, refused: ApplicationError) -> OrderOutcome:
        """A refusal the orders service already recorded (REJECTED with its reason)."""
        self.status.state = self.recorded_state = REJECTED
        self.status.state_reason = refused.type or ""
        workflow.upsert_search_attributes(self._search_attributes())
        self.decision = self._refused(refused)
        return self._outcome()

    def _step(self, step: str) -> str:
        return f"{workflow.info().workflow_id}:{step}"
