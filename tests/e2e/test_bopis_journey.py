"""A customer buys online and collects at the store, through the public gateway."""

from __future__ import annotations

import asyncio

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from tests.support.gateway import Caller, refused

SHIRT = "TSHIRT-WHT-M"


async def test_customer_buys_online_and_collects_at_the_store(
    stack: Stack, customer: Caller, terminal: Caller
) -> None:
    options = await customer.checkout.GetPickupOptions(
        checkout_pb2.GetPickupOptionsRequest(
            store_id="STORE-001", lines=[checkout_pb2.BasketLine(sku=SHIRT, quantity=2)]
        ),
        metadata=customer.metadata,
    )
    assert options.options[0].availability == checkout_pb2.PICKUP_AVAILABILITY_PICKUP_IN_STORE

    order = await customer.place((SHIRT, 2), request_id="journey-0001")
    assert order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK
    assert order.ready_by.seconds > 0 and order.total.amount_minor == 2 * 1999
    again = await customer.place((SHIRT, 2), request_id="journey-0001")
    assert again.order_id == order.order_id

    queue = await terminal.store_ops.ListStoreOrders(
        store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_TO_PICK),
        metadata=terminal.metadata,
    )
    assert order.order_id in [o.order_id for o in queue.orders]

    picked = await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id="pick-journey-1", order_id=order.order_id),
        metadata=terminal.metadata,
    )
    assert picked.order.state == order_views_pb2.ORDER_STATE_READY_FOR_PICKUP
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    code = mine.order.pickup_code
    assert len(code) == 6
    assert code.encode() not in picked.order.SerializeToString()  # the terminal never sees it

    wrong = "000000" if code != "000000" else "111111"
    error = await refused(
        terminal.store_ops.ConfirmPickup(
            _handover(order.order_id, wrong, "h-1"), metadata=terminal.metadata
        )
    )
    assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PICKUP_CODE")
    assert error.metadata["attempts_left"] == "4"

    done = await terminal.store_ops.ConfirmPickup(
        _handover(order.order_id, code, "h-2"), metadata=terminal.metadata
    )
    assert done.order.state == order_views_pb2.ORDER_STATE_PICKED_UP
    assert done.order.collected_by == "Ada Lovelace"

    repeat = await terminal.store_ops.ConfirmPickup(
        _handover(order.order_id, code, "h-2"), metadata=terminal.metadata
    )
    assert (
        repeat.order.state == order_views_pb2.ORDER_STATE_PICKED_UP
    )  # a retry gets the first answer
    error = await refused(
        terminal.store_ops.ConfirmPickup(
            _handover(order.order_id, code, "h-3"), metadata=terminal.metadata
        )
    )
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_ALREADY_PICKED_UP",
    )

    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata
    )
    assert order.order_id in [o.order_id for o in history.orders]
    counter_view = await terminal.store_ops.LookupCustomer(
        store_ops_pb2.LookupCustomerRequest(customer_id="cust-1001"), metadata=terminal.metadata
    )
    seen = {o.order_id: o for o in counter_view.orders}
    assert seen[order.order_id].state == order_views_pb2.ORDER_STATE_PICKED_UP
    assert code.encode() not in counter_view.SerializeToString()
    await _visible_in_temporal(stack, order.order_id, "PICKED_UP")


async def test_customer_cancels_and_the_stock_returns_to_the_shelf(
    stack: Stack, customer: Caller
) -> None:
    before = await _stock(stack, "STORE-001", "UMBRELLA-CMP")
    order = await customer.place(("UMBRELLA-CMP", 1))
    assert (await _stock(stack, "STORE-001", "UMBRELLA-CMP")).reserved == before.reserved + 1
    cancelled = await customer.checkout.CancelOrder(
        checkout_pb2.CancelOrderRequest(
            request_id="cancel-e2e-1", order_id=order.order_id, reason="found it cheaper"
        ),
        metadata=customer.metadata,
    )
    assert cancelled.order.state == order_views_pb2.ORDER_STATE_CANCELLED
    again = await customer.checkout.CancelOrder(
        checkout_pb2.CancelOrderRequest(request_id="cancel-e2e-1", order_id=order.order_id),
        metadata=customer.metadata,
    )
    assert again.order.state == order_views_pb2.ORDER_STATE_CANCELLED
    after = await _stock(stack, "STORE-001", "UMBRELLA-CMP")
    assert (after.on_hand, after.reserved) == (before.on_hand, before.reserved)
    operations = [
        order_views_pb2.PaymentOperation.Name(p.operation) for p in cancelled.order.payments
    ]
    assert operations == ["PAYMENT_OPERATION_AUTHORIZE", "PAYMENT_OPERATION_VOID"]


async def test_the_fifth_wrong_code_locks_the_hand_over_and_says_so(
    customer: Caller, terminal: Caller
) -> None:
    order = await customer.place(("MUG-CERAMIC", 1))
    pick = store_ops_pb2.MarkPickedRequest(
        request_id=f"pk-{order.order_id}", order_id=order.order_id
    )
    await terminal.store_ops.MarkPicked(pick, metadata=terminal.metadata)
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    wrong = "000000" if mine.order.pickup_code != "000000" else "111111"
    answers = []
    for attempt in range(6):
        handover = _handover(order.order_id, wrong, f"wrong-{attempt}")
        error = await refused(
            terminal.store_ops.ConfirmPickup(handover, metadata=terminal.metadata)
        )
        answers.append((error.code, error.reason, error.metadata.get("attempts_left")))
    invalid, locked = grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.FAILED_PRECONDITION
    assert answers[:4] == [(invalid, "INVALID_PICKUP_CODE", str(left)) for left in (4, 3, 2, 1)]
    assert answers[4] == (locked, "PICKUP_LOCKED", "0")  # the fifth says the order is locked
    assert answers[5][:2] == (locked, "PICKUP_LOCKED")


def _handover(order_id: str, code: str, request_id: str) -> store_ops_pb2.ConfirmPickupRequest:
    return store_ops_pb2.ConfirmPickupRequest(
        request_id=f"{request_id}-{order_id}",
        order_id=order_id,
        pickup_code=code,
        collector_name="Ada Lovelace",
    )


async def _stock(stack: Stack, location_id: str, sku: str) -> inventory_pb2.StockLevel:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=[location_id], skus=[sku])
        return (await inventory.GetStock(request)).levels[0]


async def _visible_in_temporal(stack: Stack, order_id: str, state: str) -> None:
    client = await stack.client()
    query = (
        f'WorkflowId = "order-{order_id}" AND OrderState = "{state}"'
        ' AND PickupStoreId = "STORE-001"'
    )
    for _ in range(50):
        if [w async for w in client.list_workflows(query)]:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"order-{order_id} not visible with {query}")
