"""Payment rules: one live hold per order, captures and reversals within it, no void after a
capture, a re-authorization only before any capture, refunds never above what was captured.

Plain Python over the order's money movements (oldest first); no provider, no storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.common.errors import FailedPrecondition, Violations
from services.orders.orders.domain import CURRENCY, Money


class PaymentOperation(StrEnum):
    AUTHORIZE = "AUTHORIZE"
    CAPTURE = "CAPTURE"
    VOID = "VOID"
    # Part of a hold released (lines cancelled).
    REVERSE = "REVERSE"
    # Captured money paid back (a return).
    REFUND = "REFUND"


class PaymentStatus(StrEnum):
    SUCCEEDED = "SUCCEEDED"
    DECLINED = "DECLINED"


@dataclass(frozen=True)
class Movement:
    """One recorded money movement. Captures and voids name their authorization."""

    payment_id: str
    operation: PaymentOperation
    status: PaymentStatus
    amount: Money
    provider_reference: str
    authorization_id: str = ""


@dataclass(frozen=True)
class Hold:
    """The order's current authorization and what has happened to it since."""

    authorization: Movement
    captured_minor: int
    void: Movement | None
    reversed_minor: int = 0

    @property
    def remaining_minor(self) -> int:
        """What may still be captured or released: authorized - captured - reversed."""
        held = self.authorization.amount.amount_minor
        return held - self.captured_minor - self.reversed_minor

    @property
    def remaining(self) -> Money:
        return Money(self.remaining_minor, self.authorization.amount.currency)

    def amounts(self) -> dict[str, str]:
        """The hold's figures, for error metadata."""
        return {
            "authorized_minor": str(self.authorization.amount.amount_minor),
            "captured_minor": str(self.captured_minor),
            "reversed_minor": str(self.reversed_minor),
        }


def current_hold(movements: Sequence[Movement]) -> Hold | None:
    """The newest successful authorization that is not voided; if every one is voided, the newest
    (so a second void finds the first). None before any successful authorization."""
    holds = [
        _hold(m, movements)
        for m in movements
        if m.operation is PaymentOperation.AUTHORIZE and m.status is PaymentStatus.SUCCEEDED
    ]
    if not holds:
        return None
    live = [hold for hold in holds if hold.void is None]
    return (live or holds)[-1]


def _hold(auth: Movement, movements: Sequence[Movement]) -> Hold:
    children = [
        m
        for m in movements
        if m.authorization_id == auth.payment_id and m.status is PaymentStatus.SUCCEEDED
    ]

    def total(operation: PaymentOperation) -> int:
        return sum(m.amount.amount_minor for m in children if m.operation is operation)

    void = next((m for m in children if m.operation is PaymentOperation.VOID), None)
    return Hold(auth, total(PaymentOperation.CAPTURE), void, total(PaymentOperation.REVERSE))


def check_amount(
    v: Violations, amount: Money, order_currency: str = "", field: str = "amount"
) -> None:
    """Adds what is wrong with a payment amount; the currency must be the order's if known."""
    v.check(amount.amount_minor > 0, f"{field}.amount_minor", "must be greater than 0")
    if not CURRENCY.fullmatch(amount.currency):
        v.add(f"{field}.currency_code", "must be an ISO 4217 code like EUR")
    elif order_currency and amount.currency != order_currency:
        v.add(f"{field}.currency_code", f"the order is in {order_currency}")


def validate_amount(amount: Money, order_currency: str) -> None:
    v = Violations()
    check_amount(v, amount, order_currency)
    v.raise_if_any("INVALID_AMOUNT")


def check_can_authorize(movements: Sequence[Movement]) -> None:
    hold = current_hold(movements)
    if hold is not None and hold.void is None:
        raise FailedPrecondition(
            "ALREADY_AUTHORIZED",
            "the order already holds an authorization; void it first",
            {"payment_id": hold.authorization.payment_id},
        )


def _live_hold(movements: Sequence[Movement], purpose: str) -> Hold:
    hold = current_hold(movements)
    if hold is None or hold.void is not None:
        message = f"the order holds no authorization to {purpose}"
        raise FailedPrecondition("NO_AUTHORIZATION", message)
    return hold


