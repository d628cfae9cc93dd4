"""Store capacity in the order's activities: a busy store promises later. The orders already
queued at the pickup store are counted (one indexed count in the orders service) only for a
store with a limited capacity, and alongside the checkout's reservation rather than after it,
so the checkout waits for no extra round trip. The rule itself is ``services.routing.capacity``."""

from __future__ import annotations

import asyncio
from datetime import datetime

from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from services.routing.capacity import Capacity, promised_ready_by
from workflows.calls import call
from workflows.contracts.orders import PickupStore


def capacity_of(store: PickupStore) -> Capacity:
    return Capacity(store.orders_per_hour, store.daily_pickup_limit)


async def queued_at(
    orders: orders_pb2_grpc.OrderServiceAsyncStub, store: PickupStore, order_id: str = ""
) -> int:
    """Orders queued to pick at the store, the given one not counted; 0 without asking for a
    store without limits."""
    if not capacity_of(store).limited:
        return 0
    request = orders_pb2.CountStoreQueueRequest(
        store_ids=[store.store_id], exclude_order_id=order_id
    )
    answer = await call(orders.CountStoreQueue, request)
    return answer.queues[0].queued_orders if answer.queues else 0


def counting(
    orders: orders_pb2_grpc.OrderServiceAsyncStub, store: PickupStore, order_id: str
) -> asyncio.Task[int]:
    """The count, started now to run beside other calls; await it where it is needed."""
    task = asyncio.ensure_future(queued_at(orders, store, order_id))
    task.add_done_callback(_seen)  # a count nobody awaited (a refused checkout) is dropped
    return task


def shelf_promise(store: PickupStore, now: datetime, queued: int) -> datetime:
    """When an order picked from the store's shelf can be ready, ``queued`` orders ahead."""
    return promised_ready_by(
        now,
        store.pick_deadline_minutes,
        store.opening_hours,
        store.time_zone,
        capacity_of(store),
        queued,
    )


def _seen(task: asyncio.Task[int]) -> None:
    if not task.cancelled():
        task.exception()
