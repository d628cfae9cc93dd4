"""Returns received and till sales, inside the caller's transaction (helpers never commit).
Each request writes all its movements or none, once per request id (the movements' reference):
a repeat returns the levels as they are now and writes nothing. The movements go first, so a
concurrent twin of the request waits on their key and then answers the repeat. Stock rows are
touched in sku order (one location per request), the order every transaction locks them in."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.inventory.reservations.domain import ReservationLine, out_of_stock
from services.inventory.shelf.domain import (
    ReturnCommand,
    SaleCommand,
    return_changes,
    sale_changes,
    sellable,
    skus_of,
)
from services.inventory.stock import repository
from services.inventory.stock import updates as stock_updates
from services.inventory.stock.domain import MovementKind, StockChange, StockLevel
from services.inventory.stock.postings import flush_first_writer, movement_row, post
from services.inventory.stock.validation import unknown_skus


def receive_return(session: Session, command: ReturnCommand, now: datetime) -> list[StockLevel]:
    """Every item arrives (RETURN, on hand up); damaged ones are written off (WRITE_OFF, on
    hand back down). SKU_NOT_FOUND naming every unknown sku. The resulting levels, in sku
    order."""
    location_id, skus = command.location_id, skus_of(command.items)
    done = repository.any_movement(
        session, command.request_id, location_id, skus, MovementKind.RETURN
    )
    if not done:
        unknown_skus(skus, set(repository.products_by_sku(session, skus)))
        post(session, return_changes(command), now)
    return repository.stock_levels(session, [location_id], skus)


def record_sale(session: Session, command: SaleCommand, now: datetime) -> list[StockLevel]:
    """Every item leaves the shelf (SALE, on hand down), all or nothing: OUT_OF_STOCK on the
    first item the shelf holds fewer of, not counting units reservations hold, and the
    caller's rollback undoes the items already sold. The resulting levels, in sku order."""
    location_id, skus = command.location_id, skus_of(command.items)
    done = repository.any_movement(
        session, command.request_id, location_id, skus, MovementKind.SALE
    )
    if done:
        return repository.stock_levels(session, [location_id], skus)
    unknown_skus(skus, set(repository.products_by_sku(session, skus)))
    changes = sale_changes(command)
    for change in changes:
        session.add(movement_row(change, now))
    flush_first_writer(session)
    for change in changes:
        _sell(session, change)
    return repository.stock_levels(session, [location_id], skus)


def _sell(session: Session, change: StockChange) -> None:
    """on hand drops only where it stays at or above reserved (one conditional UPDATE, so a
    concurrent reservation or sale cannot take the same units)."""
    location_id, sku, delta = change.location_id, change.sku, change.on_hand_delta
    if not stock_updates.change_on_hand(session, location_id, sku, delta, None):
        level = repository.stock_level(session, location_id, sku)
        raise out_of_stock(ReservationLine(location_id, sku, -delta), sellable(level))
