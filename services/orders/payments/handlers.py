"""Payment use cases: idempotent by request id, the ledger rules first, then the provider.

Each runs inside the caller's unit of work with the order row locked, so a repeated request id
finds the stored movement and the provider is not asked twice. A provider that fails
(``ProviderUnavailable``) rolls the unit of work back: nothing is stored, and the retry asks the
provider again with the same idempotency key.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta

from sqlmodel import Session

from services.common.errors import FailedPrecondition, FieldViolation, InvalidArgument
from services.common.order_states import FINAL_STATES, OrderState
from services.orders import metrics
from services.orders.orders import repository as repo
from services.orders.orders.domain import Money
from services.orders.orders.handlers import require_order
from services.orders.orders.tables import OrderRow
from services.orders.payments import domain as ledger
from services.orders.payments import repository as movements
from services.orders.payments.domain import Movement, PaymentOperation, PaymentStatus
from services.orders.payments.provider import PaymentProvider, ProviderResult
from services.orders.payments.tables import PaymentRow

_EVENTS = {
    PaymentOperation.AUTHORIZE: "payment_authorized",
    PaymentOperation.CAPTURE: "payment_captured",
    PaymentOperation.VOID: "payment_voided",
    PaymentOperation.REVERSE: "authorization_reduced",
    PaymentOperation.REFUND: "payment_refunded",
}
AUTHORIZATION_LIFETIME = timedelta(hours=168)
_MAX_KEY = 128  # PaymentRow.idempotency_key


class PaymentDesk:
    """Moves one order's money within one unit of work."""

    def __init__(
        self,
        session: Session,
        provider: PaymentProvider,
        now: datetime,
        authorization_lifetime: timedelta = AUTHORIZATION_LIFETIME,
    ) -> None:
        self.session, self.provider, self.now = session, provider, now
        self.authorization_lifetime = authorization_lifetime

    def authorize(
        self, order_id: str, request_id: str, amount: Money, payment_method: str
    ) -> PaymentRow:
        order, repeat = self._open(order_id, request_id, PaymentOperation.AUTHORIZE)
        if repeat is not None:
            return repeat
        _require_open(order)
        ledger.validate_amount(amount, order.currency)
        ledger.check_can_authorize(self._movements(order_id))
        result = self.provider.authorize(amount, payment_method, _key(order_id, request_id))
        return self._record(order, PaymentOperation.AUTHORIZE, amount, result, request_id)

    def reauthorize(self, order_id: str, request_id: str, payment_method: str) -> PaymentRow:
        """A new authorization for what the live hold still holds, then the old one voided.
        Declined: stored, and the old hold stays. A repeat returns the first new authorization."""
        order, repeat = self._open(order_id, request_id, PaymentOperation.AUTHORIZE)
        if repeat is not None:
            return repeat
        _require_open(order)
        old = ledger.hold_to_reauthorize(self._movements(order_id))
        amount = old.remaining
        result = self.provider.authorize(amount, payment_method, _key(order_id, request_id))
        new = self._record(
            order,
            PaymentOperation.AUTHORIZE,
            amount,
            result,
            request_id,
            event="payment_reauthorized",
        )
        if result.approved:
            self._void_replaced(order, old.authorization, _derived(request_id, "void-previous"))
        return new

    def refund(
        self, order_id: str, request_id: str, amount: Money, return_id: str = ""
    ) -> PaymentRow:
        """Pays ``amount`` back through the newest capture, never more than captured and not yet
        refunded; a repeat returns the first refund without the provider. Usable from another
        use case's unit of work (refunding a return)."""
        order, repeat = self._open(order_id, request_id, PaymentOperation.REFUND)
        if repeat is not None:
            return repeat
        ledger.validate_amount(amount, order.currency)
        capture = ledger.capture_to_refund(self._movements(order_id), amount)
        result = self.provider.refund(
            capture.provider_reference, amount, _key(order_id, request_id)
        )
        return self._record(
            order,
            PaymentOperation.REFUND,
            amount,
            result,
            request_id,
            capture.authorization_id,
            return_id=return_id,
        )

    def capture(self, order_id: str, request_id: str, amount: Money) -> PaymentRow:
        order, repeat = self._open(order_id, request_id, PaymentOperation.CAPTURE)
        if repeat is not None:
            return repeat
        ledger.validate_amount(amount, order.currency)
        auth = ledger.hold_to_capture(self._movements(order_id), amount)
        result = self.provider.capture(auth.provider_reference, amount, _key(order_id, request_id))
        return self._record(
            order, PaymentOperation.CAPTURE, amount, result, request_id, auth.payment_id
        )

    def reduce(self, order_id: str, request_id: str, amount: Money) -> PaymentRow:
        """Releases part of the hold; a repeat returns the first reversal without the provider."""
        order, repeat = self._open(order_id, request_id, PaymentOperation.REVERSE)
        if repeat is not None:
            return repeat
        ledger.validate_amount(amount, order.currency)
        auth = ledger.hold_to_reduce(self._movements(order_id), amount)
        result = self.provider.reverse(auth.provider_reference, amount, _key(order_id, request_id))
        return self._record(
            order, PaymentOperation.REVERSE, amount, result, request_id, auth.payment_id
        )

    def void(self, order_id: str, request_id: str) -> PaymentRow | None:
        """None when there was nothing to void; the earlier void when it was already done."""
        order, repeat = self._open(order_id, request_id, PaymentOperation.VOID)
        if repeat is not None:
            return repeat
        rows = movements.payments_of(self.session, [order_id])
        hold = ledger.hold_to_void([movements.as_movement(row) for row in rows])
        if hold is None:
            return None
        if hold.void is not None:
            return next(row for row in rows if row.payment_id == hold.void.payment_id)
        auth = hold.authorization
        result = self.provider.void(auth.provider_reference, _key(order_id, request_id))
        return self._record(
            order, PaymentOperation.VOID, auth.amount, result, request_id, auth.payment_id
        )

    def _void_replaced(self, order: OrderRow, auth: Movement, key: str) -> None:
        result = self.provider.void(auth.provider_reference, _key(order.order_id, key))
        self._record(order, PaymentOperation.VOID, auth.amount, result, key, auth.payment_id)

    def _open(
        self, order_id: str, request_id: str, operation: PaymentOperation
    ) -> tuple[OrderRow, PaymentRow | None]:
        """Locks the order; returns the movement an earlier request with this id made, if any."""
        order = require_order(self.session, order_id, lock=True)
        stored = movements.find_payment(self.session, order_id, request_id)
        if stored is not None and stored.operation != operation.value:
            raise InvalidArgument(
                "REQUEST_ID_REUSED",
                f"request_id was already used for {stored.operation} on this order",
                [FieldViolation("request_id", "already used for another payment operation")],
            )
        return order, stored

    def _movements(self, order_id: str) -> list[ledger.Movement]:
        return [
            movements.as_movement(row) for row in movements.payments_of(self.session, [order_id])
        ]

    def _record(
        self,
        order: OrderRow,
        operation: PaymentOperation,
        amount: Money,
        result: ProviderResult,
        request_id: str,
        authorization_id: str = "",
        *,
        event: str = "",
        return_id: str = "",
    ) -> PaymentRow:
        """Stores the movement (approved or declined) and notes it on the order's timeline; a
        successful authorization lapses after the desk's authorization lifetime."""
        status = PaymentStatus.SUCCEEDED if result.approved else PaymentStatus.DECLINED
        metrics.money_moved(self.session, operation.value, status.value)
        holds = result.approved and operation is PaymentOperation.AUTHORIZE
        row = PaymentRow(
            payment_id=f"PAY-{uuid.uuid4().hex[:20].upper()}",
            order_id=order.order_id,
            operation=operation.value,
            status=status.value,
            amount_minor=amount.amount_minor,
            currency=amount.currency,
            provider=self.provider.name,
            provider_reference=result.reference,
            idempotency_key=request_id,
            decline_reason=result.decline_reason,
            authorization_id=authorization_id,
            time=self.now,
            expire_time=self.now + self.authorization_lifetime if holds else None,
            return_id=return_id,
        )
        self.session.add(row)
        if not result.approved:
            event = "payment_declined"
        detail = f"{amount.amount_minor} {amount.currency}"
        if return_id:
            detail += f" for {return_id}"
        if result.decline_reason:
            detail += f": {result.decline_reason}"
        repo.add_event(self.session, order, event or _EVENTS[operation], detail, None, self.now)
        self.session.flush()
        return row


def _require_open(order: OrderRow) -> None:
    if OrderState(order.state) in FINAL_STATES:
        raise FailedPrecondition(
            "ORDER_CLOSED", f"order {order.order_id} is {order.state}", {"state": order.state}
        )


def _key(order_id: str, request_id: str) -> str:
    """The provider's idempotency key: unique across orders even if request ids are not."""
    return f"{order_id}:{request_id}"


def _derived(request_id: str, step: str) -> str:
    """The stored key of a movement a request makes on the side (the void after a
    re-authorization): its own, so the request's key stays unique; fits the column."""
    key = f"{request_id}:{step}"
    if len(key) <= _MAX_KEY:
        return key
    return f"{hashlib.sha256(request_id.encode()).hexdigest()[:64]}:{step}"
