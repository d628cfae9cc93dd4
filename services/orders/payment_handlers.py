"""Payment use cases: idempotent by request id, the ledger rules first, then the provider.

Each runs inside the caller's unit of work with the order row locked, so a repeated request id
finds the stored movement and the provider is not asked twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Session

from services.common.errors import FailedPrecondition, FieldViolation, InvalidArgument
from services.orders import ledger
from services.orders import repository as repo
from services.orders.domain import FINAL_STATES, Money, OrderState
from services.orders.handlers import require_order
from services.orders.ledger import PaymentOperation, PaymentStatus
from services.orders.payments import PaymentProvider, ProviderResult


def authorize(
    session: Session,
    provider: PaymentProvider,
    order_id: str,
    request_id: str,
    amount: Money,
    payment_method: str,
    now: datetime,
) -> repo.PaymentRow:
    order = require_order(session, order_id, lock=True)
    repeat = _repeat(session, order_id, request_id, PaymentOperation.AUTHORIZE)
    if repeat is not None:
        return repeat
    if OrderState(order.state) in FINAL_STATES:
        raise FailedPrecondition(
            "ORDER_CLOSED", f"order {order_id} is {order.state}", {"state": order.state}
        )
    ledger.validate_amount(amount, order.currency)
    ledger.check_can_authorize(_movements(session, order_id))
    result = provider.authorize(amount, payment_method, _key(order_id, request_id))
    return _record(
        session, order, provider, PaymentOperation.AUTHORIZE, amount, result, request_id, "", now
    )


def capture(
    session: Session,
    provider: PaymentProvider,
    order_id: str,
    request_id: str,
    amount: Money,
    now: datetime,
) -> repo.PaymentRow:
    order = require_order(session, order_id, lock=True)
    repeat = _repeat(session, order_id, request_id, PaymentOperation.CAPTURE)
    if repeat is not None:
        return repeat
    ledger.validate_amount(amount, order.currency)
    auth = ledger.hold_to_capture(_movements(session, order_id), amount)
    result = provider.capture(auth.provider_reference, amount, _key(order_id, request_id))
    return _record(
        session,
        order,
        provider,
        PaymentOperation.CAPTURE,
        amount,
        result,
        request_id,
        auth.payment_id,
        now,
    )


def void(
    session: Session, provider: PaymentProvider, order_id: str, request_id: str, now: datetime
) -> repo.PaymentRow | None:
    """Lets the hold go. None when there was nothing to void; an earlier void when already done."""
    order = require_order(session, order_id, lock=True)
    repeat = _repeat(session, order_id, request_id, PaymentOperation.VOID)
    if repeat is not None:
        return repeat
    rows = repo.payments_of(session, [order_id])
    hold = ledger.hold_to_void([repo.as_movement(row) for row in rows])
    if hold is None:
        return None
    if hold.void is not None:
        return next(row for row in rows if row.payment_id == hold.void.payment_id)
    auth = hold.authorization
    result = provider.void(auth.provider_reference, _key(order_id, request_id))
    return _record(
        session,
        order,
        provider,
        PaymentOperation.VOID,
        auth.amount,
        result,
        request_id,
        auth.payment_id,
        now,
    )


def _key(order_id: str, request_id: str) -> str:
    """The provider's idempotency key: unique across orders even if request ids are not."""
    return f"{order_id}:{request_id}"


def _movements(session: Session, order_id: str) -> list[ledger.Movement]:
    return [repo.as_movement(row) for row in repo.payments_of(session, [order_id])]


def _repeat(
    session: Session, order_id: str, request_id: str, operation: PaymentOperation
) -> repo.PaymentRow | None:
    stored = repo.find_payment(session, order_id, request_id)
    if stored is not None and stored.operation != operation.value:
        raise InvalidArgument(
            "REQUEST_ID_REUSED",
            f"request_id was already used for {stored.operation} on this order",
            [FieldViolation("request_id", "already used for another payment operation")],
        )
    return stored


_EVENTS = {
    PaymentOperation.AUTHORIZE: "payment_authorized",
    PaymentOperation.CAPTURE: "payment_captured",
    PaymentOperation.VOID: "payment_voided",
}


def _record(
    session: Session,
    order: repo.OrderRow,
    provider: PaymentProvider,
    operation: PaymentOperation,
    amount: Money,
    result: ProviderResult,
    request_id: str,
    authorization_id: str,
    now: datetime,
) -> repo.PaymentRow:
    """Stores the movement (approved or declined) and notes it on the order's timeline."""
    status = PaymentStatus.SUCCEEDED if result.approved else PaymentStatus.DECLINED
    row = repo.PaymentRow(
        payment_id=f"PAY-{uuid.uuid4().hex[:20].upper()}",
        order_id=order.order_id,
        operation=operation.value,
        status=status.value,
        amount_minor=amount.amount_minor,
        currency=amount.currency,
        provider=provider.name,
        provider_reference=result.reference,
        idempotency_key=request_id,
        decline_reason=result.decline_reason,
        authorization_id=authorization_id,
        time=now,
    )
    session.add(row)
    event = _EVENTS[operation] if result.approved else "payment_declined"
    detail = f"{amount.amount_minor} {amount.currency}"
    if result.decline_reason:
        detail += f": {result.decline_reason}"
    repo.add_event(session, order, event, detail, None, now)
    session.flush()
    return row
