"""CountStoreQueue over real gRPC (SQLite and PostgreSQL): the orders a store has accepted and
not yet picked, per store, for the ready-by a busy store promises."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import create, move, new_store_id, refused

if TYPE_CHECKING:
    from tests.support.orders import Stub


async def queued(orders: Stub, *store_ids: str, exclude: str = "") -> list[tuple[str, int]]:
    request = pb.CountStoreQueueRequest(store_ids=store_ids, exclude_order_id=exclude)
    answer = await orders.CountStoreQueue(request)
    return [(q.store_id, q.queued_orders) for q in answer.queues]


async def accepted(orders: Stub, store_id: str) -> pb.Order:
    order = await create(orders, pickup_store_id=store_id)
    return await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)


async def test_only_orders_waiting_to_be_picked_count_per_store(orders: Stub) -> None:
    busy, quiet, empty = new_store_id(), new_store_id(), new_store_id()
    waiting = [await accepted(orders, busy) for _ in range(3)]
    await accepted(orders, quiet)
    await create(orders, pickup_store_id=busy)  # PENDING: not accepted yet
    picked = await accepted(orders, busy)
    await move(orders, picked.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="PICK-1")
    cancelled = await accepted(orders, busy)
    await move(orders, cancelled.order_id, pb.ORDER_STATE_CANCELLED)

    assert await queued(orders, busy, quiet, empty) == [(busy, 3), (quiet, 1), (empty, 0)]
    assert await queued(orders, busy, exclude=waiting[0].order_id) == [(busy, 2)]


async def test_a_bad_count_request_is_refused_naming_the_field(orders: Stub) -> None:
    empty = await refused(orders.CountStoreQueue(pb.CountStoreQueueRequest()))
    assert (empty.code, [v.field for v in empty.violations]) == (
        grpc.StatusCode.INVALID_ARGUMENT,
        ["store_ids"],
    )
    bad = await refused(
        orders.CountStoreQueue(
            pb.CountStoreQueueRequest(store_ids=["STORE-001", "nope"], exclude_order_id="x")
        )
    )
    assert [v.field for v in bad.violations] == ["store_ids[1]", "exclude_order_id"]
    many = pb.CountStoreQueueRequest(store_ids=[f"STORE-{n:03d}" for n in range(101)])
    assert [v.field for v in (await refused(orders.CountStoreQueue(many))).violations] == [
        "store_ids"
    ]
