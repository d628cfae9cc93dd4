"""Checkout holds: pickup options can hold the stock for a few minutes (3 s in this stack);
PlaceOrder converts the hold; a hold converted after it expired is refused."""

from __future__ import annotations

import asyncio

import grpc

from clickcollect.gateway.v1 import checkout_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2
from deploy.local.stack import Stack
from tests.support.gateway import Caller, refused

SKU = "BACKPACK-20L"


async def test_a_hold_is_converted_by_place_order_and_an_expired_one_is_refused(
    stack: Stack, customer: Caller
) -> None:
    before = await _reserved(stack)
    first = await _hold(customer)
    assert first.hold_id and first.hold_expire_time.seconds > 0
    assert await _reserved(stack) == before + 1
    order = await customer.place((SKU, 1), hold_id=first.hold_id)
    assert order.state == orders_pb2.ORDER_STATE_AWAITING_PICK
    assert await _reserved(stack) == before + 1, "the hold became the order's reservation"

    late = await _hold(customer)
    await asyncio.sleep(4)
    error = await refused(customer.place((SKU, 1), hold_id=late.hold_id))
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "HOLD_EXPIRED")
    assert await _reserved(stack) == before + 1, "the expired hold gave its unit back"


async def _hold(customer: Caller) -> checkout_pb2.PickupOption:
    options = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id="STORE-001", lines=[checkout_pb2.BasketLine(sku=SKU, quantity=1)], hold=True
        ),
        metadata=customer.metadata,
    )
    return options.options[0]


async def _reserved(stack: Stack) -> int:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=["STORE-001"], skus=[SKU])
        return (await inventory.GetStock(request)).levels[0].reserved
