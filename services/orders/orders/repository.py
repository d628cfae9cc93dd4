"""Storing and finding orders. Helpers take the caller's session and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from services.common.order_states import OrderState
from services.orders.orders.domain import (
    Channel,
    FulfillmentType,
    Money,
    NewOrder,
    OrderLine,
    order_total,
)
from services.orders.orders.tables import OrderEventRow, OrderLineRow, OrderRow


def insert_order(
    session: Session, order: NewOrder, request_id: str | None, now: datetime
) -> OrderRow:
    """Stores a validated, normalized order in PENDING with its ``order_created`` event."""
    total = order_total(order.lines)
    row = OrderRow(
        order_id=order.order_id,
        customer_id=order.customer_id,
        customer_email=order.customer_email,
        channel=str(order.channel),
        pickup_store_id=order.pickup_store_id,
        fulfillment_type=str(order.fulfillment_type),
        state=OrderState.PENDING.value,
        currency=total.currency,
        total_minor=total.amount_minor,
        create_time=now,
        update_time=now,
        receipt_number=order.receipt_number,
        placed_by_associate=order.placed_by_associate,
        placed_by_terminal=order.placed_by_terminal,
    )
    session.add(row)
    session.flush()
    for line in order.lines:
        session.add(
            OrderLineRow(
                order_id=order.order_id,
                line_number=line.line_number,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price_minor=line.unit_price.amount_minor,
                source_location_id=line.source_location_id,
                final_sale=line.final_sale,
            )
        )
    add_event(session, row, "order_created", "", request_id, now)
    return row


def as_new_order(row: OrderRow, lines: Sequence[OrderLineRow]) -> NewOrder:
    """What the order was created from, to compare a repeated CreateOrder with."""
    return NewOrder(
        order_id=row.order_id,
        customer_id=row.customer_id,
        customer_email=row.customer_email,
        channel=Channel(row.channel),
        pickup_store_id=row.pickup_store_id,
        fulfillment_type=FulfillmentType(row.fulfillment_type),
        lines=tuple(
            OrderLine(
                line.line_number,
                line.sku,
                line.name,
                line.quantity,
                Money(line.unit_price_minor, row.currency),
                line.source_location_id,
                line.final_sale,
            )
            for line in lines
        ),
        receipt_number=row.receipt_number,
        placed_by_associate=row.placed_by_associate,
        placed_by_terminal=row.placed_by_terminal,
    )


def get_order(session: Session, order_id: str, *, lock: bool = False) -> OrderRow | None:
    """The order row; ``lock`` holds it until commit so one writer at a time changes the order.
    A row this unit of work already locked is answered from the session (steps of one call —
    create, route, authorize, accept — lock it once)."""
    locked: set[str] = session.info.setdefault("locked_orders", set())
    if order_id in locked:
        held = session.get(OrderRow, order_id)  # from the identity map: no statement
        if held is not None:
            return held
    query = select(OrderRow).where(OrderRow.order_id == order_id)
    if lock:
        query = query.with_for_update()
    row = session.exec(query).first()
    if lock and row is not None:
        locked.add(order_id)
    return row


def lines_of(session: Session, order_ids: Sequence[str]) -> list[OrderLineRow]:
    query = select(OrderLineRow).where(col(OrderLineRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(OrderLineRow.line_number))).all())


def events_of(session: Session, order_ids: Sequence[str]) -> list[OrderEventRow]:
    query = select(OrderEventRow).where(col(OrderEventRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(OrderEventRow.id))).all())


def has_request(session: Session, order_id: str, request_id: str) -> bool:
    query = select(OrderEventRow.id).where(
        OrderEventRow.order_id == order_id, OrderEventRow.request_id == request_id
    )
    return session.exec(query).first() is not None


def add_event(
    session: Session,
    order: OrderRow,
    event_type: str,
    detail: str,
    request_id: str | None,
    now: datetime,
    client_request_id: str = "",
) -> None:
    """Appends to the timeline with the order's state after the change, and touches the order;
    `client_request_id` is the client's own id of the command behind it, if any."""
    order.update_time = now
    session.add(order)
    session.add(
        OrderEventRow(
            order_id=order.order_id,
            time=now,
            type=event_type,
            detail=detail,
            state=order.state,
            request_id=request_id,
            client_request_id=client_request_id,
        )
    )


def customer_orders(session: Session, customer_id: str, offset: int, limit: int) -> list[OrderRow]:
    query = (
        select(OrderRow)
        .where(OrderRow.customer_id == customer_id)
        .order_by(col(OrderRow.create_time).desc(), col(OrderRow.order_id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query).all())


def store_orders(
    session: Session,
    store_id: str,
    states: Sequence[OrderState],
    overdue_only: bool,
    offset: int,
    limit: int,
) -> list[OrderRow]:
    query = select(OrderRow).where(OrderRow.pickup_store_id == store_id)
    if states:
        query = query.where(col(OrderRow.state).in_([s.value for s in states]))
    if overdue_only:
        query = query.where(col(OrderRow.pick_overdue).is_(True))
    query = query.order_by(col(OrderRow.create_time), col(OrderRow.order_id))
    return list(session.exec(query.offset(offset).limit(limit)).all())
