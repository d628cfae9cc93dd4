"""Placing an order, one way for every caller: CheckoutService.PlaceOrder (the customer) and
StoreOpsService.PlaceOrderForCustomer (an associate, endless aisle). The pickup store is checked,
the basket priced from the catalogue, the order's workflow started (or joined) and its decision
answered: the accepted order, or the refusal the workflow gave. All within the caller's overall
limit (place_order_timeout_seconds); past it, UNAVAILABLE/DECISION_PENDING, and a repeat with the
same request_id gets the answer."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from clickcollect.orders.v1 import orders_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.errors import FailedPrecondition, Unavailable
from services.gateway.commands import (
    OrderCommands,
    WorkflowClosed,
    decision_refused,
    ensure_same_request,
)
from services.gateway.domain import BasketLine
from services.gateway.pricing import priced_lines
from services.gateway.reads import Reads
from workflows.contracts.orders import CURRENT_VERSION, PlaceOrderInput, pickup_store_of


@dataclass(frozen=True)
class OrderAsked:
    """An order as its caller asked for it, before pricing (the basket checked and merged)."""

    order_id: str
    customer_id: str
    channel: str
    pickup_store_id: str
    basket: list[BasketLine]
    payment_method: str
    hold_id: str = ""
    placed_by_associate: str = ""
    placed_by_terminal: str = ""


async def priced_order(reads: Reads, asked: OrderAsked, email: Awaitable[str]) -> PlaceOrderInput:
    """The workflow's input: the store checked to offer pickup, the basket priced, the e-mail
    the order is placed with (read beside them)."""
    store, (currency, lines), address = await asyncio.gather(
        reads.location(asked.pickup_store_id), priced_lines(reads, asked.basket), email
    )
    if stores_pb2.CAPABILITY_PICKUP not in store.capabilities:
        raise FailedPrecondition(
            "PICKUP_NOT_OFFERED",
            f"{store.name} does not offer pickup",
            {"store_id": store.location_id},
        )
    return PlaceOrderInput(
        order_id=asked.order_id,
        customer_id=asked.customer_id,
        customer_email=address,
        channel=asked.channel,
        pickup_store_id=store.location_id,
        currency_code=currency,
        payment_method=asked.payment_method,
        lines=lines,
        hold_id=asked.hold_id,
        workflow_version=CURRENT_VERSION,
        store=pickup_store_of(store),
        placed_by_associate=asked.placed_by_associate,
        placed_by_terminal=asked.placed_by_terminal,
    )


class OrderPlacing:
    def __init__(self, commands: OrderCommands, reads: Reads, decision_timeout: timedelta) -> None:
        self.commands = commands
        self.reads = reads
        self.decision_timeout = decision_timeout

    async def place(
        self, order_id: str, order_input: Callable[[], Awaitable[PlaceOrderInput]]
    ) -> orders_pb2.Order:
        """The order as its decision left it; ``order_input`` makes the workflow's input (reads
        the store, prices the basket), within the same overall limit."""
        try:
            async with asyncio.timeout(self.decision_timeout.total_seconds()):
                return await self._decided(order_id, await order_input())
        except TimeoutError:
            raise Unavailable(
                "DECISION_PENDING",
                "the order is still being decided; repeat the call with the same request_id",
                {"order_id": order_id},
            ) from None

    async def _decided(self, order_id: str, order_input: PlaceOrderInput) -> orders_pb2.Order:
        try:
            decision = await self.commands.place(order_input, self.decision_timeout)
        except WorkflowClosed:
            return await self._settled(order_id, order_input)
        if not decision.accepted:
            raise decision_refused(decision)
        if decision.order_view:  # the order as the checkout left it, handed back with the answer
            return orders_pb2.Order.FromString(base64.b64decode(decision.order_view))
        return await self.reads.order(order_id)

    async def _settled(self, order_id: str, asked: PlaceOrderInput) -> orders_pb2.Order:
        """A repeat after the workflow finished: the first answer, from the record; the same
        request id with another basket or store is refused."""
        order = await self.reads.order(order_id)
        ensure_same_request(order, asked)
        if order.state == orders_pb2.ORDER_STATE_REJECTED:
            raise FailedPrecondition(
                order.state_reason or "ORDER_REJECTED", "the order was rejected"
            )
        return order
