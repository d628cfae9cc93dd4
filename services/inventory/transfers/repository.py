"""Finding transfers. Helpers take the caller's session and never commit."""

from __future__ import annotations

from sqlmodel import Session, col, select

from services.common.timeconv import as_utc
from services.inventory.stock.repository import utc_or_none
from services.inventory.transfers.domain import Transfer, TransferLine, TransferState
from services.inventory.transfers.tables import TransferLineRow, TransferRow


def get_transfer(session: Session, transfer_id: str) -> Transfer | None:
    header = session.get(TransferRow, transfer_id, populate_existing=True)
    if header is None:
        return None
    query = (
        select(TransferLineRow)
        .where(TransferLineRow.transfer_id == transfer_id)
        .order_by(col(TransferLineRow.sku))
    )
    rows = session.exec(query).all()
    return Transfer(
        transfer_id=header.transfer_id,
        reservation_id=header.reservation_id,
        source_id=header.source_id,
        destination_id=header.destination_id,
        state=TransferState(header.state),
        lines=tuple(TransferLine(row.sku, row.quantity) for row in rows),
        received_lines=tuple(TransferLine(row.sku, row.received) for row in rows if row.received),
        create_time=as_utc(header.create_time),
        ship_time=utc_or_none(header.ship_time),
        receive_time=utc_or_none(header.receive_time),
    )


def created_transfer_ids(session: Session, reservation_id: str) -> list[str]:
    """Transfers of a reservation that are CREATED (not shipped yet), by id."""
    query = (
        select(TransferRow.transfer_id)
        .where(TransferRow.reservation_id == reservation_id)
        .where(TransferRow.state == str(TransferState.CREATED))
        .order_by(col(TransferRow.transfer_id))
    )
    return list(session.exec(query).all())
