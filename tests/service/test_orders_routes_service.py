"""Routes and cancelled lines of orders over real gRPC, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import (
    cancel_request,
    create,
    eur,
    get,
    move,
    new_order_id,
    refused,
    route_request,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub

SHIP = pb.FULFILLMENT_TYPE_SHIP_TO_STORE


def stamp(hours: int) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=hours))
    return value


def candidate(location: str, verdict: str, reason: str, km: float = 0.0) -> pb.RouteCandidate:
    return pb.RouteCandidate(location_id=location, verdict=verdict, reason=reason, distance_km=km)


async def ship_to_store_order(orders: Stub, **fields: Any) -> pb.Order:
    """2 x SKU-1 (12.50) + 1 x SKU-2 (5.00), to be shipped to the store."""
    return await create(orders, fulfillment_type=SHIP, **fields)


# ---- RecordRoute ---------------------------------------------------------------------------


async def test_route_stores_sources_explanation_and_ready_by(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    request = route_request(
        order.order_id,
        {1: [("DC-01", 1), ("STORE-002", 1)], 2: [("DC-01", 1)]},
        explanation=[
            candidate("STORE-001", "REJECTED", "no stock on the shelf"),
            candidate("DC-01", "CHOSEN", "all lines, earliest ready-by", 42.5),
        ],
        ready_by=stamp(48),
    )

    routed = (await orders.RecordRoute(request)).order

    assert routed.fulfillment_type == SHIP
    assert [(a.location_id, a.quantity) for a in routed.lines[0].allocations] == [
        ("DC-01", 1),
        ("STORE-002", 1),
    ]
    assert [line.source_location_id for line in routed.lines] == ["DC-01", "DC-01"]
    assert [(c.location_id, c.verdict) for c in routed.route_explanation] == [
        ("STORE-001", "REJECTED"),
        ("DC-01", "CHOSEN"),
    ]
    assert routed.route_explanation[1].distance_km == 42.5
    assert routed.ready_by == stamp(48)
    last = routed.timeline[-1]
    assert (last.type, last.detail, last.request_id) == (
        "order_routed",
        "ship-to-store from DC-01, STORE-002",
        request.request_id,
    )
    assert await get(orders, order.order_id) == routed


async def test_repeated_route_returns_the_order_unchanged(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    first_request = route_request(order.order_id, {1: [("DC-01", 2)], 2: [("DC-01", 1)]})
    first = (await orders.RecordRoute(first_request)).order
    again = (await orders.RecordRoute(first_request)).order
    second = (await orders.RecordRoute(route_request(order.order_id, {1: [("DC-02", 2)]}))).order

    late_repeat = (await orders.RecordRoute(first_request)).order

    assert again == first
    assert late_repeat == second
    assert second.lines[0].source_location_id == "DC-02"
    assert [e.type for e in late_repeat.timeline].count("order_routed") == 2


async def test_reroute_after_a_short_pick_replaces_sources_and_explanation(orders: Stub) -> None:
    order = await create(orders)  # pick-up-in-store at STORE-001
    await orders.RecordRoute(
        route_request(
            order.order_id,
            {1: [("STORE-001", 2)], 2: [("STORE-001", 1)]},
            kind=pb.FULFILLMENT_TYPE_PICKUP_IN_STORE,
            explanation=[candidate("STORE-001", "CHOSEN", "the shelf covers the basket")],
        )
    )
    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)

    rerouted = (
        await orders.RecordRoute(
            route_request(
                order.order_id,
                {1: [("DC-01", 2)]},
                explanation=[candidate("DC-01", "CHOSEN", "the shelf came up short")],
            )
        )
    ).order

    assert rerouted.state == pb.ORDER_STATE_AWAITING_PICK
    assert rerouted.fulfillment_type == SHIP
    assert [a.location_id for a in rerouted.lines[0].allocations] == ["DC-01"]
    assert [a.location_id for a in rerouted.lines[1].allocations] == ["STORE-001"]
    assert [c.reason for c in rerouted.route_explanation] == ["the shelf came up short"]


async def test_route_naming_an_unknown_line_is_refused_and_changes_nothing(orders: Stub) -> None:
    order = await ship_to_store_order(orders)

    error = await refused(
        orders.RecordRoute(route_request(order.order_id, {1: [("DC-01", 2)], 7: [("DC-01", 1)]}))
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "UNKNOWN_LINE"
    assert [v.field for v in error.violations] == ["lines[1].line_number"]
    assert await get(orders, order.order_id) == order


async def test_route_whose_allocations_do_not_add_up_is_refused(orders: Stub) -> None:
    order = await ship_to_store_order(orders)

    error = await refused(
        orders.RecordRoute(
            route_request(order.order_id, {1: [("DC-01", 1)], 2: [("DC-01", 1), ("DC-02", 1)]})
        )
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "ALLOCATION_MISMATCH"
    assert [v.field for v in error.violations] == ["lines[0].allocations", "lines[1].allocations"]
    assert await get(orders, order.order_id) == order


async def test_route_covers_only_the_units_not_cancelled(orders: Stub) -> None:
    order = await ship_to_store_order(orders)
    await orders.CancelLines(cancel_request(order.order_id, {1: 1}))

    error = await refused(orders.RecordRoute(route_request(order.order_id, {1: [("DC-01", 2)]})))
    routed = (await orders.RecordRoute(route_request(order.order_id, {1: [("DC-01", 1)]}))).order

    assert error.reason == "ALLOCATION_MISMATCH"
    assert [(a.location_id, a.quantity) for a in routed.lines[0].allocations] == [("DC-01", 1)]


@pytest.mark.parametrize(
    "path",
    [
        [pb.ORDER_STATE_CANCELLED],
        [pb.ORDER_STATE_AWAITING_PICK, pb.ORDER_STATE_READY_FOR_PICKUP],
    ],
)
async def test_route_of_an_order_past_picking_is_refused(
    orders: Stub, path: list[pb.OrderState.ValueType]
) -> None:
    order = await ship_to_store_order(orders)
    for state in path:
        await move(orders, order.order_id, state, pickup_code="4821")
    before = await get(orders, order.order_id)

    error = await refused(orders.RecordRoute(route_request(order.order_id, {1: [("DC-01", 2)]})))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ORDER_CLOSED"
    assert await get(orders, order.order_id) == before


async def test_malformed_route_names_every_bad_field(orders: Stub) -> None:
    request = route_request(
        "ORD-42",
        {1: [("somewhere", 1), ("DC-01", 0)], 0: []},
        kind=pb.FULFILLMENT_TYPE_UNSPECIFIED,
        explanation=[candidate("DC-01", "MAYBE", "", km=-1)],
        rid="x",
    )

    error = await refused(orders.RecordRoute(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "order_id",
        "request_id",
        "fulfillment_type",
        "lines[0].allocations[0].location_id",
        "lines[0].allocations[1].quantity",
        "lines[1].line_number",
        "explanation[0].verdict",
        "explanation[0].distance_km",
    }


async def test_route_of_an_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(orders.RecordRoute(route_request(new_order_id(), {1: [("DC-01", 2)]})))

    assert error.code == grpc.StatusCode.NOT_FOUND


# ---- CancelLines ---------------------------------------------------------------------------


async def test_cancelled_units_lower_the_total_once_per_request(orders: Stub) -> None:
    order = await create(orders)
    request = cancel_request(order.order_id, {1: 1}, reason="SHORT_PICK")

    first = (await orders.CancelLines(request)).order
    again = (await orders.CancelLines(request)).order
    more = (await orders.CancelLines(cancel_request(order.order_id, {1: 1}))).order

    assert (first.lines[0].cancelled_quantity, first.lines[0].cancel_reason) == (1, "SHORT_PICK")
    assert first.lines[0].quantity == 2 and first.lines[1].cancelled_quantity == 0
    assert first.total == eur(1250 + 500)
    assert (first.timeline[-1].type, first.timeline[-1].detail) == (
        "lines_cancelled",
        "line 1: 1 unit (SHORT_PICK)",
    )
    assert again == first
    assert more.lines[0].cancelled_quantity == 2
    assert more.total == eur(500)
    assert await get(orders, order.order_id) == more


async def test_cancelling_more_than_ordered_is_refused_and_changes_nothing(orders: Stub) -> None:
    order = await create(orders)
    await orders.CancelLines(cancel_request(order.order_id, {1: 1}))
    before = await get(orders, order.order_id)

    error = await refused(orders.CancelLines(cancel_request(order.order_id, {2: 1, 1: 2})))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "CANCELLATION_EXCEEDS_QUANTITY"
    assert [v.field for v in error.violations] == ["lines[1].quantity"]
    assert await get(orders, order.order_id) == before


async def test_cancelling_an_unknown_line_is_refused(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.CancelLines(cancel_request(order.order_id, {3: 1})))

    assert error.reason == "UNKNOWN_LINE"
    assert [v.field for v in error.violations] == ["lines[0].line_number"]
    assert await get(orders, order.order_id) == order


async def test_cancellation_needs_units_and_a_reason(orders: Stub) -> None:
    order = await create(orders)
    request = cancel_request(order.order_id, {1: 0}, reason="")
    request.lines.append(pb.LineCancellation(line_number=1, quantity=1))

    error = await refused(orders.CancelLines(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "lines[0].quantity",
        "lines[1].line_number",
        "reason",
    }


@pytest.mark.parametrize(
    "path",
    [
        [pb.ORDER_STATE_CANCELLED],
        [pb.ORDER_STATE_AWAITING_PICK, pb.ORDER_STATE_READY_FOR_PICKUP, pb.ORDER_STATE_PICKED_UP],
    ],
)
async def test_lines_of_a_closed_order_cannot_be_cancelled(
    orders: Stub, path: list[pb.OrderState.ValueType]
) -> None:
    order = await create(orders)
    for state in path:
        await move(orders, order.order_id, state, pickup_code="4821")
    before = await get(orders, order.order_id)

    error = await refused(orders.CancelLines(cancel_request(order.order_id, {1: 1})))

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ORDER_CLOSED"
    assert await get(orders, order.order_id) == before


async def test_lines_can_be_cancelled_while_waiting_at_the_counter(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    await move(orders, order.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="4821")

    cancelled = (await orders.CancelLines(cancel_request(order.order_id, {2: 1}))).order

    assert cancelled.total == eur(2 * 1250)
