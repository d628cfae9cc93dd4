"""Everything an order workflow knows about its order, in one dataclass: the order as placed, the
status operations see, what people asked for (pick, hand-over, cancel), the pickup store (read
once, when the order opens), the route and the transfers, the money, and where the lifecycle is.

The workflow class holds one `OrderProgress`; its handlers and the step modules (checkout_steps,
routing_steps, short_pick_steps, handover_steps, lifecycle) read and change it. What can be
derived from it without a command (the reservations, a payment request, whether the order is
settled) is a method here; everything that issues a command lives in the steps."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from temporalio import workflow
from temporalio.workflow import ChildWorkflowHandle

from workflows.ignored_cancels import IgnoredCancels
from workflows.order.operations.log import OperationsLog

with workflow.unsafe.imports_passed_through():
    from services.common.order_states import FINAL_STATES, OrderState
    from workflows.contracts.orders import (
        PICKUP_IN_STORE,
        AnnounceArrivalInput,
        CancelInput,
        ChangePickupStoreInput,
        ConfirmPickupInput,
        Decision,
        MarkPickedInput,
        OrderOutcome,
        OrderStatus,
        PayInput,
        PickupStore,
        PlaceOrderInput,
    )
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.route_types import RoutePlanResult
    from workflows.order.activities.types import AuthorizationResult, PaymentInput


@dataclass
class SelfService:
    """What the customer (and operations) changed before hand-over, and how far each got."""

    enabled: bool = False  # this run follows the self-service change (types.SELF_SERVICE)
    # Every self-service command taken ("<update>:<request id>"): None when carried out, else
    # its refusal; a repeat gets the same answer.
    answers: dict[str, Refusal | None] = field(default_factory=dict)
    # A store change asked for, until the lifecycle has carried it out or refused it.
    store_change: ChangePickupStoreInput | None = None
    moving: bool = False  # the lifecycle is carrying the change out
    moves: int = 0
    placed_store_id: str = ""  # the store the order was placed for, once it moved
    moved_reservation: str = ""  # the reservation made for the store it moved to
    released: list[str] = field(default_factory=list)  # reservations given back on a move
    extensions: int = 0
    customer_extended: bool = False
    reminders: int = 0  # pickup reminders sent (one more after an extension)
    reminded_for: datetime | None = None  # the window's end the last reminder announced
    hold_lapses_at: datetime | None = None  # when the current card hold lapses
    collector: str = ""  # who may collect besides the customer
    arrival: AnnounceArrivalInput | None = None


@dataclass
class LinkPayment:
    """An order paid by a link (steps/payment_link.py): the attempt being carried out, every
    attempt's answer (None: it paid; else its refusal), the card that paid, and how the wait
    ended ("" while it waits; PAID, LAPSED, or WITHDRAWN: cancelled first)."""

    paying: PayInput | None = None
    answers: dict[str, Refusal | None] = field(default_factory=dict)
    paid_with: str = ""
    paid_by: str = ""  # the request id of the payment (kept on the acceptance's event)
    ended: str = ""


@dataclass
class OrderProgress:
    order: PlaceOrderInput
    status: OrderStatus
    version: int = 0  # the behaviour this run follows, once chosen (base.choose_version)
    # The pickup store (name, time zone, hours, pickup settings, e-mail), once the order opened.
    store: PickupStore | None = None
    decision: Decision | None = None  # the answer to PlaceOrder, once decided
    routed: bool = True  # routed (orders of version 0 started before routing existed: no)
    opened_at_once: bool = False  # recorded, routed, paid (and accepted) in one call
    opened_view: str = ""  # the order as that call left it, when it is the answer
    # What people asked for.
    picked: MarkPickedInput | None = None
    handover: ConfirmPickupInput | None = None
    handover_refusal: Refusal | None = None  # for the waiting ConfirmPickup
    cancel_request: CancelInput | None = None
    pickup_code: str = ""
    # Where the units come from.
    plan: RoutePlanResult | None = None
    extra_reservations: list[str] = field(default_factory=list)  # shipped in after a short pick
    transfers_started: int = 0
    children: list[ChildWorkflowHandle[Any, Any]] = field(default_factory=list)  # under way
    all_children: list[ChildWorkflowHandle[Any, Any]] = field(default_factory=list)  # all started
    cancelled_units: dict[str, int] = field(default_factory=dict)  # short-picked or left behind
    cancelled_minor: int = 0  # value of the lines cancelled after the order was accepted
    # The money.
    hold: AuthorizationResult | None = None  # the card hold, once authorized
    # Renews the hold until the money is settled (referenced here: asyncio holds tasks weakly).
    renewing: asyncio.Task[None] | None = None
    renewals: int = 0
    reauthorizing: bool = False
    capture_attempts: int = 0
    money_settling: bool = False  # hand-over or compensation under way: renewals wait
    money_done: bool = False  # captured or let go: renewals end
    # Where the lifecycle is.
    recorded_state: str = ""  # the state the orders service shows (what reads see)
    waiting: Callable[[], bool] | None = None  # what it waits for from people, while it waits
    finished: bool = False  # the lifecycle is over (final state recorded, customer told)
    ignored: IgnoredCancels = field(default_factory=IgnoredCancels)  # cancel requests not acted on
    ops: OperationsLog = field(default_factory=OperationsLog)  # operations' actions, lost transfers
    self_service: SelfService = field(default_factory=SelfService)
    link: LinkPayment = field(default_factory=LinkPayment)  # paid by a link: how far it got

    @classmethod
    def of(cls, order: PlaceOrderInput) -> OrderProgress:
        status = OrderStatus(
            order.order_id, OrderState.PENDING, order.pickup_store_id, PICKUP_IN_STORE
        )
        return cls(order, status)

    @property
    def pickup_store(self) -> PickupStore:
        """The pickup store; known from the moment the order opened."""
        assert self.store is not None, "the pickup store is read when the order opens"
        return self.store

    @property
    def time_zone(self) -> str:
        """The pickup store's (how customers read times), UTC until it is known."""
        return self.store.time_zone if self.store is not None else "UTC"

    @property
    def reservation_id(self) -> str:
        """The order's stock: its converted checkout hold, or `order-<order_id>` (after a move
        to another store, the reservation made there)."""
        moved = self.self_service.moved_reservation
        return moved or self.order.hold_id or f"order-{self.status.order_id}"

    @property
    def reservations(self) -> list[str]:
        released = self.self_service.released
        return [r for r in [self.reservation_id, *self.extra_reservations] if r not in released]

    def as_placed(self) -> PlaceOrderInput:
        """The order as PlaceOrder asked for it (at the store it was placed for)."""
        placed_store = self.self_service.placed_store_id
        return replace(self.order, pickup_store_id=placed_store) if placed_store else self.order

    def settled(self) -> bool:
        """Nothing is under way: every command accepted so far has been carried out and
        recorded, and the lifecycle waits for the next one (or is over)."""
        return self.finished or (self.waiting is not None and not self.waiting())

    def recorded_final(self) -> bool:
        return self.recorded_state in FINAL_STATES

    def payment(self, step: str) -> PaymentInput:
        """A payment request for `step`, for what is still to pay."""
        order = self.order
        return PaymentInput(
            f"{workflow.info().workflow_id}:{step}",
            order.order_id,
            order.total_minor - self.cancelled_minor,
            order.currency_code,
            self.link.paid_with or order.payment_method,
        )

    def outcome(self) -> OrderOutcome:
        return OrderOutcome(self.status.order_id, self.status.state, self.status.state_reason)
