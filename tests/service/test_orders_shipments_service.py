"""Shipments of orders, and how orders read with them, over real gRPC on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import Engine, event

from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import (
    create,
    get,
    move,
    new_order_id,
    new_store_id,
    refused,
    request_id,
    route_request,
    shipment_request,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub

SHIP = pb.FULFILLMENT_TYPE_SHIP_TO_STORE


def stamp(hours: int) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=hours))
    return value


async def ship_to_store_order(orders: Stub, **fields: Any) -> pb.Order:
    """2 x SKU-1 (12.50) + 1 x SKU-2 (5.00), to be shipped to the store."""
    return await create(orders, fulfillment_type=SHIP, **fields)


# ---- RecordShipment ------------------------------------------------------------------------


async def test_shipment_is_created_then_updated_by_its_transfer_id(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    await orders.RecordShipment(
        shipment_request(order.order_id, 1, event="transfer_created", ready_by=stamp(48))
    )
    await orders.RecordShipment(shipment_request(order.order_id, 2, event="transfer_created"))
    shipped = shipment_request(
        order.order_id,
        1,
        pb.SHIPMENT_STATE_SHIPPED,
        event="transfer_shipped",
        expected_arrival=stamp(30),
        ready_by=stamp(48),
    )
    shipped.detail = "shipped by DC-01"

    updated = (await orders.RecordShipment(shipped)).order

    assert [(s.transfer_id, s.state) for s in updated.shipments] == [
        (f"transfer-{order.order_id}-1", pb.SHIPMENT_STATE_SHIPPED),
        (f"transfer-{order.order_id}-2", pb.SHIPMENT_STATE_PLANNED),
    ]
    first = updated.shipments[0]
    assert first.source_id == "DC-01"
    assert [(line.sku, line.quantity) for line in first.lines] == [("SKU-1", 2)]
    assert (first.expected_arrival, first.ready_by) == (stamp(30), stamp(48))
    assert not updated.transfer_late
    assert [(e.type, e.detail) for e in updated.timeline][-3:] == [
        ("transfer_created", ""),
        ("transfer_created", ""),
        ("transfer_shipped", "shipped by DC-01"),
    ]
    assert updated.state == pb.ORDER_STATE_PENDING
    assert await get(orders, order.order_id) == updated


async def test_a_late_shipment_marks_the_order_transfer_late(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    await orders.RecordShipment(shipment_request(order.order_id, 1))
    on_time = (await orders.RecordShipment(shipment_request(order.order_id, 2))).order

    late = (
        await orders.RecordShipment(
            shipment_request(order.order_id, 2, event="transfer_late", late=True)
        )
    ).order

    assert not on_time.transfer_late
    assert late.transfer_late
    assert [s.late for s in late.shipments] == [False, True]


async def test_repeated_shipment_request_changes_nothing_even_without_an_event(
    orders: Stub,
) -> None:
    order = await ship_to_store_order(orders)
    planned = shipment_request(order.order_id, 1, pb.SHIPMENT_STATE_PLANNED)
    first = (await orders.RecordShipment(planned)).order
    shipped = (
        await orders.RecordShipment(
            shipment_request(order.order_id, 1, pb.SHIPMENT_STATE_SHIPPED, event="transfer_shipped")
        )
    ).order

    repeat = (await orders.RecordShipment(planned)).order

    assert len(first.timeline) == 1 and first.shipments[0].state == pb.SHIPMENT_STATE_PLANNED
    assert repeat == shipped
    assert repeat.shipments[0].state == pb.SHIPMENT_STATE_SHIPPED


async def test_concurrent_repeats_of_a_shipment_record_it_once(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    request = shipment_request(order.order_id, 1, pb.SHIPMENT_STATE_SHIPPED)

    answers = await asyncio.gather(*(orders.RecordShipment(request) for _ in range(5)))

    assert len({a.order.SerializeToString() for a in answers}) == 1
    stored = await get(orders, order.order_id)
    assert [s.state for s in stored.shipments] == [pb.SHIPMENT_STATE_SHIPPED]
    assert stored.update_time == answers[0].order.update_time


async def test_shipment_of_a_cancelled_order_is_still_recorded(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    await orders.RecordShipment(shipment_request(order.order_id, 1))
    await move(orders, order.order_id, pb.ORDER_STATE_CANCELLED)

    updated = (
        await orders.RecordShipment(
            shipment_request(
                order.order_id, 1, pb.SHIPMENT_STATE_CANCELLED, event="transfer_cancelled"
            )
        )
    ).order

    assert updated.shipments[0].state == pb.SHIPMENT_STATE_CANCELLED
    assert updated.timeline[-1].state == pb.ORDER_STATE_CANCELLED


@pytest.mark.parametrize(
    "transfer_id",
    ["transfer-ORD-0000000000-1", "TR-1", "transfer-{order}-0", "transfer-{order}", ""],
)
async def test_shipment_with_a_foreign_or_malformed_transfer_id_is_refused(
    orders: Stub, transfer_id: str
) -> None:
    order = await ship_to_store_order(orders)
    request = shipment_request(order.order_id)
    request.shipment.transfer_id = transfer_id.format(order=order.order_id)

    error = await refused(orders.RecordShipment(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["shipment.transfer_id"]
    assert await get(orders, order.order_id) == order


async def test_malformed_shipment_names_every_bad_field(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    request = shipment_request(
        order.order_id, 1, pb.SHIPMENT_STATE_UNSPECIFIED, event="Transfer Shipped"
    )
    request.shipment.source_id = "warehouse"
    request.shipment.lines.append(pb.ShipmentLine(sku="bad sku", quantity=0))

    error = await refused(orders.RecordShipment(request))

    assert {v.field for v in error.violations} == {
        "shipment.source_id",
        "shipment.state",
        "shipment.lines[1].sku",
        "shipment.lines[1].quantity",
        "event",
    }


async def test_shipment_of_an_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(orders.RecordShipment(shipment_request(new_order_id())))

    assert error.code == grpc.StatusCode.NOT_FOUND


# ---- reads ---------------------------------------------------------------------------------


async def test_arriving_queue_lists_in_transit_orders_with_their_shipments(orders: Stub) -> None:
    store, customer = new_store_id(), "cust-" + request_id()[-8:]
    first = await ship_to_store_order(orders, pickup_store_id=store, customer_id=customer)
    to_pick = await create(orders, pickup_store_id=store, customer_id=customer)
    second = await ship_to_store_order(orders, pickup_store_id=store, customer_id=customer)
    await move(orders, to_pick.order_id, pb.ORDER_STATE_AWAITING_PICK)
    for order, transfers in ((first, 1), (second, 2)):
        await move(orders, order.order_id, pb.ORDER_STATE_IN_TRANSIT, pickup_code="4821")
        for n in range(1, transfers + 1):
            await orders.RecordShipment(shipment_request(order.order_id, n))

    arriving = await orders.ListStoreOrders(
        pb.ListStoreOrdersRequest(store_id=store, states=[pb.ORDER_STATE_IN_TRANSIT])
    )
    history = await orders.ListOrders(pb.ListOrdersRequest(customer_id=customer))

    assert [(o.order_id, len(o.shipments)) for o in arriving.orders] == [
        (first.order_id, 1),
        (second.order_id, 2),
    ]
    assert all(o.pickup_code == "" for o in arriving.orders)
    assert {o.order_id: len(o.shipments) for o in history.orders} == {
        first.order_id: 1,
        to_pick.order_id: 0,
        second.order_id: 2,
    }
    assert (await get(orders, second.order_id)).shipments == arriving.orders[1].shipments


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


async def test_a_page_of_orders_costs_the_same_queries_however_many_it_holds(
    orders: Stub,
) -> None:
    small, large = new_store_id(), new_store_id()
    for store, count in ((small, 1), (large, 6)):
        for _ in range(count):
            order = await ship_to_store_order(orders, pickup_store_id=store)
            await orders.RecordRoute(route_request(order.order_id, {1: [("DC-01", 2)]}))
            await orders.RecordShipment(shipment_request(order.order_id, 1))

    costs = []
    for store in (small, large):
        with counted_statements() as statements:
            page = await orders.ListStoreOrders(pb.ListStoreOrdersRequest(store_id=store))
        costs.append(len(statements))
        assert all(o.shipments and o.lines[0].allocations for o in page.orders)

    assert costs[0] == costs[1]
