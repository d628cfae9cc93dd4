"""State and plumbing shared by the order workflow's lifecycle and its handlers: activity calls
with one retry policy, absolute-time waits, state transitions recorded through the orders
service (and mirrored into search attributes), notifications."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ChildWorkflowHandle

from workflows.steps import act, command_key, wait_until

with workflow.unsafe.imports_passed_through():
    from workflows.order import search
    from workflows.order.activities import OrderActivities
    from workflows.order.route_types import (
        RoutePlanResult,
    )
    from workflows.order.types import (
        PICKUP_IN_STORE,
        AuthorizationResult,
        CancelInput,
        ConfirmPickupInput,
        Decision,
        MarkPickedInput,
        NotifyInput,
        OrderEventInput,
        OrderOutcome,
        OrderStatus,
        PaymentInput,
        PlaceOrderInput,
        TransitionInput,
    )

REMINDER_BEFORE_EXPIRY = timedelta(days=1)


class OrderWorkflowBase:
    def __init__(self) -> None:
        self.order: PlaceOrderInput | None = None
        self.status = OrderStatus("", "PENDING", "", PICKUP_IN_STORE)
        self.decision: Decision | None = None
        self.picked: MarkPickedInput | None = None
        self.handover: ConfirmPickupInput | None = None
        self.cancel_request: CancelInput | None = None
        self.pickup_code = ""
        self.time_zone = "UTC"  # the pickup store's, once known
        self.store_email = ""  # the pickup store's escalation address, once known
        self.extra_reservations: list[str] = []  # stock shipped in after a short pick
        self.cancelled_minor = 0  # value of lines cancelled after a short pick
        self.transfers_started = 0
        self.plan: RoutePlanResult | None = None  # where the units come from
        self.children: list[ChildWorkflowHandle[Any, Any]] = []  # transfers under way
        self.cancelled_units: dict[str, int] = {}  # per sku: short-picked or left behind
        self.money_settling = False  # hand-over or compensation under way: renewals wait
        self.money_done = False  # captured or let go: renewals end
        self.capture_attempts = 0
        self.renewals = 0
        self.handover_refusal: ApplicationError | None = None  # for the waiting ConfirmPickup
        self.reauthorizing = False
        self.hold: AuthorizationResult | None = None  # the card hold, once authorized
        self.keeper: asyncio.Task[None] | None = None  # renews the hold until money is settled

    @property
    def _reservation_id(self) -> str:
        """The order's stock: its converted checkout hold, or `order-<order_id>`."""
        if self.order is not None and self.order.hold_id:
            return self.order.hold_id
        return f"order-{self.status.order_id}"

    async def _act(self, activity: Any, arg: Any) -> Any:
        return await act(activity, arg)

    async def _wait(self, condition: Any, until: datetime) -> bool:
        return await wait_until(condition, until)

    @property
    def _reservations(self) -> list[str]:
        return [self._reservation_id, *self.extra_reservations]

    def _payment(self, step: str) -> PaymentInput:
        assert self.order is not None
        order = self.order
        return PaymentInput(
            f"{workflow.info().workflow_id}:{step}",
            order.order_id,
            order.total_minor - self.cancelled_minor,
            order.currency_code,
            order.payment_method,
        )

    async def _transition(
        self, state: str, event: str, detail: str, command: str = "", **fields: Any
    ) -> None:
        """Records a state change; `command` (the client's request id) makes it findable later."""
        change = TransitionInput(
            f"{workflow.info().workflow_id}:{event}"
            + (f":{command_key(command)}" if command else ""),
            self.status.order_id,
            state,
            event,
            detail,
            **fields,
        )
        await self._act(OrderActivities.transition_order, change)
        self.status.state = state
        self.status.state_reason = fields.get("state_reason", self.status.state_reason)
        workflow.upsert_search_attributes(self._search_attributes())

    async def _record(self, event: str, detail: str, step: str = "", **flags: Any) -> None:
        request_id = f"{workflow.info().workflow_id}:{step or event}"
        await self._act(
            OrderActivities.record_order_event,
            OrderEventInput(request_id, self.status.order_id, event, detail, **flags),
        )

    async def _notify(
        self,
        template: str,
        to_ops: bool = False,
        moments: dict[str, datetime] | None = None,
        to: str = "",
        **params: str,
    ) -> None:
        """To the customer; `to_ops` to operations; `to` to that address (e.g. the store)."""
        assert self.order is not None
        key = f"{workflow.info().workflow_id}:{template.lower()}" + (f":{to}" if to else "")
        message = NotifyInput(
            idempotency_key=key,
            order_id=self.order.order_id,
            template=template,
            recipient=to or ("" if to_ops else self.order.customer_email),
            params={
                "order_id": self.order.order_id,
                "store_id": self.order.pickup_store_id,
                **params,
            },
            moments=moments or {},
            time_zone=self.time_zone,
        )
        await self._act(OrderActivities.send_notification, message)

    def _search_attributes(self) -> list[SearchAttributeUpdate[Any]]:
        updates: list[SearchAttributeUpdate[Any]] = [
            search.ORDER_STATE.value_set(self.status.state),
            search.FULFILLMENT_TYPE.value_set(self.status.fulfillment_type),
        ]
        if self.status.pick_deadline:
            updates.append(search.PICK_DEADLINE.value_set(self.status.pick_deadline))
        if self.status.transfer_late:
            updates.append(search.TRANSFER_LATE.value_set(True))
        if self.status.pickup_expire_time:
            updates.append(search.PICKUP_EXPIRES_AT.value_set(self.status.pickup_expire_time))
        return updates

    def _outcome(self) -> OrderOutcome:
        return OrderOutcome(self.status.order_id, self.status.state, self.status.state_reason)
