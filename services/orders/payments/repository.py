"""Storing and finding an order's money movements. Helpers take the caller's session and never
commit."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from services.orders.orders.domain import Money
from services.orders.payments.domain import Movement, PaymentOperation, PaymentStatus
from services.orders.payments.tables import PaymentRow


def as_movement(row: PaymentRow) -> Movement:
    return Movement(
        payment_id=row.payment_id,
        operation=PaymentOperation(row.operation),
        status=PaymentStatus(row.status),
        amount=Money(row.amount_minor, row.currency),
        provider_reference=row.provider_reference,
        authorization_id=row.authorization_id,
    )


def payments_of(session: Session, order_ids: Sequence[str]) -> list[PaymentRow]:
    query = select(PaymentRow).where(col(PaymentRow.order_id).in_(order_ids))
    return list(session.exec(query.order_by(col(PaymentRow.id))).all())


def find_payment(session: Session, order_id: str, idempotency_key: str) -> PaymentRow | None:
    query = select(PaymentRow).where(
        PaymentRow.order_id == order_id, PaymentRow.idempotency_key == idempotency_key
    )
    return session.exec(query).first()
