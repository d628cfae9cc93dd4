"""Storing how orders are fulfilled: line allocations, the route's candidates, shipments.

Helpers take the caller's session and never commit. Loaders take many order ids at once so a
page of orders costs one query per part.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, delete, select

from services.orders.fulfillment.domain import Candidate, LineAllocation
from services.orders.fulfillment.shipments import Shipment
from services.orders.fulfillment.tables import (
    LineAllocationRow,
    RouteCandidateRow,
    ShipmentLineRow,
    ShipmentRow,
)
from services.orders.orders.tables import OrderRequestRow


def allocations_of(session: Session, order_ids: Sequence[str]) -> list[LineAllocationRow]:
    query = select(LineAllocationRow).where(col(LineAllocationRow.order_id).in_(order_ids))
    order = (col(LineAllocationRow.line_number), col(LineAllocationRow.position))
    return list(session.exec(query.order_by(*order)).all())


def candidates_of(session: Session, order_ids: Sequence[str]) -> list[RouteCandidateRow]:
    query = select(RouteCandidateRow).where(col(RouteCandidateRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(RouteCandidateRow.position))).all())


def shipments_of(session: Session, order_ids: Sequence[str]) -> list[ShipmentRow]:
    query = select(ShipmentRow).where(col(ShipmentRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(ShipmentRow.number))).all())


def shipment_lines_of(session: Session, order_ids: Sequence[str]) -> list[ShipmentLineRow]:
    query = select(ShipmentLineRow).where(col(ShipmentLineRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(ShipmentLineRow.position))).all())


def replace_allocations(session: Session, order_id: str, routed: Sequence[LineAllocation]) -> None:
    """The routed lines' allocations become the given ones; other lines keep theirs."""
    numbers = [line.line_number for line in routed]
    session.exec(
        delete(LineAllocationRow).where(
            col(LineAllocationRow.order_id) == order_id,
            col(LineAllocationRow.line_number).in_(numbers),
        )
    )
    for line in routed:
        for position, allocation in enumerate(line.allocations):
            session.add(
                LineAllocationRow(
                    order_id=order_id,
                    line_number=line.line_number,
                    position=position,
                    location_id=allocation.location_id,
                    quantity=allocation.quantity,
                )
            )


def replace_candidates(session: Session, order_id: str, candidates: Sequence[Candidate]) -> None:
    session.exec(delete(RouteCandidateRow).where(col(RouteCandidateRow.order_id) == order_id))
    for position, candidate in enumerate(candidates):
        session.add(
            RouteCandidateRow(
                order_id=order_id,
                position=position,
                location_id=candidate.location_id,
                verdict=candidate.verdict,
                reason=candidate.reason,
                ready_by=candidate.ready_by,
                distance_km=candidate.distance_km,
            )
        )


def upsert_shipment(
    session: Session, order_id: str, number: int, shipment: Shipment, now: datetime
) -> None:
    """Creates the order's shipment with this transfer id, or replaces what it says."""
    assert shipment.state is not None
    key = (ShipmentRow.order_id == order_id, ShipmentRow.transfer_id == shipment.transfer_id)
    row = session.exec(select(ShipmentRow).where(*key)).first()
    if row is None:
        row = ShipmentRow(
            order_id=order_id,
            transfer_id=shipment.transfer_id,
            number=number,
            source_id=shipment.source_id,
            state=shipment.state.value,
            update_time=now,
        )
    row.source_id, row.state = shipment.source_id, shipment.state.value
    row.expected_arrival, row.ready_by = shipment.expected_arrival, shipment.ready_by
    row.late, row.update_time = shipment.late, now
    session.add(row)
    session.exec(
        delete(ShipmentLineRow).where(
            col(ShipmentLineRow.order_id) == order_id,
            col(ShipmentLineRow.transfer_id) == shipment.transfer_id,
        )
    )
    for position, line in enumerate(shipment.lines):
        session.add(
            ShipmentLineRow(
                order_id=order_id,
                transfer_id=shipment.transfer_id,
                position=position,
                sku=line.sku,
                quantity=line.quantity,
            )
        )


def has_logged_request(session: Session, order_id: str, request_id: str) -> bool:
    return session.get(OrderRequestRow, (order_id, request_id)) is not None


def log_request(session: Session, order_id: str, request_id: str, now: datetime) -> None:
    """Remembers a request that left no timeline event, so a repeat changes nothing."""
    session.add(OrderRequestRow(order_id=order_id, request_id=request_id, time=now))
