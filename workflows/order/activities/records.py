"""An order and its route as the orders service records them (shared by the activities that
create, open and route orders)."""

from __future__ import annotations

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2
from services.common.timeconv import to_timestamp
from workflows.contracts.orders import PlaceOrderInput
from workflows.order.activities.route_types import RoutePlanResult


def order_record(order: PlaceOrderInput) -> orders_pb2.Order:
    lines = [
        orders_pb2.OrderLine(
            line_number=number,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=money_pb2.Money(
                amount_minor=line.unit_price_minor, currency_code=order.currency_code
            ),
            source_location_id=order.pickup_store_id,
            final_sale=line.final_sale,
        )
        for number, line in enumerate(order.lines, start=1)
    ]
    return orders_pb2.Order(
        order_id=order.order_id,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        channel=orders_pb2.Channel.Value(f"CHANNEL_{order.channel}"),
        pickup_store_id=order.pickup_store_id,
        fulfillment_type=orders_pb2.FULFILLMENT_TYPE_PICKUP_IN_STORE,
        lines=lines,
        receipt_number=order.receipt_number,
        placed_by_associate=order.placed_by_associate,
        placed_by_terminal=order.placed_by_terminal,
    )


def route_record(
    request_id: str, order_id: str, plan: RoutePlanResult, line_skus: dict[int, str]
) -> orders_pb2.RecordRouteRequest:
    """The plan as RecordRoute takes it: each order line's allocations, the candidates, why."""
    by_sku: dict[str, list[orders_pb2.Allocation]] = {}
    for allocation in plan.allocations:
        by_sku.setdefault(allocation.sku, []).append(
            orders_pb2.Allocation(location_id=allocation.location_id, quantity=allocation.quantity)
        )
    kind = "SHIP_TO_STORE" if plan.shipments else "PICKUP_IN_STORE"
    return orders_pb2.RecordRouteRequest(
        view=orders_pb2.ORDER_VIEW_BASIC,
        request_id=request_id,
        order_id=order_id,
        fulfillment_type=orders_pb2.FulfillmentType.Value(f"FULFILLMENT_TYPE_{kind}"),
        lines=[
            orders_pb2.LineAllocation(line_number=number, allocations=by_sku.get(sku, []))
            for number, sku in sorted(line_skus.items())
        ],
        explanation=[
            orders_pb2.RouteCandidate(
                location_id=c.location_id,
                verdict=c.verdict,
                reason=c.reason,
                ready_by=to_timestamp(c.ready_by),
                distance_km=c.distance_km,
            )
            for c in plan.explanation
        ],
        ready_by=to_timestamp(plan.ready_by),
    )


def line_skus(order: PlaceOrderInput) -> dict[int, str]:
    return {number: line.sku for number, line in enumerate(order.lines, start=1)}
