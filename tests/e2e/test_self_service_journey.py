"""A customer changes their mind before collecting, through the public gateway and the real
processes: moves the order to another store, extends the pickup window, says "I'm here" from
the curbside (the store's queue shows it at once) and sends a friend, who collects. Operations
extend a window from the `temporal` CLI, as the Temporal UI's "Update" does."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable
from datetime import timedelta
from typing import Any

import grpc

from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from clickcollect.gateway.v1 import order_views_pb2 as pb
from deploy.local.stack import Stack
from tests.e2e.returns_support import delivered
from tests.e2e.temporal_cli import temporal_update as run_update
from tests.support.gateway import Caller, refused

SKU = "YOGA-MAT"
INVALID = grpc.StatusCode.INVALID_ARGUMENT
REFUSED = grpc.StatusCode.FAILED_PRECONDITION


def checkout(caller: Caller, method: str, **fields: object) -> Awaitable[Any]:
    """A CheckoutService call with the caller's token."""
    request = getattr(checkout_pb2, f"{method}Request")(**fields)
    answer: Awaitable[Any] = getattr(caller.checkout, method)(request, metadata=caller.metadata)
    return answer


async def ready_queue(terminal: Caller) -> dict[str, pb.StoreOrder]:
    listed = await terminal.store_ops.ListStoreOrders(
        store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_READY, page_size=200),
        metadata=terminal.metadata,
    )
    return {order.order_id: order for order in listed.orders}


async def test_change_store_extend_arrive_at_the_curbside_and_a_friend_collects(
    stack: Stack, customer: Caller, terminal: Caller, other_terminal: Caller
) -> None:
    await delivered(stack, "STORE-002", SKU, 1)
    placed_with = f"checkout-move-{uuid.uuid4().hex[:12]}"
    order = await customer.place((SKU, 1), store="STORE-001", request_id=placed_with)
    moved = (
        await checkout(
            customer,
            "ChangePickupStore",
            request_id="move-e2e-0001",
            order_id=order.order_id,
            pickup_store_id="STORE-002",
        )
    ).order
    assert (moved.pickup_store_id, moved.state) == ("STORE-002", pb.ORDER_STATE_AWAITING_PICK)
    assert "pickup_store_changed" in [event.type for event in moved.timeline]

    picked = await other_terminal.store_ops.MarkPicked(  # STORE-002's terminal
        store_ops_pb2.MarkPickedRequest(request_id="pick-e2e-move-1", order_id=order.order_id),
        metadata=other_terminal.metadata,
    )
    assert picked.order.state == pb.ORDER_STATE_READY_FOR_PICKUP
    window = picked.order.pickup_expire_time.ToDatetime()

    extended = (
        await checkout(
            customer, "ExtendPickup", request_id="extend-e2e-0001", order_id=order.order_id
        )
    ).order
    assert extended.pickup_expire_time.ToDatetime() - window == timedelta(days=3)
    assert extended.pickup_extensions == 1
    twice = await refused(
        checkout(customer, "ExtendPickup", request_id="extend-e2e-0002", order_id=order.order_id)
    )
    assert (twice.code, twice.reason) == (REFUSED, "PICKUP_ALREADY_EXTENDED")

    named = (
        await checkout(
            customer,
            "SetCollector",
            request_id="friend-e2e-0001",
            order_id=order.order_id,
            collector_name="Grace Hopper",
        )
    ).order
    assert named.collector_name == "Grace Hopper"

    here = (
        await checkout(
            customer,
            "AnnounceArrival",
            request_id="here-e2e-0001",
            order_id=order.order_id,
            state=pb.ARRIVAL_STATE_HERE,
            vehicle_description="blue Volvo V60",
            bay="B7",
        )
    ).order
    assert here.customer_arrival.state == pb.ARRIVAL_STATE_HERE
    seen = (await ready_queue(other_terminal))[order.order_id]  # at once, no waiting
    arrival = seen.customer_arrival
    assert (arrival.state, arrival.vehicle_description, arrival.bay) == (
        pb.ARRIVAL_STATE_HERE,
        "blue Volvo V60",
        "B7",
    )
    assert arrival.announce_time.seconds > 0 and seen.collector_name == "Grace Hopper"
    assert order.order_id not in await ready_queue(terminal)  # the old store no longer has it

    code = here.pickup_code
    stranger = await refused(
        other_terminal.store_ops.ConfirmPickup(
            store_ops_pb2.ConfirmPickupRequest(
                request_id="handover-e2e-x1",
                order_id=order.order_id,
                pickup_code=code,
                collector_name="Bo Peep",
            ),
            metadata=other_terminal.metadata,
        )
    )
    assert (stranger.code, stranger.reason) == (INVALID, "COLLECTOR_NOT_ALLOWED")
    assert [v.field for v in stranger.violations] == ["collector_name"]
    done = await other_terminal.store_ops.ConfirmPickup(
        store_ops_pb2.ConfirmPickupRequest(
            request_id="handover-e2e-ok",
            order_id=order.order_id,
            pickup_code=code,
            collector_name="grace hopper",
        ),
        metadata=other_terminal.metadata,
    )
    assert done.order.state == pb.ORDER_STATE_PICKED_UP
    assert done.order.collected_by == "grace hopper"

    repeat = (
        await checkout(
            customer,
            "AnnounceArrival",
            request_id="here-e2e-0001",
            order_id=order.order_id,
            state=pb.ARRIVAL_STATE_HERE,
        )
    ).order
    assert repeat.state == pb.ORDER_STATE_PICKED_UP  # a repeat after the end: the first answer
    late = await refused(
        checkout(
            customer,
            "SetCollector",
            request_id="friend-e2e-0002",
            order_id=order.order_id,
            collector_name="Ada",
        )
    )
    assert (late.code, late.metadata["state"]) == (REFUSED, "PICKED_UP")
    placed_again = await customer.place((SKU, 1), store="STORE-001", request_id=placed_with)
    assert placed_again.order_id == order.order_id  # still the same request, moved or not


