"""StoreSaleWorkflow (id `sale-<order_id>`): a till sale recorded as an order of channel STORE,
so the customer's history and returns see it like any other order.

record the order → authorize the card → the units leave the shelf → capture → handed over
(PICKED_UP, the return window starts) → receipt mailed when the customer gave an address.
A declined card or a shelf that the system says is empty rejects the sale; nothing is kept.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.ignored_cancels import IgnoredCancels
from workflows.steps import act, business_refusal, run_to_completion

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import OrderState
    from workflows.contracts import search
    from workflows.contracts.orders import Decision, PlaceOrderInput
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.types import PaymentInput, TransitionInput
    from workflows.shared.activities import SharedActivities
    from workflows.shared.activity_types import NotifyInput
    from workflows.shared.message_params import basket_params, merged
    from workflows.store_sale.activities import SaleStockInput, StoreSaleActivities


@workflow.defn
class StoreSaleWorkflow:
    @workflow.run
    async def run(self, sale: PlaceOrderInput) -> Decision:
        ignored = IgnoredCancels()
        detail = "cancel request ignored: a till sale runs to its end; take it back as a return"
        note = lambda: ignored.note(sale.order_id, "sale_cancel_ignored", detail)  # noqa: E731
        decision = await run_to_completion(self._run(sale), note)
        await ignored.written()
        return decision

    async def _run(self, sale: PlaceOrderInput) -> Decision:
        try:
            await act(OrderActivities.create_order, sale)
        except ActivityError as error:  # the orders service refused the sale itself
            return Decision.refused(sale.order_id, business_refusal(error))
        try:
            await act(OrderActivities.authorize_payment, self._payment(sale, "authorize"))
        except ActivityError as error:
            return await self._reject(sale, business_refusal(error))
        stock = SaleStockInput(self._step("sale"), sale.pickup_store_id, sale.order_id, sale.lines)
        try:
            await act(StoreSaleActivities.record_sale, stock)
        except ActivityError as error:
            refused = business_refusal(error)
            await act(OrderActivities.void_payment, self._payment(sale, "void"))
            return await self._reject(sale, refused)
        await act(OrderActivities.capture_payment, self._payment(sale, "capture"))
        await self._transition(
            sale, OrderState.PICKED_UP, "store_sale_recorded", f"receipt {sale.receipt_number}"
        )
        if sale.customer_email:
            await act(SharedActivities.send_notification, self._receipt(sale))
        return Decision(True, sale.order_id)

    async def _reject(self, sale: PlaceOrderInput, refused: Refusal) -> Decision:
        await self._transition(
            sale,
            OrderState.REJECTED,
            "order_rejected",
            refused.message,
            state_reason=refused.reason,
        )
        return Decision.refused(sale.order_id, refused)

    async def _transition(
        self, sale: PlaceOrderInput, state: str, event: str, detail: str, state_reason: str = ""
    ) -> None:
        change = TransitionInput(
            self._step(event),
            sale.order_id,
            state,
            event,
            detail,
            state_reason=state_reason,
            collected_by="at the till" if state == OrderState.PICKED_UP else "",
        )
        await act(OrderActivities.transition_order, change)
        workflow.upsert_search_attributes([search.ORDER_STATE.value_set(state)])

    def _payment(self, sale: PlaceOrderInput, step: str) -> PaymentInput:
        return PaymentInput(
            self._step(step),
            sale.order_id,
            sale.total_minor,
            sale.currency_code,
            sale.payment_method,
        )

    def _receipt(self, sale: PlaceOrderInput) -> NotifyInput:
        return NotifyInput(
            idempotency_key=self._step("receipt"),
            order_id=sale.order_id,
            template="STORE_SALE_RECEIPT",
            recipient=sale.customer_email,
            params=merged(
                {
                    "order_id": sale.order_id,
                    "receipt_number": sale.receipt_number,
                    "store_name": sale.store_name or sale.pickup_store_id,
                },
                basket_params(sale.lines, sale.currency_code),
            ),
            customer_id=sale.customer_id,
        )

    def _step(self, step: str) -> str:
        return f"{workflow.info().workflow_id}:{step}"
