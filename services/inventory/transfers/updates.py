"""The conditional UPDATEs on transfers: a transfer's state changes only from the state the
statement names, so exactly one of several concurrent callers wins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from services.inventory.stock.updates import NO_SYNC, rowcount
from services.inventory.transfers.domain import TransferState
from services.inventory.transfers.tables import TransferLineRow, TransferRow


def move_transfer(
    session: Session, transfer_id: str, source: TransferState, target: TransferState, **values: Any
) -> bool:
    """source -> target (with e.g. ``ship_time``), only if still in ``source``."""
    statement = (
        update(TransferRow)
        .where(col(TransferRow.transfer_id) == transfer_id)
        .where(col(TransferRow.state) == str(source))
        .values(state=str(target), **values)
        .execution_options(**NO_SYNC)
    )
    return rowcount(session, statement) == 1


def record_received(session: Session, transfer_id: str, received: dict[str, int]) -> None:
    """What arrived per sku (set once, right after SHIPPED -> RECEIVED was won)."""
    for sku, quantity in sorted(received.items()):
        statement = (
            update(TransferLineRow)
            .where(col(TransferLineRow.transfer_id) == transfer_id)
            .where(col(TransferLineRow.sku) == sku)
            .values(received=quantity)
            .execution_options(**NO_SYNC)
        )
        session.execute(statement)
