"""Checkout holds: reservations made with a ttl. Converting one makes it the order's (expiry
cleared); once its expiry passed it can no longer be converted, even before the sweeper has
released it, because the conditional UPDATE compares the expiry with now."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from services.inventory.reservations import settlement, updates
from services.inventory.reservations.domain import Reservation, hold_not_found, needs_conversion
from services.inventory.reservations.repository import expired_hold_ids, get_reservation
from services.inventory.stock.domain import MovementKind, StockChange
from services.inventory.stock.postings import post


def convert_hold(
    session: Session, reservation_id: str, order_id: str, owner_id: str, now: datetime
) -> Reservation:
    """The live hold becomes ``order_id``'s reservation; a hold already converted for that
    order is returned as is. HOLD_EXPIRED once it expired or was released; HOLD_NOT_FOUND when
    there is none, or it is another customer's (nothing about it changes then)."""
    for _attempt in range(2):
        reservation = get_reservation(session, reservation_id)
        if reservation is None:
            raise hold_not_found(reservation_id)
        if not needs_conversion(reservation, order_id, owner_id, now):
            return reservation
        if updates.convert(session, reservation_id, order_id, now):
            return replace(reservation, order_id=order_id, expire_time=None, update_time=now)
    raise RuntimeError(f"hold {reservation_id} keeps changing")  # pragma: no cover


def expire_holds(
    session: Session, now: datetime, cancel_transfers: settlement.CancelTransfers
) -> list[str]:
    """Every active hold whose expiry passed becomes EXPIRED and gives its stock back
    (movements EXPIRE); returns their ids. Holds are claimed in id order before any stock row
    is touched, and one that a concurrent caller converted or expired first is skipped."""
    claimed = [
        reservation_id
        for reservation_id in expired_hold_ids(session, now)
        if updates.claim_expired(session, reservation_id, now)
    ]
    changes: list[StockChange] = []
    for reservation_id in claimed:
        _expired, given_back = settlement.give_back(
            session, reservation_id, MovementKind.EXPIRE, "hold expired", now, cancel_transfers
        )
        changes += given_back
    post(session, changes, now)
    return claimed
