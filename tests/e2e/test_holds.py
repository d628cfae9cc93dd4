"""Checkout holds: pickup options can hold the stock for a few minutes (3 s in this stack);
PlaceOrder converts the hold; a hold converted after it expired is refused; a retried request
gets the same hold; only the customer who took a hold can convert it."""

from __future__ import annotations

import asyncio
import re
import uuid

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from tests.support.gateway import Caller, refused

SKU = "BACKPACK-20L"
HOLD_ID = re.compile(r"hold-[0-9a-f]{32}")


async def test_a_hold_is_converted_by_place_order_and_an_expired_one_is_refused(
    stack: Stack, customer: Caller
) -> None:
    before = await _reserved(stack)
    first = await _hold(customer)
    assert first.hold_id and first.hold_expire_time.seconds > 0
    assert await _reserved(stack) == before + 1
    order = await customer.place((SKU, 1), hold_id=first.hold_id)
    assert order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK
    assert await _reserved(stack) == before + 1, "the hold became the order's reservation"

    late = await _hold(customer)
    await asyncio.sleep(4)
    error = await refused(customer.place((SKU, 1), hold_id=late.hold_id))
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "HOLD_EXPIRED")
    assert await _reserved(stack) == before + 1, "the expired hold gave its unit back"


async def test_a_retried_hold_is_the_same_hold_and_holds_the_stock_once(
    stack: Stack, customer: Caller, other_customer: Caller
) -> None:
    before = await _reserved(stack)
    request_id = f"hold-{uuid.uuid4().hex}"
    first = await _hold(customer, request_id=request_id)
    again = await _hold(customer, request_id=request_id)
    assert first.hold_id and (again.hold_id, again.hold_expire_time) == (
        first.hold_id,
        first.hold_expire_time,
    )
    assert again.availability == first.availability
    assert await _reserved(stack) == before + 1, "the retry held nothing more"

    error = await refused(_hold(customer, request_id=request_id, quantity=2))
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "REQUEST_ID_REUSED")
    theirs = await _hold(other_customer, request_id=request_id)
    assert theirs.hold_id not in ("", first.hold_id)
    assert await _reserved(stack) == before + 2


async def test_a_hold_needs_a_request_id(stack: Stack, customer: Caller) -> None:
    before = await _reserved(stack)
    for request_id in ("", "short", "x" * 129, "no spaces here"):
        error = await refused(_hold(customer, request_id=request_id))
        assert (error.code, [v.field for v in error.violations]) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            ["request_id"],
        )
    assert await _reserved(stack) == before


async def test_another_customer_cannot_convert_a_hold_and_it_stays_as_it_was(
    stack: Stack, customer: Caller, other_customer: Caller
) -> None:
    mine = await _hold(customer)
    unknown = await refused(other_customer.place((SKU, 1), hold_id="hold-" + "0" * 32))
    same_basket = await refused(other_customer.place((SKU, 1), hold_id=mine.hold_id))
    other_basket = await refused(other_customer.place(("MUG-CERAMIC", 1), hold_id=mine.hold_id))

    for error in (unknown, same_basket, other_basket):
        assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "HOLD_NOT_FOUND")
        assert HOLD_ID.sub("?", error.message) == HOLD_ID.sub("?", unknown.message)
    hold = await _reservation(stack, mine.hold_id)
    assert hold.order_id == "" and hold.owner_id == "cust-1001"
    assert hold.state in (
        inventory_pb2.RESERVATION_STATE_ACTIVE,
        inventory_pb2.RESERVATION_STATE_EXPIRED,  # 3 s holds in this stack
    ), "neither converted nor released by the attempts"


async def test_pickup_options_around_a_point_with_no_store_in_range_are_none(
    customer: Caller,
) -> None:
    request = checkout_pb2.GetPickupOptionsRequest(
        latitude=-45.0,
        longitude=170.0,
        radius_km=10,
        lines=[checkout_pb2.BasketLine(sku=SKU, quantity=1)],
    )
    answer = await customer.checkout.GetPickupOptions(request, metadata=customer.metadata)
    assert list(answer.options) == []


async def _hold(
    customer: Caller, request_id: str | None = None, quantity: int = 1
) -> checkout_pb2.PickupOption:
    options = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id="STORE-001",
            lines=[checkout_pb2.BasketLine(sku=SKU, quantity=quantity)],
            hold=True,
            request_id=f"hold-{uuid.uuid4().hex}" if request_id is None else request_id,
        ),
        metadata=customer.metadata,
    )
    return options.options[0]


async def _reserved(stack: Stack) -> int:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=["STORE-001"], skus=[SKU])
        return (await inventory.GetStock(request)).levels[0].reserved


async def _reservation(stack: Stack, reservation_id: str) -> inventory_pb2.Reservation:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetReservationRequest(reservation_id=reservation_id)
        return (await inventory.GetReservation(request)).reservation
