"""Endless aisle through the public gateway and the real processes: the shelf lacks a product,
the associate sees the DC has it and when it could be here, and orders it for the customer at the
counter (found by e-mail); the order travels like any ship-to-store order and names the
associate in the store's queue and in the customer's history."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, stock_pb2, store_ops_pb2
from deploy.local.stack import Stack
from tests.e2e.aisle_support import (
    LAMP,
    aisle_order,
    lookup_stock,
    order_for_customer,
    stocked_catalogue,
)
from tests.e2e.profiles_support import a_profile, look_up, new_customer, new_phone, update
from tests.support.gateway import Caller, refused

OK = grpc.StatusCode
ASSOCIATE = "Sam de Vries"


@pytest.fixture(autouse=True)
async def catalogue(stack: Stack) -> None:
    await stocked_catalogue(stack)


async def test_an_associate_orders_what_the_shelf_lacks_from_the_dc_for_a_customer_found_by_email(
    gateway_channel: grpc.aio.Channel, terminal: Caller
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    email = f"{customer_id}@example.com"
    await update(customer, a_profile(email, new_phone()))

    [lamp] = (await lookup_stock(terminal, query="floor lamp")).products
    assert (lamp.sku, lamp.shelf.available_to_promise) == (LAMP, 0)
    assert lamp.promise.kind == stock_pb2.STOCK_PROMISE_KIND_SHIP_TO_STORE
    assert list(lamp.promise.source_ids) == ["DC-01"]
    dc = lamp.elsewhere[0]
    assert (dc.location_id, dc.kind, dc.ships_here) == (
        "DC-01",
        stock_pb2.LOCATION_KIND_DISTRIBUTION_CENTER,
        True,
    )
    assert dc.counts.available_to_promise > 0 and dc.ready_by == lamp.promise.ready_by

    asked = aisle_order(email=email, associate=f"  {ASSOCIATE} ")
    answer = await terminal.store_ops.PlaceOrderForCustomer(asked, metadata=terminal.metadata)
    order = answer.order
    assert (order.customer_id, order.customer_email, order.pickup_store_id) == (
        customer_id,
        email,
        "STORE-001",
    )
    assert order.state == order_views_pb2.ORDER_STATE_IN_TRANSIT
    assert order.fulfillment_type == order_views_pb2.FULFILLMENT_TYPE_SHIP_TO_STORE
    assert order.channel == order_views_pb2.CHANNEL_STORE
    assert (order.placed_by_associate, order.placed_by_terminal) == (ASSOCIATE, "terminal-001-a")
    assert abs(order.ready_by.seconds - lamp.promise.ready_by.seconds) <= 120
    again = await terminal.store_ops.PlaceOrderForCustomer(asked, metadata=terminal.metadata)
    assert again.order.order_id == order.order_id

    arriving = await terminal.store_ops.ListStoreOrders(
        store_ops_pb2.ListStoreOrdersRequest(
            queue=store_ops_pb2.STORE_QUEUE_ARRIVING, page_size=200
        ),
        metadata=terminal.metadata,
    )
    queued = {o.order_id: o for o in arriving.orders}[order.order_id]
    assert (queued.placed_by_associate, queued.placed_by_terminal) == (ASSOCIATE, "terminal-001-a")

    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata
    )
    assert [(o.order_id, o.placed_by_associate) for o in history.orders] == [
        (order.order_id, ASSOCIATE)
    ]
    assert "placed_by_terminal" not in order_views_pb2.CustomerOrder.DESCRIPTOR.fields_by_name
    counter = await look_up(terminal, email=email)
    assert [(o.order_id, o.placed_by_associate) for o in counter.orders] == [
        (order.order_id, ASSOCIATE)
    ]


async def test_an_order_for_a_customer_is_refused_clearly_or_placed_for_another_store(
    gateway_channel: grpc.aio.Channel, terminal: Caller
) -> None:
    customer_id, customer = new_customer(gateway_channel)
    email = f"{customer_id}@example.com"

    def place(**fields: Any) -> Awaitable[Any]:
        request = aisle_order(**fields)
        return terminal.store_ops.PlaceOrderForCustomer(request, metadata=terminal.metadata)

    error = await refused(
        customer.store_ops.PlaceOrderForCustomer(
            aisle_order(email=email), metadata=customer.metadata
        )
    )
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")
    error = await refused(place(associate="", pickup_store_id="STORE 1"))
    assert error.code == OK.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {"customer_id", "pickup_store_id", "associate"}
    error = await refused(place(customer_id=customer_id))  # no profile, no e-mail given
    assert (error.code, [v.field for v in error.violations]) == (
        OK.INVALID_ARGUMENT,
        ["customer_email"],
    )
    error = await refused(place(email=email))  # nobody has this e-mail yet
    assert (error.code, error.reason) == (OK.NOT_FOUND, "CUSTOMER_NOT_FOUND")
    known = {"customer_id": customer_id, "customer_email": email}
    error = await refused(place(**known, pickup_store_id="DC-01"))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "PICKUP_NOT_OFFERED")
    error = await refused(place(**known, payment_method="pm_card_declined"))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "PAYMENT_DECLINED")

    elsewhere = await order_for_customer(terminal, **known, pickup_store_id="STORE-002")
    assert (elsewhere.pickup_store_id, elsewhere.state) == (
        "STORE-002",
        order_views_pb2.ORDER_STATE_IN_TRANSIT,
    )
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata
    )
    assert sorted(o.state for o in history.orders) == [
        order_views_pb2.ORDER_STATE_REJECTED,  # the declined card, nothing held
        order_views_pb2.ORDER_STATE_IN_TRANSIT,
    ]
