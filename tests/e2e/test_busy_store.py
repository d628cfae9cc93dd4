"""Store capacity through the gateway: a store that picks one order an hour promises each new
order an hour later than the last, says it is busy in its pickup options, promises earlier
again once it picks, and a capacity change applies to new orders only."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.capacity_support import hours_from, new_store_id, open_store, option_at, stock
from tests.support.gateway import Caller, bearer, token

SKU = "MUG-CERAMIC"
MINUTE = 1 / 60


def about(hours: float, expected: float) -> bool:
    """The same promise give or take the few minutes the calls take."""
    return abs(hours - expected) <= 3 * MINUTE


@pytest.fixture
async def busy_store(stack: Stack) -> str:
    """A new store that picks one order an hour (open around the clock), with mugs."""
    store_id = new_store_id()
    await open_store(stack, store_id, orders_per_hour=1)
    await stock(stack, store_id, SKU, 20)
    return store_id


async def test_each_order_queued_at_a_busy_store_pushes_the_next_promise_an_hour_later(
    stack: Stack, gateway_channel: grpc.aio.Channel, customer: Caller, busy_store: str
) -> None:
    start = datetime.now(UTC)
    idle = await option_at(customer, busy_store, SKU)
    assert idle.availability == checkout_pb2.PICKUP_AVAILABILITY_PICKUP_IN_STORE
    assert not idle.store_busy and about(hours_from(start, idle.ready_by.seconds), 1)

    placed = [await customer.place((SKU, 1), store=busy_store) for _ in range(3)]
    assert all(o.state == order_views_pb2.ORDER_STATE_AWAITING_PICK for o in placed)
    promised = [hours_from(start, o.ready_by.seconds) for o in placed]
    assert all(about(h, n) for h, n in zip(promised, (1, 2, 3), strict=True)), promised

    busy = await option_at(customer, busy_store, SKU)
    assert busy.store_busy and about(hours_from(start, busy.ready_by.seconds), 4)

    held = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id=busy_store,
            lines=[checkout_pb2.BasketLine(sku=SKU, quantity=1)],
            hold=True,
            request_id=f"hold-{uuid.uuid4().hex}",
        ),
        metadata=customer.metadata,
    )
    fourth = await customer.place((SKU, 1), store=busy_store, hold_id=held.options[0].hold_id)
    assert about(hours_from(start, fourth.ready_by.seconds), 4)

    terminal = Caller(gateway_channel, bearer(token(Role.STORE, "terminal-cap-a", busy_store)))
    pick = store_ops_pb2.MarkPickedRequest(request_id="cap-pick-0001", order_id=placed[0].order_id)
    await terminal.store_ops.MarkPicked(pick, metadata=terminal.metadata)
    after_pick = await option_at(customer, busy_store, SKU)
    assert about(hours_from(start, after_pick.ready_by.seconds), 4), "three queued: the 4th hour"


async def test_a_capacity_change_applies_to_new_orders_only(
    stack: Stack, customer: Caller, busy_store: str
) -> None:
    start = datetime.now(UTC)
    first = await customer.place((SKU, 1), store=busy_store)
    second = await customer.place((SKU, 1), store=busy_store)
    assert about(hours_from(start, second.ready_by.seconds), 2)

    await open_store(stack, busy_store, orders_per_hour=0)  # no limit from now on
    option = await _until_promise_within(customer, busy_store, hours=0.5, since=start)
    assert not option.store_busy

    third = await customer.place((SKU, 1), store=busy_store)
    assert about(hours_from(start, third.ready_by.seconds), 0.5)
    for before in (first, second):
        now = await customer.checkout.GetOrder(
            checkout_pb2.GetOrderRequest(order_id=before.order_id), metadata=customer.metadata
        )
        assert now.order.ready_by == before.ready_by, "an accepted order keeps its promise"


async def _until_promise_within(
    customer: Caller, store_id: str, hours: float, since: datetime
) -> checkout_pb2.PickupOption:
    """The gateway keeps store settings a few seconds: the option once it shows the change."""
    for _ in range(40):
        option = await option_at(customer, store_id, SKU)
        if about(hours_from(since, option.ready_by.seconds), hours):
            return option
        await asyncio.sleep(0.5)
    raise AssertionError(f"the promise never came down to {hours} h")
