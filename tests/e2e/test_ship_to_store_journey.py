"""The shelf is empty: the order is shipped in from the DC, received by the pickup store's
terminal, picked and collected — through the public gateway."""

from __future__ import annotations

import asyncio

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, refused, token

LAMP = "LAMP-DESK-01"  # no store has lamps; the DC does


async def test_an_order_shipped_in_from_the_dc_is_received_picked_and_collected(
    stack: Stack, gateway_channel: grpc.aio.Channel, customer: Caller, terminal: Caller
) -> None:
    dc = Caller(gateway_channel, bearer(token(Role.STORE, "dc-dock-1", "DC-01")))
    other_store = Caller(gateway_channel, bearer(token(Role.STORE, "terminal-002-a", "STORE-002")))
    options = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id="STORE-001", lines=[checkout_pb2.BasketLine(sku=LAMP, quantity=1)]
        ),
        metadata=customer.metadata,
    )
    option = options.options[0]
    assert option.availability == checkout_pb2.PICKUP_AVAILABILITY_SHIP_TO_STORE
    assert list(option.source_ids) == ["DC-01"] and option.ready_by.seconds > 0

    order = await customer.place((LAMP, 1))
    assert order.state == order_views_pb2.ORDER_STATE_IN_TRANSIT
    assert order.fulfillment_type == order_views_pb2.FULFILLMENT_TYPE_SHIP_TO_STORE
    assert order.lines[0].allocations[0].location_id == "DC-01"
    transfer = order.shipments[0].transfer_id
    assert transfer == f"transfer-{order.order_id}-1"

    arriving = await terminal.store_ops.ListStoreOrders(
        store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_ARRIVING),
        metadata=terminal.metadata,
    )
    listed = {o.order_id: o for o in arriving.orders}
    assert listed[order.order_id].route_explanation, "the store can see why the DC was chosen"

    ship = store_ops_pb2.ShipTransferRequest(request_id=f"ship-{transfer}", transfer_id=transfer)
    error = await refused(terminal.store_ops.ShipTransfer(ship, metadata=terminal.metadata))
    assert (error.code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "WRONG_LOCATION")
    shipped = await dc.store_ops.ShipTransfer(ship, metadata=dc.metadata)
    assert shipped.order.shipments[0].state == order_views_pb2.SHIPMENT_STATE_SHIPPED

    receive = store_ops_pb2.ReceiveTransferRequest(
        request_id=f"recv-{transfer}", transfer_id=transfer
    )
    error = await refused(
        other_store.store_ops.ReceiveTransfer(receive, metadata=other_store.metadata)
    )
    assert (error.code, error.reason) == (grpc.StatusCode.PERMISSION_DENIED, "WRONG_LOCATION")
    too_many = store_ops_pb2.ReceiveTransferRequest(
        request_id=f"recv-many-{transfer}",
        transfer_id=transfer,
        items=[store_ops_pb2.TransferItem(sku=LAMP, quantity=3)],
    )
    error = await refused(terminal.store_ops.ReceiveTransfer(too_many, metadata=terminal.metadata))
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RECEIVED_MORE_THAN_SHIPPED",
    )
    await terminal.store_ops.ReceiveTransfer(receive, metadata=terminal.metadata)
    again = store_ops_pb2.ReceiveTransferRequest(
        request_id=f"recv-2-{transfer}", transfer_id=transfer
    )
    error = await refused(terminal.store_ops.ReceiveTransfer(again, metadata=terminal.metadata))
    assert error.code == grpc.StatusCode.FAILED_PRECONDITION

    mine = await _await_state(customer, order.order_id, order_views_pb2.ORDER_STATE_AWAITING_PICK)
    assert mine.shipments[0].state == order_views_pb2.SHIPMENT_STATE_RECEIVED
    level = await _stock(stack, "STORE-001", LAMP)
    assert (level.on_hand, level.reserved, level.in_transit) == (1, 1, 0)

    await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id=f"pick-{transfer}", order_id=order.order_id),
        metadata=terminal.metadata,
    )
    code = (
        await _await_state(customer, order.order_id, order_views_pb2.ORDER_STATE_READY_FOR_PICKUP)
    ).pickup_code
    done = await terminal.store_ops.ConfirmPickup(
        store_ops_pb2.ConfirmPickupRequest(
            request_id=f"handover-{transfer}",
            order_id=order.order_id,
            pickup_code=code,
            collector_name="Ada",
        ),
        metadata=terminal.metadata,
    )
    assert done.order.state == order_views_pb2.ORDER_STATE_PICKED_UP
    level = await _stock(stack, "STORE-001", LAMP)
    assert (level.on_hand, level.reserved) == (0, 0)


async def _await_state(
    customer: Caller, order_id: str, state: order_views_pb2.OrderState.ValueType
) -> order_views_pb2.CustomerOrder:
    for _ in range(100):
        order = (
            await customer.checkout.GetOrder(
                checkout_pb2.GetOrderRequest(order_id=order_id), metadata=customer.metadata
            )
        ).order
        if order.state == state:
            return order
        await asyncio.sleep(0.1)
    raise AssertionError(f"order {order_id} never reached {order_views_pb2.OrderState.Name(state)}")


async def _stock(stack: Stack, location_id: str, sku: str) -> inventory_pb2.StockLevel:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=[location_id], skus=[sku])
        return (await inventory.GetStock(request)).levels[0]
