"""OpenOrder over real gRPC on SQLite and PostgreSQL: the checkout recorded in one step (order,
route, authorization, first state), idempotent, a declined card leaving a rejected order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import deadline, get, opening, refused, route_request

if TYPE_CHECKING:
    from tests.support.orders import Stub


async def test_an_opened_order_is_routed_authorized_and_awaits_its_pick(orders: Stub) -> None:
    request = opening()
    opened = await orders.OpenOrder(request)

    assert opened.order.state == pb.ORDER_STATE_AWAITING_PICK
    assert opened.authorization.operation == pb.PAYMENT_OPERATION_AUTHORIZE
    assert opened.authorization.amount.amount_minor == 2 * 1250 + 500
    record = await get(orders, request.order.order_id)
    assert record.pick_deadline == deadline()
    assert [a.location_id for a in record.lines[0].allocations] == ["STORE-001"]
    assert [e.type for e in record.timeline] == [
        "order_created",
        "order_routed",
        "payment_authorized",
        "order_accepted",
    ]


async def test_a_repeated_opening_changes_nothing_and_answers_the_same(orders: Stub) -> None:
    request = opening()
    first = await orders.OpenOrder(request)
    again = await orders.OpenOrder(request)
    assert again.authorization.payment_id == first.authorization.payment_id
    record = await get(orders, request.order.order_id)
    assert len(record.payments) == 1 and len(record.timeline) == 4


async def test_a_repeated_opening_shipped_in_from_elsewhere_answers_the_same(
    orders: Stub,
) -> None:
    """A checkout retried after its first opening went through (the answer lost in a crash):
    the route recorded then changed the order's lines, yet the repeat is the same request."""
    request = opening()
    request.route.CopyFrom(
        route_request(request.order.order_id, {1: [("DC-01", 2)], 2: [("DC-01", 1)]})
    )
    request.ClearField("transition")
    first = await orders.OpenOrder(request)
    again = await orders.OpenOrder(request)
    assert again.order.fulfillment_type == pb.FULFILLMENT_TYPE_SHIP_TO_STORE
    assert again.authorization.payment_id == first.authorization.payment_id
    record = await get(orders, request.order.order_id)
    assert len(record.payments) == 1 and len(record.timeline) == 3


async def test_an_order_id_opened_again_with_other_lines_is_refused(orders: Stub) -> None:
    request = opening()
    await orders.OpenOrder(request)
    other = opening(request_id=f"{request.request_id}-other")
    other.order.CopyFrom(request.order)
    other.order.lines[0].quantity += 1
    error = await refused(orders.OpenOrder(other))
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "ORDER_EXISTS")


async def test_a_declined_card_leaves_the_order_rejected_and_is_refused(orders: Stub) -> None:
    request = opening(payment_method="pm_card_declined")
    error = await refused(orders.OpenOrder(request))
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "PAYMENT_DECLINED")
    record = await get(orders, request.order.order_id)
    assert (record.state, record.state_reason) == (pb.ORDER_STATE_REJECTED, "PAYMENT_DECLINED")
    repeat = await refused(orders.OpenOrder(request))
    assert repeat.reason == "PAYMENT_DECLINED"
    assert len((await get(orders, request.order.order_id)).payments) == 1


async def test_without_a_first_state_the_opened_order_stays_pending(orders: Stub) -> None:
    request = opening()
    request.ClearField("transition")
    opened = await orders.OpenOrder(request)
    assert opened.order.state == pb.ORDER_STATE_PENDING
    assert opened.authorization.status == pb.PAYMENT_STATUS_SUCCEEDED


async def test_a_bad_part_is_named_from_the_opening_and_nothing_is_kept(orders: Stub) -> None:
    request = opening()
    request.route.lines[0].allocations[0].quantity = 0
    error = await refused(orders.OpenOrder(request))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "route.lines[0].allocations[0].quantity" in [v.field for v in error.violations]
    assert (await refused(get(orders, request.order.order_id))).code == grpc.StatusCode.NOT_FOUND


async def test_a_refused_checkout_is_recorded_rejected_with_no_route_or_payment(
    orders: Stub,
) -> None:
    refusal = pb.TransitionOrderRequest(
        state=pb.ORDER_STATE_REJECTED,
        event="order_rejected",
        detail="not enough stock: 3 x MUG-CERAMIC asked, 1 available",
        state_reason="OUT_OF_STOCK",
    )
    request = opening(transition=refusal, payment_method="")
    opened = await orders.OpenOrder(request)
    assert opened.order.state == pb.ORDER_STATE_REJECTED
    assert not opened.HasField("authorization")
    record = await get(orders, request.order.order_id)
    assert record.state_reason == "OUT_OF_STOCK" and not record.payments
    assert not record.lines[0].allocations
