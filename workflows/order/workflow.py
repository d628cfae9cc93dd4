"""OrderWorkflow: one per order, the single writer of its lifecycle (pick-up-in-store).

record → reserve at the pickup store → authorize → accepted (the answer to PlaceOrder, through
update-with-start) → awaiting pick (pick deadline; escalation when passed) → ready for pickup
(pickup code, notification, pickup window with a reminder) → hand-over against the code (locked
after five wrong codes) → capture, commit stock → picked up.
Cancel (customer or operations) and an expired window compensate: release, void, notify.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeUpdate
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from workflows.order import search
    from workflows.order.activities import OrderActivities
    from workflows.order.types import (
        AWAITING_PICK,
        CANCELLABLE_STATES,
        CANCELLED,
        EXPIRED,
        FINAL_STATES,
        MAX_PICKUP_CODE_ATTEMPTS,
        PICKED_UP,
        PICKUP_IN_STORE,
        READY_FOR_PICKUP,
        REJECTED,
        CancelInput,
        ConfirmPickupInput,
        Decision,
        MarkPickedInput,
        NotifyInput,
        OrderEventInput,
        OrderOutcome,
        OrderStatus,
        PaymentInput,
        PickupStore,
        PlaceOrderInput,
        PlanPickupTimesInput,
        ReserveInput,
        TransitionInput,
    )

ACTIVITY_OPTIONS: dict[str, Any] = {
    "start_to_close_timeout": timedelta(seconds=15),
    "retry_policy": RetryPolicy(maximum_interval=timedelta(seconds=10)),
}
REMINDER_BEFORE_EXPIRY = timedelta(days=1)


def refusal(reason: str, message: str, code: str, **metadata: str) -> ApplicationError:
    """An update refusal the gateway turns into the named gRPC code with ErrorInfo(reason)."""
    return ApplicationError(
        message, {"code": code, "metadata": metadata}, type=reason, non_retryable=True
    )


@workflow.defn
class OrderWorkflow:
    def __init__(self) -> None:
        self.order: PlaceOrderInput | None = None
        self.status = OrderStatus("", "PENDING", "", PICKUP_IN_STORE)
        self.decision: Decision | None = None
        self.picked: MarkPickedInput | None = None
        self.handover: ConfirmPickupInput | None = None
        self.cancel_request: CancelInput | None = None
        self.pickup_code = ""

    # ---- the lifecycle -----------------------------------------------------------------

    @workflow.run
    async def run(self, order: PlaceOrderInput) -> OrderOutcome:
        outcome = await self._lifecycle(order)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return outcome

    async def _lifecycle(self, order: PlaceOrderInput) -> OrderOutcome:
        self.order = order
        self.status = OrderStatus(order.order_id, "PENDING", order.pickup_store_id, PICKUP_IN_STORE)
        await self._act(OrderActivities.create_order, order)
        store: PickupStore = await self._act(
            OrderActivities.get_pickup_store, order.pickup_store_id
        )
        refused = await self._secure_stock_and_money(order)
        if refused is not None:
            return await self._reject(refused)
        await self._accept(store)
        if await self._wait_until_picked():
            await self._make_ready(store)
            if await self._wait_for_handover():
                await self._hand_over()
                return self._outcome()
        return await self._compensate()

    async def _secure_stock_and_money(self, order: PlaceOrderInput) -> ApplicationError | None:
        reserve = ReserveInput(
            self._reservation_id, order.order_id, order.pickup_store_id, order.lines
        )
        try:
            await self._act(OrderActivities.reserve_stock, reserve)
        except ActivityError as error:
            return _business_refusal(error)
        try:
            await self._act(OrderActivities.authorize_payment, self._payment("authorize"))
        except ActivityError as error:
            refused = _business_refusal(error)
            await self._act(OrderActivities.release_stock, self._reservation_id)
            return refused
        return None

    async def _reject(self, refused: ApplicationError) -> OrderOutcome:
        assert self.order is not None
        details = refused.details[0] if refused.details else {}
        metadata = {str(k): str(v) for k, v in dict(details.get("metadata", {})).items()}
        await self._transition(
            REJECTED, "order_rejected", refused.message, state_reason=refused.type or ""
        )
        self.decision = Decision(
            False, self.order.order_id, refused.type or "", refused.message, metadata
        )
        return self._outcome()

    async def _accept(self, store: PickupStore) -> None:
        assert self.order is not None
        times = await self._act(
            OrderActivities.plan_pickup_times, PlanPickupTimesInput(store, workflow.now())
        )
        self.status.ready_by, self.status.pick_deadline = times.ready_by, times.pick_deadline
        await self._transition(
            AWAITING_PICK,
            "order_accepted",
            f"to pick at {store.name}",
            ready_by=times.ready_by,
            pick_deadline=times.pick_deadline,
        )
        self.decision = Decision(True, self.order.order_id)
        await self._notify(
            "ORDER_CONFIRMED", store_name=store.name, ready_by=_display(times.ready_by)
        )

    async def _wait_until_picked(self) -> bool:
        """True once picked; False when cancelled first. Escalates once at the pick deadline."""
        deadline = self.status.pick_deadline or workflow.now()
        if not await self._wait(lambda: bool(self.picked or self.cancel_request), deadline):
            self.status.pick_overdue = True
            await self._record("pick_overdue", "pick deadline passed", pick_overdue=True)
            await self._notify("PICK_OVERDUE", to_ops=True, pick_deadline=_display(deadline))
            await workflow.wait_condition(lambda: bool(self.picked or self.cancel_request))
        return self.cancel_request is None

    async def _make_ready(self, store: PickupStore) -> None:
        self.pickup_code = f"{workflow.random().randint(0, 999_999):06d}"
        expires = workflow.now() + timedelta(days=store.pickup_window_days)
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
            collect_by=_display(expires),
        )

    async def _wait_for_handover(self) -> bool:
        """True when handed over; False when cancelled or the window ran out (state says which)."""
        expires = self.status.pickup_expire_time or workflow.now()
        remind_at = expires - REMINDER_BEFORE_EXPIRY
        arrived = lambda: bool(self.handover or self.cancel_request)  # noqa: E731
        if remind_at > workflow.now() and not await self._wait(arrived, remind_at):
            await self._notify(
                "PICKUP_REMINDER", pickup_code=self.pickup_code, collect_by=_display(expires)
            )
        if not await self._wait(arrived, expires):
            self.status.state_reason = "PICKUP_WINDOW_EXPIRED"
            return False
        return self.handover is not None and self.cancel_request is None

    async def _hand_over(self) -> None:
        assert self.order is not None and self.handover is not None
        await self._act(OrderActivities.capture_payment, self._payment("capture"))
        await self._act(OrderActivities.commit_stock, self._reservation_id)
        await self._transition(
            PICKED_UP,
            "order_picked_up",
            f"collected by {self.handover.collector_name}",
            command=self.handover.request_id,
            collected_by=self.handover.collector_name,
        )
        await self._notify("ORDER_PICKED_UP")

    async def _compensate(self) -> OrderOutcome:
        """Cancel or expiry: stock back on the shelf, hold on the card let go, customer told."""
        await self._act(OrderActivities.release_stock, self._reservation_id)
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

    # ---- updates, signals, queries --------------------------------------------------------

    @workflow.update
    async def accept(self) -> Decision:
        """Used with update-with-start by PlaceOrder: waits for the accept/reject decision."""
        await workflow.wait_condition(lambda: self.decision is not None)
        assert self.decision is not None
        return self.decision

    @workflow.update
    async def mark_picked(self, request: MarkPickedInput) -> OrderStatus:
        self.picked = self.picked or request
        await workflow.wait_condition(lambda: self.status.state != AWAITING_PICK)
        return self.status

    @mark_picked.validator
    def _validate_mark_picked(self, request: MarkPickedInput) -> None:
        if self.picked is not None and self.picked.request_id == request.request_id:
            return
        if self.cancel_request is not None or self.status.state != AWAITING_PICK:
            raise refusal(
                "ORDER_NOT_AWAITING_PICK",
                f"order is {self.status.state}",
                "FAILED_PRECONDITION",
                state=self.status.state,
            )
        if self.picked is not None:
            raise refusal(
                "ORDER_ALREADY_PICKED", "order was already marked picked", "FAILED_PRECONDITION"
            )

    @workflow.update
    async def confirm_pickup(self, request: ConfirmPickupInput) -> OrderStatus:
        if self.handover is None and request.pickup_code != self.pickup_code:
            await self._count_wrong_code()
        self.handover = self.handover or request
        await workflow.wait_condition(lambda: self.status.state in FINAL_STATES)
        return self.status

    @confirm_pickup.validator
    def _validate_confirm_pickup(self, request: ConfirmPickupInput) -> None:
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
        raise ApplicationError(
            "pickup code does not match",
            {
                "code": "INVALID_ARGUMENT",
                "metadata": {"attempts_left": str(left)},
                "field": "pickup_code",
            },
            type="PICKUP_LOCKED" if locked else "INVALID_PICKUP_CODE",
            non_retryable=True,
        )

    @workflow.update
    async def cancel(self, request: CancelInput) -> OrderStatus:
        self.cancel_request = self.cancel_request or request
        await workflow.wait_condition(lambda: self.status.state in FINAL_STATES)
        return self.status

    @cancel.validator
    def _validate_cancel(self, request: CancelInput) -> None:
        if self.cancel_request is not None and self.cancel_request.request_id == request.request_id:
            return
        if (
            self.handover is not None
            or self.status.state not in CANCELLABLE_STATES
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

    @workflow.query
    def state(self) -> OrderStatus:
        return self.status

    # ---- plumbing ------------------------------------------------------------------------

    @property
    def _reservation_id(self) -> str:
        return f"order-{self.status.order_id}"

    async def _act(self, activity: Any, arg: Any) -> Any:
        return await workflow.execute_activity_method(activity, arg, **ACTIVITY_OPTIONS)

    async def _wait(self, condition: Any, until: datetime) -> bool:
        """Waits for `condition` until an absolute time; False when the time came first."""
        remaining = (until - workflow.now()).total_seconds()
        if condition():
            return True
        if remaining <= 0:
            return False
        try:
            await workflow.wait_condition(condition, timeout=remaining)
        except TimeoutError:
            return condition()
        return True

    def _payment(self, step: str) -> PaymentInput:
        assert self.order is not None
        order = self.order
        return PaymentInput(
            f"{workflow.info().workflow_id}:{step}",
            order.order_id,
            order.total_minor,
            order.currency_code,
            order.payment_method,
        )

    async def _transition(
        self, state: str, event: str, detail: str, command: str = "", **fields: Any
    ) -> None:
        """Records a state change; `command` (the client's request id) makes it findable later."""
        change = TransitionInput(
            f"{workflow.info().workflow_id}:{event}" + (f":{command}" if command else ""),
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

    async def _notify(self, template: str, to_ops: bool = False, **params: str) -> None:
        assert self.order is not None
        message = NotifyInput(
            idempotency_key=f"{workflow.info().workflow_id}:{template.lower()}",
            order_id=self.order.order_id,
            template=template,
            recipient="" if to_ops else self.order.customer_email,
            params={
                "order_id": self.order.order_id,
                "store_id": self.order.pickup_store_id,
                **params,
            },
        )
        await self._act(OrderActivities.send_notification, message)

    def _search_attributes(self) -> list[SearchAttributeUpdate[Any]]:
        updates: list[SearchAttributeUpdate[Any]] = [
            search.ORDER_STATE.value_set(self.status.state)
        ]
        if self.status.pick_deadline:
            updates.append(search.PICK_DEADLINE.value_set(self.status.pick_deadline))
        if self.status.pickup_expire_time:
            updates.append(search.PICKUP_EXPIRES_AT.value_set(self.status.pickup_expire_time))
        return updates

    def _outcome(self) -> OrderOutcome:
        return OrderOutcome(self.status.order_id, self.status.state, self.status.state_reason)


def _business_refusal(error: ActivityError) -> ApplicationError:
    """The service's refusal behind an activity failure; anything else is re-raised."""
    cause = error.cause
    if isinstance(cause, ApplicationError) and cause.non_retryable:
        return cause
    raise error


def _display(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
