"""Between the fulfillment protos (routes, cancellations, shipments) and their domain/rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.timeconv import from_timestamp, to_timestamp
from services.orders.fulfillment.domain import (
    Allocation,
    Cancellation,
    Candidate,
    LineAllocation,
    Route,
)
from services.orders.fulfillment.shipments import Shipment, ShipmentLine, ShipmentState
from services.orders.fulfillment.tables import (
    LineAllocationRow,
    RouteCandidateRow,
    ShipmentLineRow,
    ShipmentRow,
)
from services.orders.orders.domain import FulfillmentType

SHIPMENT_STATE_OUT = {s: pb.ShipmentState.Value(f"SHIPMENT_STATE_{s}") for s in ShipmentState}
SHIPMENT_STATE_IN = {number: state for state, number in SHIPMENT_STATE_OUT.items()}
_FULFILLMENT_IN = {pb.FulfillmentType.Value(f"FULFILLMENT_TYPE_{f}"): f for f in FulfillmentType}


def route_from_proto(request: pb.RecordRouteRequest) -> Route:
    return Route(
        fulfillment_type=_FULFILLMENT_IN.get(request.fulfillment_type),
        lines=tuple(
            LineAllocation(
                line.line_number,
                tuple(Allocation(a.location_id, a.quantity) for a in line.allocations),
            )
            for line in request.lines
        ),
        explanation=tuple(
            Candidate(
                c.location_id,
                c.verdict,
                c.reason,
                from_timestamp(c.ready_by),
                c.distance_km,
            )
            for c in request.explanation
        ),
        ready_by=from_timestamp(request.ready_by),
    )


def cancellations_from_proto(request: pb.CancelLinesRequest) -> tuple[Cancellation, ...]:
    return tuple(Cancellation(line.line_number, line.quantity) for line in request.lines)


def shipment_from_proto(shipment: pb.Shipment) -> Shipment:
    return Shipment(
        transfer_id=shipment.transfer_id,
        source_id=shipment.source_id,
        state=SHIPMENT_STATE_IN.get(shipment.state),
        lines=tuple(ShipmentLine(line.sku, line.quantity) for line in shipment.lines),
        expected_arrival=from_timestamp(shipment.expected_arrival),
        ready_by=from_timestamp(shipment.ready_by),
        late=shipment.late,
    )


def allocations_by_line(rows: Sequence[LineAllocationRow]) -> dict[int, list[pb.Allocation]]:
    by_line: dict[int, list[pb.Allocation]] = defaultdict(list)
    for row in rows:
        by_line[row.line_number].append(
            pb.Allocation(location_id=row.location_id, quantity=row.quantity)
        )
    return by_line


def candidate_to_proto(row: RouteCandidateRow) -> pb.RouteCandidate:
    return pb.RouteCandidate(
        location_id=row.location_id,
        verdict=row.verdict,
        reason=row.reason,
        ready_by=to_timestamp(row.ready_by),
        distance_km=row.distance_km,
    )


def shipments_to_proto(
    rows: Sequence[ShipmentRow], lines: Sequence[ShipmentLineRow]
) -> list[pb.Shipment]:
    lines_by_transfer: dict[str, list[pb.ShipmentLine]] = defaultdict(list)
    for line in lines:
        lines_by_transfer[line.transfer_id].append(
            pb.ShipmentLine(sku=line.sku, quantity=line.quantity)
        )
    return [
        pb.Shipment(
            transfer_id=row.transfer_id,
            source_id=row.source_id,
            state=SHIPMENT_STATE_OUT[ShipmentState(row.state)],
            lines=lines_by_transfer[row.transfer_id],
            expected_arrival=to_timestamp(row.expected_arrival),
            ready_by=to_timestamp(row.ready_by),
            late=row.late,
        )
        for row in rows
    ]