def hold_to_capture(movements: Sequence[Movement], amount: Money) -> Movement:
    """The authorization a capture of ``amount`` draws on; refuses captures it cannot cover."""
    hold = _live_hold(movements, "capture")
    if amount.amount_minor > hold.remaining_minor:
        raise FailedPrecondition(
            "CAPTURE_EXCEEDS_AUTHORIZATION",
            f"capture of {amount.amount_minor} exceeds the {hold.remaining_minor} still authorized",
            {**hold.amounts(), "requested_minor": str(amount.amount_minor)},
        )
    return hold.authorization


def hold_to_reduce(movements: Sequence[Movement], amount: Money) -> Movement:
    """The authorization a reversal of ``amount`` releases part of; never more than it still
    holds uncaptured (authorized - captured - already reversed)."""
    hold = _live_hold(movements, "reduce")
    if not 0 < amount.amount_minor <= hold.remaining_minor:
        raise FailedPrecondition(
            "REVERSAL_EXCEEDS_AUTHORIZATION",
            f"releasing {amount.amount_minor} exceeds the {hold.remaining_minor} still held",
            {**hold.amounts(), "requested_minor": str(amount.amount_minor)},
        )
    return hold.authorization


def hold_to_void(movements: Sequence[Movement]) -> Hold | None:
    """The hold a void lets go: None when there is none; refused once money was captured."""
    hold = current_hold(movements)
    if hold is None:
        return None
    if hold.void is None and hold.captured_minor > 0:
        raise FailedPrecondition(
            "ALREADY_CAPTURED",
            "money was already captured on this authorization; refund instead",
            {"payment_id": hold.authorization.payment_id},
        )
    return hold


def hold_to_reauthorize(movements: Sequence[Movement]) -> Hold:
    """The hold a re-authorization replaces: live, nothing captured yet, something still held.
    The new authorization is for ``hold.remaining``; the old one is voided after it."""
    hold = _live_hold(movements, "re-authorize")
    if hold.captured_minor > 0:
        raise FailedPrecondition(
            "ALREADY_CAPTURED",
            "money was already captured on this authorization; it cannot be re-authorized",
            {"payment_id": hold.authorization.payment_id, **hold.amounts()},
        )
    if hold.remaining_minor <= 0:
        raise FailedPrecondition(
            "NO_AUTHORIZATION",
            "the authorization holds nothing any more to re-authorize",
            {"payment_id": hold.authorization.payment_id, **hold.amounts()},
        )
    return hold


@dataclass(frozen=True)
class Refundable:
    """Money taken on the order (all authorizations) and how much of it went back."""

    captured_minor: int
    refunded_minor: int

    @property
    def remaining_minor(self) -> int:
        return self.captured_minor - self.refunded_minor


def refundable(movements: Sequence[Movement]) -> Refundable:
    def total(operation: PaymentOperation) -> int:
        return sum(
            m.amount.amount_minor
            for m in movements
            if m.operation is operation and m.status is PaymentStatus.SUCCEEDED
        )

    return Refundable(total(PaymentOperation.CAPTURE), total(PaymentOperation.REFUND))


def capture_to_refund(movements: Sequence[Movement], amount: Money) -> Movement:
    """The capture a refund of ``amount`` pays back through (the newest); never more than was
    captured and not yet refunded, so nothing captured means nothing to refund."""
    balance = refundable(movements)
    if not 0 < amount.amount_minor <= balance.remaining_minor:
        raise FailedPrecondition(
            "REFUND_EXCEEDS_CAPTURE",
            f"refund of {amount.amount_minor} exceeds the {balance.remaining_minor} captured "
            "and not yet refunded",
            {
                "captured_minor": str(balance.captured_minor),
                "refunded_minor": str(balance.refunded_minor),
                "requested_minor": str(amount.amount_minor),
            },
        )
    return [
        m
        for m in movements
        if m.operation is PaymentOperation.CAPTURE and m.status is PaymentStatus.SUCCEEDED
    ][-1]
