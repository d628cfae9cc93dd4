"""The checkout of new orders (workflow version 1 on, without a checkout hold) in one local
activity: the stock secured (the shelf first) and the order opened in one call (recorded,
routed, paid and, to pick at the shelf, accepted). The answer to PlaceOrder needs nothing else."""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

from workflows.order.base import OrderWorkflowBase
from workflows.steps import business_refusal

with workflow.unsafe.imports_passed_through():
    from workflows.order.checkout_activities import CheckedOut, CheckoutActivities, CheckOutInput
    from workflows.order.types import (
        AWAITING_PICK,
        REJECTED,
        OrderOutcome,
        PickupStore,
        PlaceOrderInput,
    )


class CheckoutSteps(OrderWorkflowBase):
    def _in_one_step(self, order: PlaceOrderInput) -> bool:
        return self._version >= 1 and not order.hold_id

    async def _check_out(
        self, order: PlaceOrderInput
    ) -> tuple[PickupStore | None, OrderOutcome | None]:
        """(the pickup store, None) once the order is open; (None, the outcome) when refused:
        the refusal is recorded and nothing is held."""
        wf = workflow.info().workflow_id
        checkout = CheckOutInput(f"{wf}:open", self._reservation_id, order, workflow.now())
        try:
            done: CheckedOut = await self._act(CheckoutActivities.check_out, checkout)
        except ActivityError as error:
            return None, self._rejected(business_refusal(error))
        self._opened(done)
        return done.store, None

    def _opened(self, done: CheckedOut) -> None:
        plan, to_pick = done.plan, not done.plan.shipments
        self.time_zone, self.store_email = done.store.time_zone, done.store.email
        self.plan = plan
        self.hold = done.authorization
        self.opened_at_once = True
        self.opened_view = done.order_view if to_pick else ""  # the answer to PlaceOrder
        self.status.fulfillment_type = "PICKUP_IN_STORE" if to_pick else "SHIP_TO_STORE"
        self.status.allocations = plan.allocations
        self.status.route_explanation = plan.explanation
        self.status.ready_by = done.pick_deadline or plan.ready_by
        if to_pick:  # accepted by the opening: the workflow holds the state it recorded
            self.status.state = self.recorded_state = AWAITING_PICK
            self.status.pick_deadline = done.pick_deadline
            workflow.upsert_search_attributes(self._search_attributes())

    def _rejected(self, refused: ApplicationError) -> OrderOutcome:
        """A refusal the checkout already recorded (the order REJECTED with its reason)."""
        self.status.state = self.recorded_state = REJECTED
        self.status.state_reason = refused.type or ""
        workflow.upsert_search_attributes(self._search_attributes())
        self.decision = self._refused(refused)
        return self._outcome()
