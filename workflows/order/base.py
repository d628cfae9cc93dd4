"""State and plumbing shared by the order workflow's lifecycle and its handlers: activity calls
with one retry policy, absolute-time waits for what people do, state transitions recorded through
the orders service (and mirrored into search attributes), notifications.

What a read shows, the next command accepts: a transition moves the workflow's own state first
and only then records it where reads come from, so no reader sees a state the workflow does not
hold yet. (A local activity that records a state — the checkout — is followed by the workflow
taking it within the same workflow task, before any command can be delivered; after a worker
crash the gateway waits for the workflow to catch up.) A command is answered once the workflow
has settled (it waits for the next thing a person does, with everything up to there recorded),
so its answer shows what it changed."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import SearchAttributeUpdate
from temporalio.exceptions import ApplicationError
from temporalio.workflow import ChildWorkflowHandle

from workflows.steps import act, act_local, command_key, wait_until

with workflow.unsafe.imports_passed_through():
    from workflows.contracts import search
    from workflows.order.activities import OrderActivities
    from workflows.order.activity_types import (
        AuthorizationResult,
        NotifyInput,
        OrderEventInput,
        PaymentInput,
        TransitionInput,
    )
    from workflows.order.route_types import (
        RoutePlanResult,
    )
    from workflows.order.types import (
        CURRENT_VERSION,
        FINAL_STATES,
        PENDING,
        PICKUP_IN_STORE,
        SINCE_VERSION,
        VERSIONS,
        CancelInput,
        ConfirmPickupInput,
        Decision,
        MarkPickedInput,
        OrderOutcome,
        OrderState,
        OrderStatus,
        PlaceOrderInput,
        refused_decision,
    )

REMINDER_BEFORE_EXPIRY = timedelta(days=1)


class OrderWorkflowBase:
    def __init__(self) -> None:
        self.order: PlaceOrderInput | None = None
        self.status = OrderStatus("", PENDING, "", PICKUP_IN_STORE)
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
        self.all_children: list[ChildWorkflowHandle[Any, Any]] = []  # every transfer started
        self.cancelled_units: dict[str, int] = {}  # per sku: short-picked or left behind
        self.money_settling = False  # hand-over or compensation under way: renewals wait
        self.money_done = False  # captured or let go: renewals end
        self.capture_attempts = 0
        self.renewals = 0
        self.handover_refusal: ApplicationError | None = None  # for the waiting ConfirmPickup
        self.reauthorizing = False
        self.hold: AuthorizationResult | None = None  # the card hold, once authorized
        self.keeper: asyncio.Task[None] | None = None  # renews the hold until money is settled
        self.recorded_state = ""  # the state the orders service shows (what reads see)
        # What the lifecycle waits for from people (pick, hand-over, transfers), while it waits.
        self.waiting: Callable[[], bool] | None = None
        self.finished = False  # the lifecycle is over (final state recorded, customer told)
        self.routed = True  # routed (orders of version 0 started before routing existed: no)
        self.opened_at_once = False  # recorded, routed, paid (and accepted) in one call
        self.opened_view = ""  # the order as that call left it, when it is the answer
        self._version = 0  # the behaviour this run follows, once chosen (_choose_version)

    @property
    def _reservation_id(self) -> str:
        """The order's stock: its converted checkout hold, or `order-<order_id>`."""
        if self.order is not None and self.order.hold_id:
            return self.order.hold_id
        return f"order-{self.status.order_id}"

    def _choose_version(self) -> None:
        """The behaviour this run follows (see types.CURRENT_VERSION): the version the input
        asks for, when this worker knows it, recorded by its marker the first time."""
        asked = self.order.workflow_version if self.order is not None else 0
        known = [v for v in sorted(VERSIONS, reverse=True) if v <= asked]
        self._version = next((v for v in known if workflow.patched(VERSIONS[v])), 0)

    def _since(self, patch: str) -> bool:
        """Whether this order follows the change named `patch`."""
        taken_for_granted = self._version >= SINCE_VERSION.get(patch, CURRENT_VERSION + 1)
        return taken_for_granted or workflow.patched(patch)

    async def _act(self, activity: Any, arg: Any) -> Any:
        if self._version >= 1:
            return await act_local(activity, arg)
        return await act(activity, arg)

    async def _wait(self, condition: Any, until: datetime) -> bool:
        return await wait_until(condition, until)

    async def _await_input(
        self, condition: Callable[[], bool], until: datetime | None = None
    ) -> bool:
        """Waits for what a person does (optionally until an absolute time; False when the time
        came first). While it waits with `condition` still false, the order is settled."""
        self.waiting = condition
        try:
            if until is None:
                await workflow.wait_condition(condition)
                return True
            return await wait_until(condition, until)
        finally:
            self.waiting = None

    def _settled(self) -> bool:
        """Nothing is under way: every command accepted so far has been carried out and
        recorded, and the lifecycle waits for the next one (or is over)."""
        return self.finished or (self.waiting is not None and not self.waiting())

    def _recorded_final(self) -> bool:
        return self.recorded_state in FINAL_STATES

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
        self, state: OrderState, event: str, detail: str, command: str = "", **fields: Any
    ) -> None:
        """Moves the workflow's state, then records it for reads; `command` (the client's request
        id) is kept on the timeline event, so a repeat of the command is answered from it."""
        self.status.state = state
        self.status.state_reason = fields.get("state_reason", self.status.state_reason)
        change = TransitionInput(
            f"{workflow.info().workflow_id}:{event}"
            + (f":{command_key(command)}" if command else ""),
            self.status.order_id,
            state,
            event,
            detail,
            client_request_id=command,
            **fields,
        )
        await self._act(OrderActivities.transition_order, change)
        self.recorded_state = state
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
        await act(OrderActivities.send_notification, message)  # not local: answers go first

    def _refused(self, refused: ApplicationError) -> Decision:
        assert self.order is not None
        return refused_decision(self.order.order_id, refused)

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
