"""Operations press "Request Cancellation" in the Temporal UI (here: `temporal workflow cancel`,
the same request): an order compensates exactly like CancelOrder by operations, and stays safe
for every later command; transfers and returns run on, with the request on the order's timeline."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable

import grpc
from temporalio.client import WorkflowExecutionStatus

from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from clickcollect.gateway.v1 import order_views_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from deploy.local.stack_config import BIN
from services.gateway.domain import Role
from tests.e2e.returns_support import collected, delivered, payments
from tests.support.gateway import Caller, bearer, refused, token

SKU = "MUG-CERAMIC"
REFUSED = grpc.StatusCode.FAILED_PRECONDITION
Read = Callable[[], Awaitable[pb.CustomerOrder]]


async def cancel_in_temporal(stack: Stack, workflow_id: str) -> None:
    """What the UI's "Request Cancellation" sends, through the CLI an operator would use."""
    process = await asyncio.create_subprocess_exec(
        str(BIN / "temporal"),
        "workflow",
        "cancel",
        "--workflow-id",
        workflow_id,
        "--address",
        stack.config.temporal_address,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()


async def reserved(stack: Stack, location_id: str, sku: str) -> int:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        stub = inventory_pb2_grpc.InventoryServiceStub(channel)
        request = inventory_pb2.GetStockRequest(location_ids=[location_id], skus=[sku])
        return (await stub.GetStock(request)).levels[0].reserved


async def until(
    read: Callable[[], Awaitable[pb.CustomerOrder]], done: Callable[[pb.CustomerOrder], bool]
) -> pb.CustomerOrder:
    for _ in range(200):
        order = await read()
        if done(order):
            return order
        await asyncio.sleep(0.1)
    raise AssertionError(f"never reached: {order}")


def reader(caller: Caller, order_id: str) -> Read:
    async def read() -> pb.CustomerOrder:
        request = checkout_pb2.GetOrderRequest(order_id=order_id)
        return (await caller.checkout.GetOrder(request, metadata=caller.metadata)).order

    return read


async def test_a_cancel_request_compensates_like_cancel_order_and_leaves_nothing_stuck(
    stack: Stack, customer: Caller, terminal: Caller
) -> None:
    await delivered(stack, "STORE-001", SKU, 1)
    before = await reserved(stack, "STORE-001", SKU)
    order = await customer.place((SKU, 1))
    assert await reserved(stack, "STORE-001", SKU) == before + 1
    await cancel_in_temporal(stack, f"order-{order.order_id}")
    await cancel_in_temporal(stack, f"order-{order.order_id}")  # pressed twice: still one cancel

    done = await until(
        reader(customer, order.order_id), lambda o: o.state == pb.ORDER_STATE_CANCELLED
    )
    assert done.state_reason == "CANCELLED_BY_OPERATIONS"
    assert [kind for kind, _ in payments(done)] == ["AUTHORIZE", "VOID"]
    assert await reserved(stack, "STORE-001", SKU) == before
    assert [e.type for e in done.timeline].count("order_cancelled") == 1

    pick = store_ops_pb2.MarkPickedRequest(
        request_id=f"pk-{uuid.uuid4().hex}", order_id=done.order_id
    )
    error = await refused(terminal.store_ops.MarkPicked(pick, metadata=terminal.metadata))
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_AWAITING_PICK",
    )
    cancel = checkout_pb2.CancelOrderRequest(
        request_id=f"cx-{uuid.uuid4().hex}", order_id=done.order_id
    )
    error = await refused(customer.checkout.CancelOrder(cancel, metadata=customer.metadata))
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_CANCELLABLE",
    )


async def test_a_cancel_request_on_a_transfer_is_noted_and_cancelling_the_order_stops_it(
    stack: Stack, customer: Caller
) -> None:
    before = await reserved(stack, "DC-01", "LAMP-DESK-01")
    order = await customer.place(("LAMP-DESK-01", 1))
    transfer = order.shipments[0].transfer_id
    await cancel_in_temporal(stack, transfer)
    noted = await until(
        reader(customer, order.order_id), lambda o: "cancel_ignored" in [e.type for e in o.timeline]
    )
    assert noted.state == pb.ORDER_STATE_IN_TRANSIT
    client = await stack.client()
    described = await client.get_workflow_handle(transfer).describe()
    assert described.status == WorkflowExecutionStatus.RUNNING  # the transfer goes on

    await cancel_in_temporal(stack, f"order-{order.order_id}")
    done = await until(
        reader(customer, order.order_id), lambda o: o.state == pb.ORDER_STATE_CANCELLED
    )
    assert done.state_reason == "CANCELLED_BY_OPERATIONS"
    assert await reserved(stack, "DC-01", "LAMP-DESK-01") == before


async def test_a_cancel_request_on_a_mail_return_is_noted_and_the_parcel_still_refunded(
    stack: Stack, gateway_channel: grpc.aio.Channel, customer: Caller, terminal: Caller
) -> None:
    dc = Caller(gateway_channel, bearer(token(Role.STORE, "dc-dock-1", "DC-01")))
    await delivered(stack, "STORE-001", SKU, 1)
    order = await collected(customer, terminal, (SKU, 1))
    ask = checkout_pb2.RequestReturnRequest(
        request_id=f"rr-{uuid.uuid4().hex}",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SKU, quantity=1)],
    )
    opened = (await customer.checkout.RequestReturn(ask, metadata=customer.metadata)).order_return
    await cancel_in_temporal(stack, f"return-{opened.return_id}")
    await until(
        reader(customer, order.order_id),
        lambda o: "return_cancel_ignored" in [e.type for e in o.timeline],
    )
    parcel = store_ops_pb2.ReceiveReturnRequest(
        request_id=f"rp-{opened.return_id}",
        return_id=opened.rma_number,
        lines=[
            store_ops_pb2.ReturnedLine(sku=SKU, quantity=1, condition=pb.ITEM_CONDITION_RESELLABLE)
        ],
    )
    received = await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)
    assert received.order_return.state == pb.RETURN_STATE_REFUNDED
