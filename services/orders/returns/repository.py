"""Storing and finding returns. Helpers take the caller's session and never commit."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from services.common import ids
from services.common.order_states import OrderState
from services.common.timeconv import as_utc
from services.orders.orders import repository as orders
from services.orders.orders.domain import Channel, Money
from services.orders.orders.tables import OrderEventRow, OrderRow
from services.orders.returns.domain import (
    LIVE_STATES,
    ItemCondition,
    NewReturn,
    ReturnItem,
    ReturnMethod,
    ReturnState,
)
from services.orders.returns.policy import PlannedLine, SoldLine, SoldOrder
from services.orders.returns.tables import ReturnLineRow, ReturnRow


def order_id_of(session: Session, return_id: str) -> str | None:
    """The return's order, read without loading the return (load it once the order is locked)."""
    query = select(ReturnRow.order_id).where(ReturnRow.return_id == return_id)
    return session.exec(query).first()


def get_return(session: Session, return_id: str) -> ReturnRow | None:
    return session.get(ReturnRow, return_id)


def lines_of_return(session: Session, return_id: str) -> list[ReturnLineRow]:
    query = select(ReturnLineRow).where(ReturnLineRow.return_id == return_id)
    return list(session.exec(query.order_by(col(ReturnLineRow.position))).all())


def returns_of(session: Session, order_ids: Sequence[str]) -> list[ReturnRow]:
    """The orders' returns, oldest first."""
    query = select(ReturnRow).where(col(ReturnRow.order_id).in_(order_ids))
    query = query.order_by(col(ReturnRow.create_time), col(ReturnRow.return_id))
    return list(session.exec(query).all())


def return_lines_of(session: Session, order_ids: Sequence[str]) -> list[ReturnLineRow]:
    """The lines of the orders' returns, in one query."""
    ids_ = select(ReturnRow.return_id).where(col(ReturnRow.order_id).in_(order_ids))
    query = select(ReturnLineRow).where(col(ReturnLineRow.return_id).in_(ids_))
    query = query.order_by(col(ReturnLineRow.return_id), col(ReturnLineRow.position))
    return list(session.exec(query).all())


def units_returned(returns: Iterable[ReturnRow], lines: Iterable[ReturnLineRow]) -> dict[int, int]:
    """Units per order line number in returns that count (authorized, received, refunded)."""
    live = {r.return_id for r in returns if ReturnState(r.state) in LIVE_STATES}
    units: dict[int, int] = {}
    for line in lines:
        if line.return_id in live:
            units[line.line_number] = units.get(line.line_number, 0) + line.quantity
    return units


def returned_of_order(session: Session, order_id: str) -> dict[int, int]:
    ids_ = [order_id]
    return units_returned(returns_of(session, ids_), return_lines_of(session, ids_))


def sold_order(session: Session, order: OrderRow) -> SoldOrder:
    """The order as the return policy sees it."""
    lines = tuple(
        SoldLine(
            line.line_number,
            line.sku,
            line.quantity,
            line.cancelled_quantity,
            line.final_sale,
            Money(line.unit_price_minor, order.currency),
        )
        for line in orders.lines_of(session, [order.order_id])
    )
    handed_over = order.handover_time or _picked_up_event_time(session, order.order_id)
    handover = as_utc(handed_over) if handed_over else None
    return SoldOrder(OrderState(order.state), Channel(order.channel), handover, lines)


def insert_return(
    session: Session,
    order: OrderRow,
    new: NewReturn,
    plan: Sequence[PlannedLine],
    request_id: str,
    now: datetime,
) -> ReturnRow:
    """Stores a return the policy accepted: in store RECEIVED, by mail AUTHORIZED with an RMA."""
    in_store = new.method is ReturnMethod.IN_STORE
    row = ReturnRow(
        return_id=new.return_id,
        order_id=order.order_id,
        customer_id=order.customer_id,
        state=(ReturnState.RECEIVED if in_store else ReturnState.AUTHORIZED).value,
        method=(ReturnMethod.IN_STORE if in_store else ReturnMethod.MAIL).value,
        rma_number="" if in_store else ids.rma_number_of(new.return_id),
        receiving_location_id=new.receiving_location_id,
        reason=new.reason,
        override_reason=new.override_reason,
        overridden_by=new.overridden_by,
        create_time=now,
        update_time=now,
        expire_time=None if in_store else new.expire_time,
        receive_time=now if in_store else None,
        request_id=request_id,
    )
    session.add(row)
    session.flush()
    conditions = {item.sku: item.condition for item in new.items if in_store}
    for position, line in enumerate(plan, 1):
        condition = conditions.get(line.sku)
        session.add(
            ReturnLineRow(
                return_id=new.return_id,
                position=position,
                line_number=line.line_number,
                sku=line.sku,
                quantity=line.quantity,
                condition=condition.value if condition else "",
                refund_minor=line.refund.amount_minor,
                currency=line.refund.currency,
            )
        )
    session.flush()
    return row


def as_new_return(row: ReturnRow, lines: Iterable[ReturnLineRow]) -> NewReturn:
    """What the return was created from, to compare a repeated CreateReturn with."""
    return NewReturn(
        return_id=row.return_id,
        order_id=row.order_id,
        method=ReturnMethod(row.method),
        receiving_location_id=row.receiving_location_id,
        items=tuple(
            ReturnItem(
                line.sku, line.quantity, ItemCondition(line.condition) if line.condition else None
            )
            for line in lines
        ),
        reason=row.reason,
        override_reason=row.override_reason,
        overridden_by=row.overridden_by,
        expire_time=as_utc(row.expire_time) if row.expire_time else None,
    )


def _picked_up_event_time(session: Session, order_id: str) -> datetime | None:
    """Orders handed over before the hand-over time was kept: when their timeline first shows
    them PICKED_UP."""
    query = (
        select(OrderEventRow.time)
        .where(
            OrderEventRow.order_id == order_id,
            OrderEventRow.state == OrderState.PICKED_UP.value,
        )
        .order_by(col(OrderEventRow.id))
    )
    return session.exec(query).first()
