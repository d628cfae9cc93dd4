"""The order record follows a customer's self-service before hand-over: RecordOrderEvent sets
the pickup store the order moved to, a longer window, the arrival announcement and the named
collector, each with its timeline event; an older database gains the columns with its orders
intact. Over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.db import Database
from tests.support.orders import create, get, move, refused, request_id, running_orders

if TYPE_CHECKING:
    from tests.support.orders import Stub

SELF_SERVICE_COLUMNS = (
    "arrival_state",
    "arrival_time",
    "vehicle_description",
    "arrival_bay",
    "collector_name",
    "pickup_extensions",
    "placed_store_id",
)


def stamp(value: datetime) -> Timestamp:
    out = Timestamp()
    out.FromDatetime(value)
    return out


async def event(stub: Stub, order_id: str, name: str, **facts: Any) -> pb.Order:
    request = pb.RecordOrderEventRequest(
        request_id=request_id(), order_id=order_id, event=name, **facts
    )
    return (await stub.RecordOrderEvent(request)).order


async def ready(stub: Stub) -> pb.Order:
    order = await create(stub)
    await move(stub, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    return await move(stub, order.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="123456")


async def test_a_moved_order_shows_in_the_new_stores_queue_only(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    deadline = datetime(2030, 1, 2, 11, tzinfo=UTC)
    await event(
        orders,
        order.order_id,
        "pickup_store_changed",
        pickup_store_id="STORE-002",
        pick_deadline=stamp(deadline),
        ready_by=stamp(deadline),
        client_request_id="change-store-0001",
    )

    moved = await get(orders, order.order_id)
    assert (moved.pickup_store_id, moved.placed_pickup_store_id) == ("STORE-002", "STORE-001")
    assert moved.pick_deadline.ToDatetime(tzinfo=UTC) == deadline
    assert moved.timeline[-1].client_request_id == "change-store-0001"

    async def queue(store_id: str) -> list[str]:
        request = pb.ListStoreOrdersRequest(store_id=store_id)
        return [o.order_id for o in (await orders.ListStoreOrders(request)).orders]

    assert order.order_id in await queue("STORE-002")
    assert order.order_id not in await queue("STORE-001")


async def test_an_arrival_with_curbside_details_is_on_the_order_for_the_store(
    orders: Stub,
) -> None:
    order = await ready(orders)
    announced = datetime(2030, 1, 3, 17, 5, tzinfo=UTC)
    arrival = pb.CustomerArrival(
        state=pb.ARRIVAL_STATE_HERE,
        announce_time=stamp(announced),
        vehicle_description="blue Volvo V60",
        bay="B7",
    )
    await event(orders, order.order_id, "customer_arrived", customer_arrival=arrival)

    listed = await orders.ListStoreOrders(
        pb.ListStoreOrdersRequest(store_id="STORE-001", states=[pb.ORDER_STATE_READY_FOR_PICKUP])
    )
    seen = {o.order_id: o for o in listed.orders}[order.order_id]
    assert seen.customer_arrival == arrival
    assert seen.timeline[-1].type == "customer_arrived"


async def test_an_extension_and_a_collector_are_kept_on_the_order(orders: Stub) -> None:
    order = await ready(orders)
    later = datetime(2030, 1, 10, 12, tzinfo=UTC)
    await event(
        orders,
        order.order_id,
        "pickup_extended",
        pickup_expire_time=stamp(later),
        pickup_extensions=1,
    )
    named = await event(orders, order.order_id, "collector_named", collector_name=" Grace Hopper ")

    assert named.collector_name == "Grace Hopper"
    assert named.pickup_extensions == 1
    assert named.pickup_expire_time.ToDatetime(tzinfo=UTC) == later


async def test_bad_facts_are_refused_naming_each_field_and_change_nothing(orders: Stub) -> None:
    order = await ready(orders)
    bad = pb.CustomerArrival(state=pb.ARRIVAL_STATE_ARRIVING, vehicle_description="v" * 61)
    error = await refused(
        event(
            orders,
            order.order_id,
            "customer_on_the_way",
            customer_arrival=bad,
            collector_name="x" * 81,
        )
    )
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "customer_arrival.vehicle_description",
        "collector_name",
    }
    assert await get(orders, order.order_id) == order


async def test_a_store_change_after_the_pick_is_refused_with_the_state(orders: Stub) -> None:
    order = await ready(orders)
    error = await refused(
        event(orders, order.order_id, "pickup_store_changed", pickup_store_id="STORE-002")
    )
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "ILLEGAL_CHANGE")
    assert error.metadata["state"] == "READY_FOR_PICKUP"
    assert (await get(orders, order.order_id)).pickup_store_id == "STORE-001"


async def test_an_older_database_gains_the_self_service_columns_and_keeps_its_orders(
    database_url: str,
) -> None:
    async with running_orders(database_url) as orders:
        order = await create(orders)
    db = Database(database_url)
    with db.engine.begin() as connection:
        for column in SELF_SERVICE_COLUMNS:
            connection.exec_driver_sql(f'ALTER TABLE orders DROP COLUMN "{column}"')
        connection.exec_driver_sql("DROP TABLE alembic_version")  # none before migrations
    db.dispose()

    async with running_orders(database_url) as orders:
        kept = await get(orders, order.order_id)
        assert (kept.order_id, kept.total) == (order.order_id, order.total)
        assert (kept.collector_name, kept.pickup_extensions) == ("", 0)
        assert not kept.HasField("customer_arrival")
        await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
        named = await event(orders, order.order_id, "collector_named", collector_name="Bo")
        assert named.collector_name == "Bo"
