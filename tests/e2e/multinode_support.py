"""Customers and store terminals of the multi-node run: each call goes to one of the gateways
(alternately), and a call a crash cut short (UNAVAILABLE, DEADLINE_EXCEEDED) is sent again
with the same request_id, as a checkout back end or a terminal does."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.gateway.domain import Role
from tests.e2e.rush import stock_spread
from tests.support.gateway import Caller, bearer, token

T = TypeVar("T")
STATES = order_views_pb2.OrderState
RETRIED = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
ATTEMPTS = 30
SHELF, DC = "STORE-001", "DC-01"


async def again_until_answered(call: Callable[[], Awaitable[T]]) -> T:
    """`call` until it answers or refuses for a reason other than a crash."""
    for _ in range(ATTEMPTS - 1):
        try:
            return await call()
        except grpc.aio.AioRpcError as error:
            if error.code() not in RETRIED:
                raise
        await asyncio.sleep(0.5)
    return await call()


async def stock(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub, sku: str) -> None:
    """The contested product: on the pickup store's shelf and at the DC."""
    await stock_spread(inventory, sku, SPREAD, "multi-node", price_minor=2499)


# Units of the contested product: picked from the shelf, or shipped in from the DC.
SPREAD = {SHELF: 25, DC: 15}


@dataclass
class Customer:
    caller: Caller
    request_id: str

    async def place(self, sku: str) -> order_views_pb2.CustomerOrder:
        """The order placed once, however often the request goes out; refusals raise."""
        request = checkout_pb2.PlaceOrderRequest(
            request_id=self.request_id,
            pickup_store_id=SHELF,
            lines=[checkout_pb2.BasketLine(sku=sku, quantity=1)],
            customer_email=f"{self.request_id}@example.com",
            payment_method="pm_card_visa",
        )
        call, metadata = self.caller.checkout.PlaceOrder, self.caller.metadata
        return (await again_until_answered(lambda: call(request, metadata=metadata))).order

    async def order(self, order_id: str) -> order_views_pb2.CustomerOrder:
        request = checkout_pb2.GetOrderRequest(order_id=order_id)
        call, metadata = self.caller.checkout.GetOrder, self.caller.metadata
        return (await again_until_answered(lambda: call(request, metadata=metadata))).order

    async def orders(self) -> list[order_views_pb2.CustomerOrder]:
        call = self.caller.checkout.ListOrders
        request = checkout_pb2.ListOrdersRequest(page_size=50)
        reply = await again_until_answered(lambda: call(request, metadata=self.caller.metadata))
        return list(reply.orders)

    async def until(
        self, order_id: str, state: order_views_pb2.OrderState.ValueType
    ) -> order_views_pb2.CustomerOrder:
        for _ in range(600):
            order = await self.order(order_id)
            if order.state == state:
                return order
            await asyncio.sleep(0.2)
        raise AssertionError(f"order {order_id} never reached {STATES.Name(state)}")


def customers(gateways: list[grpc.aio.Channel], count: int) -> list[Customer]:
    return [
        Customer(
            Caller(gateways[n % len(gateways)], bearer(token(Role.CUSTOMER, f"mn-{n:03d}"))),
            f"mn-checkout-{n:03d}",
        )
        for n in range(count)
    ]


@dataclass
class Terminals:
    """A terminal at the pickup store and one at the DC's dock, through each gateway."""

    gateways: list[grpc.aio.Channel]

    def at(self, location_id: str, turn: int) -> Caller:
        subject = f"mn-terminal-{location_id}-{turn % 2}"
        signed = token(Role.STORE, subject, location_id)
        return Caller(self.gateways[turn % len(self.gateways)], bearer(signed))

    async def ship_in(self, order: order_views_pb2.CustomerOrder, turn: int) -> None:
        """The DC ships the transfer; the pickup store receives it."""
        transfer = order.shipments[0].transfer_id
        dock, store = self.at(DC, turn), self.at(SHELF, turn + 1)
        ship = store_ops_pb2.ShipTransferRequest(
            request_id=f"ship-{transfer}", transfer_id=transfer
        )
        await again_until_answered(
            lambda: dock.store_ops.ShipTransfer(ship, metadata=dock.metadata)
        )
        receive = store_ops_pb2.ReceiveTransferRequest(
            request_id=f"receive-{transfer}", transfer_id=transfer
        )
        await again_until_answered(
            lambda: store.store_ops.ReceiveTransfer(receive, metadata=store.metadata)
        )

    async def pick(self, order_id: str, turn: int) -> order_views_pb2.StoreOrder:
        store = self.at(SHELF, turn)
        pick = store_ops_pb2.MarkPickedRequest(request_id=f"pick-{order_id}", order_id=order_id)
        reply = await again_until_answered(
            lambda: store.store_ops.MarkPicked(pick, metadata=store.metadata)
        )
        return reply.order

    async def hand_over(self, order_id: str, code: str, turn: int) -> order_views_pb2.StoreOrder:
        store = self.at(SHELF, turn)
        handover = store_ops_pb2.ConfirmPickupRequest(
            request_id=f"handover-{order_id}",
            order_id=order_id,
            pickup_code=code,
            collector_name="Ada Lovelace",
        )
        reply = await again_until_answered(
            lambda: store.store_ops.ConfirmPickup(handover, metadata=store.metadata)
        )
        return reply.order
