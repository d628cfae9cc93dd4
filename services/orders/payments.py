"""Payment providers: the interface the order service moves money through, and the sandbox.

Every call carries an idempotency key, so a provider that sees a key twice answers the first
result again instead of moving money twice.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Protocol

from services.common.errors import FieldViolation, InvalidArgument
from services.orders.domain import Money


@dataclass(frozen=True)
class ProviderResult:
    approved: bool
    reference: str
    decline_reason: str = ""


class PaymentProvider(Protocol):
    name: str

    def authorize(
        self, amount: Money, payment_method: str, idempotency_key: str
    ) -> ProviderResult: ...

    def capture(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult: ...

    def void(self, authorization_ref: str, idempotency_key: str) -> ProviderResult: ...

    def reverse(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult: ...


SANDBOX_CARD = re.compile(r"^pm_card_[A-Za-z0-9_]{1,64}$")
SANDBOX_DECLINES = {
    "pm_card_declined": "card_declined",
    "pm_card_insufficient_funds": "insufficient_funds",
}


class SandboxProvider:
    """Approves any ``pm_card_*`` token except the documented decline cards.

    ``pm_card_declined`` is declined with ``card_declined``, ``pm_card_insufficient_funds`` with
    ``insufficient_funds``. References are derived from the idempotency key, like a real
    provider's answer to a repeated key.
    """

    name = "sandbox"

    def authorize(self, amount: Money, payment_method: str, idempotency_key: str) -> ProviderResult:
        if not SANDBOX_CARD.fullmatch(payment_method):
            raise InvalidArgument(
                "INVALID_PAYMENT_METHOD",
                "payment_method is not a card token this provider knows",
                [FieldViolation("payment_method", "expected a token like pm_card_visa")],
            )
        reference = _reference("auth", idempotency_key)
        decline = SANDBOX_DECLINES.get(payment_method)
        if decline:
            return ProviderResult(False, reference, decline)
        return ProviderResult(True, reference)

    def capture(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        return ProviderResult(True, _reference("cap", idempotency_key))

    def void(self, authorization_ref: str, idempotency_key: str) -> ProviderResult:
        return ProviderResult(True, _reference("void", idempotency_key))

    def reverse(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        return ProviderResult(True, _reference("rev", idempotency_key))


def _reference(kind: str, idempotency_key: str) -> str:
    return f"sbx_{kind}_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]}"


PROVIDERS: dict[str, type[SandboxProvider]] = {"sandbox": SandboxProvider}


def provider_for(name: str) -> PaymentProvider:
    """The provider named in the settings; an unknown name stops the process at start."""
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise ValueError(f"unknown payment provider {name!r}; known: {sorted(PROVIDERS)}") from None
