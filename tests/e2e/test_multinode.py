"""Several nodes on PostgreSQL: two workers, two gateways and two inventory processes (one
orders, stores and notifications process). Customers order through both gateways at once for
stock that cannot cover them all; a worker and an inventory process are killed (SIGKILL) while
orders are being placed, the other worker while stores are working the orders. Every order
accepted is still collected exactly once: one authorization, one capture, one message of each
kind, no unit lost or sold twice, and every workflow closed in Temporal."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import grpc
import pytest

from clickcollect.gateway.v1 import order_views_pb2
from clickcollect.inventory.v1 import inventory_pb2_grpc
from deploy.local.stack import Stack
from services.common.grpc_errors import details_of
from tests.e2e.conftest import postgres_stack
from tests.e2e.multinode_checks import (
    assert_collected_once,
    assert_every_workflow_closed,
    assert_stock_adds_up,
    assert_told_once,
)
from tests.e2e.multinode_support import (
    DC,
    SPREAD,
    Customer,
    Terminals,
    customers,
    stock,
)

ORDERS = 100  # for SPREAD's 40 units
STATES = order_views_pb2
SHIP_TO_STORE = order_views_pb2.FULFILLMENT_TYPE_SHIP_TO_STORE


@pytest.fixture(scope="module")
async def cluster(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    folder = Path(tmp_path_factory.mktemp("multinode"))
    async with postgres_stack(folder, {"worker": 2, "gateway": 2, "inventory": 2}, lean=True) as up:
        yield up


@pytest.mark.postgres
async def test_orders_through_two_gateways_complete_once_when_a_worker_is_killed(
    cluster: Stack,
) -> None:
    config, sku = cluster.config, f"MN-{uuid.uuid4().hex[:8].upper()}"
    async with AsyncExitStack() as channels:
        gateways = [
            await channels.enter_async_context(grpc.aio.insecure_channel(config.target(name)))
            for name in config.names("gateway")
        ]
        inventory = await channels.enter_async_context(
            grpc.aio.insecure_channel(config.target("inventory"))
        )
        await stock(inventory_pb2_grpc.InventoryServiceStub(inventory), sku)
        shoppers = customers(gateways, ORDERS)

        placing = [asyncio.create_task(c.place(sku)) for c in shoppers]
        await _some_done(placing, ORDERS // 4)
        await cluster.kill("worker-2")  # mid-checkout
        await cluster.kill("inventory-2")
        results = await asyncio.gather(*placing, return_exceptions=True)
        await cluster.restart("worker-2")
        await cluster.restart("inventory-2")
        accepted = _accepted(shoppers, results)
        assert len(accepted) == sum(SPREAD.values()), "accepted units equal the stock exactly"
        sources = Counter(o.lines[0].allocations[0].location_id for _, o in accepted)
        assert sources == Counter(SPREAD)

        terminals = Terminals(gateways)
        working = [
            asyncio.create_task(_collect(terminals, customer, order, turn))
            for turn, (customer, order) in enumerate(accepted)
        ]
        await _some_done(working, len(working) // 4)
        await cluster.kill("worker")  # mid-store-work: the restarted copy carries on
        collected = await asyncio.gather(*working)

        for order in collected:
            assert_collected_once(order)
        await _each_sees_own_orders(shoppers, accepted)
        await assert_stock_adds_up(inventory, sku)
        async with grpc.aio.insecure_channel(config.target("notifications")) as notifications:
            await assert_told_once(notifications, [o.order_id for o in collected])
        ship_to_store = sum(o.fulfillment_type == SHIP_TO_STORE for o in collected)
        assert ship_to_store == SPREAD[DC]
        expected = Counter({("OrderWorkflow", "COMPLETED"): ORDERS})
        expected[("ShipToStoreWorkflow", "COMPLETED")] = ship_to_store
        await assert_every_workflow_closed(await cluster.client(), expected)


def _accepted(
    shoppers: list[Customer], results: Sequence[Any]
) -> list[tuple[Customer, order_views_pb2.CustomerOrder]]:
    """The orders accepted; every other answer is an out-of-stock refusal."""
    refused = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert {details_of(error).reason for error in refused} <= {"OUT_OF_STOCK"}, refused[:3]
    accepted = [
        (customer, result)
        for customer, result in zip(shoppers, results, strict=True)
        if isinstance(result, order_views_pb2.CustomerOrder)
    ]
    assert len(accepted) + len(refused) == len(results), [
        r for r in results if isinstance(r, BaseException)
    ][:3]
    return accepted


async def _collect(
    terminals: Terminals, customer: Customer, order: order_views_pb2.CustomerOrder, turn: int
) -> order_views_pb2.CustomerOrder:
    """Shipped in when it must be, picked, handed over: each step through either gateway."""
    if order.fulfillment_type == SHIP_TO_STORE:
        await terminals.ship_in(order, turn)
        await customer.until(order.order_id, STATES.ORDER_STATE_AWAITING_PICK)
    picked = await terminals.pick(order.order_id, turn)
    assert picked.state == STATES.ORDER_STATE_READY_FOR_PICKUP
    ready = await customer.until(order.order_id, STATES.ORDER_STATE_READY_FOR_PICKUP)
    done = await terminals.hand_over(order.order_id, ready.pickup_code, turn + 1)
    assert done.state == STATES.ORDER_STATE_PICKED_UP
    return await customer.order(order.order_id)


async def _each_sees_own_orders(
    shoppers: list[Customer], accepted: list[tuple[Customer, order_views_pb2.CustomerOrder]]
) -> None:
    """A customer's history holds their order once (none for a refused checkout)."""
    mine = {customer.request_id: order.order_id for customer, order in accepted}
    for customer in shoppers:
        history = [
            o.order_id for o in await customer.orders() if o.state != STATES.ORDER_STATE_REJECTED
        ]
        expected = [mine[customer.request_id]] if customer.request_id in mine else []
        assert history == expected, (customer.request_id, history)


async def _some_done(tasks: list[asyncio.Task[Any]], count: int) -> None:
    """Until `count` of the tasks have finished (the rest still running)."""
    pending = set(tasks)
    while len(tasks) - len(pending) < count:
        _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
