"""Finding reservations and holds. Helpers take the caller's session and never commit."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from services.common.errors import NotFound
from services.common.timeconv import as_utc
from services.inventory.reservations.domain import Reservation, ReservationLine, ReservationState
from services.inventory.reservations.tables import ReservationLineRow, ReservationRow
from services.inventory.stock.repository import utc_or_none


def get_reservation(session: Session, reservation_id: str) -> Reservation | None:
    header = session.get(ReservationRow, reservation_id, populate_existing=True)
    if header is None:
        return None
    query = (
        select(ReservationLineRow)
        .where(ReservationLineRow.reservation_id == reservation_id)
        .order_by(col(ReservationLineRow.location_id), col(ReservationLineRow.sku))
    )
    lines = tuple(
        ReservationLine(row.location_id, row.sku, row.quantity) for row in session.exec(query)
    )
    return Reservation(
        reservation_id=header.reservation_id,
        order_id=header.order_id,
        state=ReservationState(header.state),
        lines=lines,
        create_time=as_utc(header.create_time),
        update_time=as_utc(header.update_time),
        expire_time=utc_or_none(header.expire_time),
        owner_id=header.owner_id,
    )


def held_at(session: Session, reservation_id: str, location_id: str, sku: str) -> tuple[int, int]:
    """(quantity, transferring) of one reservation line; (0, 0) when it has none there."""
    row = session.get(
        ReservationLineRow, (reservation_id, location_id, sku), populate_existing=True
    )
    return (row.quantity, row.transferring) if row is not None else (0, 0)


def expired_hold_ids(session: Session, now: datetime) -> list[str]:
    """Active holds whose expiry passed, by id (the order in which they are claimed)."""
    query = (
        select(ReservationRow.reservation_id)
        .where(ReservationRow.state == str(ReservationState.ACTIVE))
        .where(col(ReservationRow.expire_time).is_not(None))
        .where(col(ReservationRow.expire_time) <= now)
        .order_by(col(ReservationRow.reservation_id))
    )
    return list(session.exec(query).all())


def existing_reservation(session: Session, reservation_id: str) -> Reservation:
    reservation = get_reservation(session, reservation_id)
    if reservation is None:
        raise NotFound(
            "RESERVATION_NOT_FOUND",
            f"no reservation {reservation_id}",
            {"reservation_id": reservation_id},
        )
    return reservation
