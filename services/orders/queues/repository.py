"""The count behind store capacity: orders waiting to be picked per store, in one grouped
COUNT over the ``ix_orders_store_state`` index (pickup_store_id, state)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import Session, col, select

from services.common.order_states import OrderState
from services.orders.orders.tables import OrderRow

# An order is in its store's queue from acceptance until it is picked.
QUEUED_STATES = (OrderState.AWAITING_PICK,)


def queued_orders(
    session: Session, store_ids: Sequence[str], exclude_order_id: str = ""
) -> dict[str, int]:
    """Orders queued to pick at each store (stores with none are absent)."""
    query = (
        select(OrderRow.pickup_store_id, func.count())
        .where(col(OrderRow.pickup_store_id).in_(list(store_ids)))
        .where(col(OrderRow.state).in_([s.value for s in QUEUED_STATES]))
        .group_by(col(OrderRow.pickup_store_id))
    )
    if exclude_order_id:
        query = query.where(OrderRow.order_id != exclude_order_id)
    return {store_id: int(n) for store_id, n in session.exec(query).all()}
