"""Journeys' building blocks through the public gateway: an order collected at the counter, a
till sale, a look at a location's stock."""

from __future__ import annotations

import uuid

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from services.common.clients import channel
from tests.support.gateway import Caller


async def collected(
    customer: Caller, terminal: Caller, *lines: tuple[str, int], **collect: int
) -> order_views_pb2.StoreOrder:
    """Placed online for the terminal's store, picked, and handed over (all of it, or the
    quantities per sku given in ``collect``)."""
    order = await customer.place(*lines, request_id=f"order-{uuid.uuid4().hex[:12]}")
    await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id=_rid("pick"), order_id=order.order_id),
        metadata=terminal.metadata,
    )
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    handover = store_ops_pb2.ConfirmPickupRequest(
        request_id=_rid("handover"),
        order_id=order.order_id,
        pickup_code=mine.order.pickup_code,
        collector_name="Ada Lovelace",
        collected=[store_ops_pb2.CollectedItem(sku=s, quantity=q) for s, q in collect.items()],
    )
    done = await terminal.store_ops.ConfirmPickup(handover, metadata=terminal.metadata)
    assert done.order.state == order_views_pb2.ORDER_STATE_PICKED_UP
    return done.order


async def till_sale(
    terminal: Caller, *lines: tuple[str, int], customer_id: str = "cust-1001"
) -> order_views_pb2.StoreOrder:
    request = store_ops_pb2.RecordStoreSaleRequest(
        request_id=_rid("sale"),
        receipt_number=f"R-{uuid.uuid4().hex[:8]}",
        customer_id=customer_id,
        customer_email="ada@example.com" if customer_id else "",
        lines=[store_ops_pb2.SaleLine(sku=sku, quantity=qty) for sku, qty in lines],
        payment_method="pm_card_visa",
    )
    return (await terminal.store_ops.RecordStoreSale(request, metadata=terminal.metadata)).order


def returned(sku: str, quantity: int, damaged: bool = False) -> store_ops_pb2.ReturnedLine:
    condition = (
        order_views_pb2.ITEM_CONDITION_DAMAGED
        if damaged
        else order_views_pb2.ITEM_CONDITION_RESELLABLE
    )
    return store_ops_pb2.ReturnedLine(sku=sku, quantity=quantity, condition=condition)


async def on_hand(stack: Stack, location_id: str, sku: str) -> int:
    async with channel(stack.config.target("inventory")) as open_channel:
        stub = inventory_pb2_grpc.InventoryServiceStub(open_channel)
        request = inventory_pb2.GetStockRequest(location_ids=[location_id], skus=[sku])
        return (await stub.GetStock(request)).levels[0].on_hand


def payments(
    order: order_views_pb2.CustomerOrder | order_views_pb2.StoreOrder,
) -> list[tuple[str, int]]:
    return [
        (
            order_views_pb2.PaymentOperation.Name(p.operation).removeprefix("PAYMENT_OPERATION_"),
            p.amount.amount_minor,
        )
        for p in order.payments
    ]


def _rid(kind: str) -> str:
    return f"{kind}-{uuid.uuid4().hex[:12]}"


async def delivered(stack: Stack, location_id: str, sku: str, quantity: int) -> None:
    """A delivery lands on the shelf (the e2e stack's stock is shared by every test)."""
    async with channel(stack.config.target("inventory")) as open_channel:
        stub = inventory_pb2_grpc.InventoryServiceStub(open_channel)
        request = inventory_pb2.AdjustStockRequest(
            request_id=_rid("delivery"),
            location_id=location_id,
            sku=sku,
            on_hand_delta=quantity,
            kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
            reason="delivery",
        )
        await stub.AdjustStock(request)