async def test_bad_self_service_requests_name_the_field_and_others_orders_do_not_exist(
    customer: Caller, other_customer: Caller
) -> None:
    order = await customer.place(("SOCKS-5PK", 1))
    bad = await refused(
        checkout(
            customer,
            "AnnounceArrival",
            request_id="here-bad-0001",
            order_id=order.order_id,
            state=pb.ARRIVAL_STATE_ARRIVING,
            vehicle_description="v" * 61,
            bay="b" * 17,
        )
    )
    assert bad.code == INVALID
    assert {v.field for v in bad.violations} == {"vehicle_description", "bay"}
    nameless = await refused(
        checkout(
            customer,
            "SetCollector",
            request_id="friend-bad-0001",
            order_id=order.order_id,
            collector_name="x" * 81,
        )
    )
    assert [v.field for v in nameless.violations] == ["collector_name"]
    early = await refused(
        checkout(
            customer,
            "AnnounceArrival",
            request_id="here-early-0001",
            order_id=order.order_id,
            state=pb.ARRIVAL_STATE_HERE,
        )
    )
    assert (early.code, early.metadata["state"]) == (REFUSED, "AWAITING_PICK")
    move = {"order_id": order.order_id}
    same = await refused(
        checkout(
            customer,
            "ChangePickupStore",
            request_id="move-same-01",
            pickup_store_id="STORE-001",
            **move,
        )
    )
    assert (same.code, [v.field for v in same.violations]) == (INVALID, ["pickup_store_id"])
    dock = await refused(
        checkout(
            customer,
            "ChangePickupStore",
            request_id="move-dc-0001",
            pickup_store_id="DC-01",
            **move,
        )
    )
    assert (dock.code, dock.reason) == (REFUSED, "PICKUP_NOT_OFFERED")

    theirs = await refused(
        checkout(
            other_customer, "ExtendPickup", request_id="extend-theirs-1", order_id=order.order_id
        )
    )
    unknown = await refused(
        checkout(
            other_customer, "ExtendPickup", request_id="extend-theirs-2", order_id="ORD-0000000000"
        )
    )
    assert (theirs.code, theirs.reason) == (grpc.StatusCode.NOT_FOUND, "ORDER_NOT_FOUND")
    assert (unknown.code, unknown.reason) == (theirs.code, theirs.reason)
    assert theirs.message.replace(order.order_id, "X") == unknown.message.replace(
        "ORD-0000000000", "X"
    )
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    assert not mine.order.HasField("customer_arrival") and mine.order.collector_name == ""


async def test_operations_extend_a_window_with_the_temporal_cli(
    stack: Stack, customer: Caller, terminal: Caller
) -> None:
    await delivered(stack, "STORE-001", "MUG-CERAMIC", 1)
    order = await customer.place(("MUG-CERAMIC", 1))
    picked = await terminal.store_ops.MarkPicked(
        store_ops_pb2.MarkPickedRequest(request_id="pick-e2e-ops-1", order_id=order.order_id),
        metadata=terminal.metadata,
    )
    window = picked.order.pickup_expire_time.ToDatetime()
    ops = {"request_id": "ops-extend-e2e-1", "days": 5, "requested_by": "operations"}

    answer = await temporal_update(stack, f"order-{order.order_id}", "extend_pickup", ops)
    assert "READY_FOR_PICKUP" in answer  # the update's answer: the order's status
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    assert mine.order.pickup_expire_time.ToDatetime() - window == timedelta(days=5)
    assert "(operations)" in mine.order.timeline[-1].detail
    refused_days = await temporal_update(
        stack,
        f"order-{order.order_id}",
        "extend_pickup",
        {**ops, "request_id": "ops-extend-e2e-2", "days": 30},
        succeeds=False,
    )
    assert "days" in refused_days


async def temporal_update(
    stack: Stack, workflow_id: str, name: str, arg: dict[str, object], succeeds: bool = True
) -> str:
    """`temporal workflow update execute`, as an operator runs it (the UI sends the same)."""
    code, output = await run_update(stack, workflow_id, name, arg)
    assert (code == 0) == succeeds, output
    return output
