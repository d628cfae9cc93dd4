"""What the multi-node run must leave behind, read from the services and from Temporal."""

from __future__ import annotations

import asyncio
from collections import Counter

import grpc
from temporalio.client import Client

from clickcollect.gateway.v1 import order_views_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from tests.e2e.multinode_support import SPREAD

TEMPLATES = notifications_pb2.Template
PAYMENTS = order_views_pb2.PaymentOperation
# Every order handed over was told it is confirmed, ready, and collected: once each.
TOLD = {
    TEMPLATES.TEMPLATE_ORDER_CONFIRMED,
    TEMPLATES.TEMPLATE_READY_FOR_PICKUP,
    TEMPLATES.TEMPLATE_ORDER_PICKED_UP,
}


def assert_collected_once(order: order_views_pb2.CustomerOrder) -> None:
    """Picked up, authorized once and captured once, every step of its timeline once."""
    assert order.state == order_views_pb2.ORDER_STATE_PICKED_UP, order.order_id
    operations = sorted(PAYMENTS.Name(p.operation) for p in order.payments)
    assert operations == ["PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_OPERATION_CAPTURE"], (
        order.order_id,
        operations,
    )
    steps = Counter(event.type for event in order.timeline)
    assert max(steps.values()) == 1, (order.order_id, steps)


async def assert_stock_adds_up(channel: grpc.aio.Channel, sku: str) -> None:
    """Every unit sold, none reserved or on the road; each level is the sum of its ledger."""
    inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
    request = inventory_pb2.GetStockRequest(location_ids=list(SPREAD), skus=[sku])
    levels = (await inventory.GetStock(request)).levels
    assert {level.location_id for level in levels} == set(SPREAD)
    for level in levels:
        assert (level.on_hand, level.reserved, level.in_transit) == (0, 0, 0), level
        movements = await _ledger(inventory, level.location_id, sku)
        assert sum(m.on_hand_delta for m in movements) == level.on_hand
        assert sum(m.reserved_delta for m in movements) == level.reserved
        applied = Counter((m.kind, m.reference) for m in movements)
        assert max(applied.values()) == 1, "no change applied twice"


async def assert_told_once(channel: grpc.aio.Channel, order_ids: list[str]) -> None:
    """One message of each kind per order, whatever was sent twice."""
    notifications = notifications_pb2_grpc.NotificationServiceStub(channel)
    for order_id in order_ids:
        reply = await notifications.ListNotifications(
            notifications_pb2.ListNotificationsRequest(order_id=order_id, page_size=100)
        )
        kinds = Counter(n.template for n in reply.notifications)
        assert max(kinds.values()) == 1, (order_id, kinds)
        assert set(kinds) >= TOLD, (order_id, [TEMPLATES.Name(k) for k in kinds])
        for notification in reply.notifications:
            channels = Counter(d.channel for d in notification.deliveries)
            assert not channels or max(channels.values()) == 1, (order_id, notification)


async def assert_every_workflow_closed(client: Client, expected: Counter[tuple[str, str]]) -> None:
    """Temporal holds exactly the expected workflows, by type and status: none running,
    failed or timed out (visibility catches up within seconds)."""
    seen: Counter[tuple[str, str]] = Counter()
    for _ in range(100):
        seen = Counter(
            [
                (w.workflow_type, w.status.name if w.status else "")
                async for w in client.list_workflows()
            ]
        )
        if seen == expected:
            return
        await asyncio.sleep(0.3)
    assert seen == expected


async def _ledger(
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub, location_id: str, sku: str
) -> list[inventory_pb2.Movement]:
    movements: list[inventory_pb2.Movement] = []
    page_token = ""
    while True:
        page = await inventory.ListMovements(
            inventory_pb2.ListMovementsRequest(
                location_id=location_id, sku=sku, page_size=200, page_token=page_token
            )
        )
        movements += page.movements
        page_token = page.next_page_token
        if not page_token:
            return movements
