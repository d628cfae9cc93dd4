"""Adjusting stock: on hand corrected (counts, receipts, damage) and safety stock set, once per
request id, inside the caller's transaction (helpers never commit). The movement goes first,
then the conditional UPDATE of ``stock.updates``, which refuses to take on hand below what is
reserved."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from services.inventory.stock import repository
from services.inventory.stock import updates as stock_updates
from services.inventory.stock.domain import MovementKind, StockLevel, insufficient_stock
from services.inventory.stock.postings import flush_first_writer
from services.inventory.stock.tables import MovementRow
from services.inventory.stock.validation import AdjustCommand, unknown_skus


def adjust(session: Session, command: AdjustCommand, now: datetime) -> StockLevel:
    """Changes on hand (and sets safety stock) once per request id; a repeat returns the level
    as it is now. INSUFFICIENT_STOCK when on hand would drop below what is reserved."""
    kind = command.kind or MovementKind.ADJUSTMENT
    location_id, sku, delta = command.location_id, command.sku, command.on_hand_delta
    if repository.movement_exists(session, command.request_id, location_id, sku, kind):
        return repository.stock_level(session, location_id, sku)
    unknown_skus([sku], set(repository.products_by_sku(session, [sku])))
    stock_updates.ensure_stock_row(session, location_id, sku)
    session.add(
        MovementRow(
            location_id=location_id,
            sku=sku,
            kind=str(kind),
            on_hand_delta=delta,
            reserved_delta=0,
            reference=command.request_id,
            reason=command.reason,
            create_time=now,
        )
    )
    flush_first_writer(session)
    if not stock_updates.change_on_hand(session, location_id, sku, delta, command.safety_stock):
        raise insufficient_stock(repository.stock_level(session, location_id, sku), delta)
    return repository.stock_level(session, location_id, sku)
