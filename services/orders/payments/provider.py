"""Payment providers: the interface the order service moves money through, and the sandbox.

Every call carries an idempotency key, so a provider that sees a key twice answers the first
result again instead of moving money twice. A provider that cannot be reached raises
``ProviderUnavailable``: the RPC answers UNAVAILABLE with nothing stored, and a retry with the
same request id asks again with the same key.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from services.common.errors import FieldViolation, InvalidArgument, Unavailable
from services.orders.orders.domain import Money


@dataclass(frozen=True)
class ProviderResult:
    approved: bool
    reference: str
    decline_reason: str = ""


class ProviderUnavailable(Unavailable):
    """The provider did not answer (timeout, outage); whether it moved money is unknown."""

    def __init__(
        self,
        message: str = "the payment provider did not answer; retry with the same request_id",
        metadata: dict[str, str] | None = None,
    ) -> None:
        super().__init__("PAYMENT_PROVIDER_UNAVAILABLE", message, metadata)


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

    def refund(self, capture_ref: str, amount: Money, idempotency_key: str) -> ProviderResult: ...


SANDBOX_CARD = re.compile(r"^pm_card_[A-Za-z0-9_]{1,64}$")
SANDBOX_DECLINES = {
    "pm_card_declined": "card_declined",
    "pm_card_insufficient_funds": "insufficient_funds",
}


@dataclass(frozen=True)
class Transfer:
    """Money the sandbox moved (or held, or let go): one per approved first use of a key."""

    operation: str
    idempotency_key: str
    reference: str
    amount_minor: int


@dataclass
class _Memory:
    answers: dict[tuple[str, str], ProviderResult] = field(default_factory=dict)
    moved: list[Transfer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class SandboxProvider:
    """Approves any ``pm_card_*`` token except the documented decline cards.

    ``pm_card_declined`` is declined with ``card_declined``, ``pm_card_insufficient_funds`` with
    ``insufficient_funds``. Like a real provider it remembers every idempotency key it answered
    (per operation, for the life of the process): a repeated key gets the first answer and
    moves nothing. ``moved`` lists what it did move, so tests can prove nothing was paid twice.
    """

    name = "sandbox"

    def __init__(self) -> None:
        self._memory = _Memory()

    @property
    def moved(self) -> list[Transfer]:
        return list(self._memory.moved)

    def moved_by(self, operation: str) -> list[Transfer]:
        """What ``operation`` ("authorize", "capture", "void", "reverse", "refund") moved."""
        return [t for t in self.moved if t.operation == operation]

    def authorize(self, amount: Money, payment_method: str, idempotency_key: str) -> ProviderResult:
        if not SANDBOX_CARD.fullmatch(payment_method):
            raise InvalidArgument(
                "INVALID_PAYMENT_METHOD",
                "payment_method is not a card token this provider knows",
                [FieldViolation("payment_method", "expected a token like pm_card_visa")],
            )

        def decide() -> ProviderResult:
            reference = _reference("auth", idempotency_key)
            decline = SANDBOX_DECLINES.get(payment_method)
            return ProviderResult(not decline, reference, decline or "")

        return self._answer("authorize", idempotency_key, amount.amount_minor, decide)

    def capture(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        return self._approve("capture", "cap", idempotency_key, amount.amount_minor)

    def void(self, authorization_ref: str, idempotency_key: str) -> ProviderResult:
        return self._approve("void", "void", idempotency_key, 0)

    def reverse(
        self, authorization_ref: str, amount: Money, idempotency_key: str
    ) -> ProviderResult:
        return self._approve("reverse", "rev", idempotency_key, amount.amount_minor)

    def refund(self, capture_ref: str, amount: Money, idempotency_key: str) -> ProviderResult:
        return self._approve("refund", "ref", idempotency_key, amount.amount_minor)

    def _approve(self, operation: str, kind: str, key: str, amount_minor: int) -> ProviderResult:
        return self._answer(
            operation, key, amount_minor, lambda: ProviderResult(True, _reference(kind, key))
        )

    def _answer(
        self, operation: str, key: str, amount_minor: int, decide: Callable[[], ProviderResult]
    ) -> ProviderResult:
        """The first answer to ``key`` for ``operation``; only a first approval moves money."""
        memory = self._memory
        with memory.lock:
            first = memory.answers.get((operation, key))
            if first is not None:
                return first
            result = memory.answers[(operation, key)] = decide()
            if result.approved:
                memory.moved.append(Transfer(operation, key, result.reference, amount_minor))
            return result


def _reference(kind: str, idempotency_key: str) -> str:
    return f"sbx_{kind}_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]}"


PROVIDERS: dict[str, type[SandboxProvider]] = {"sandbox": SandboxProvider}


def provider_for(name: str) -> PaymentProvider:
    """The provider named in the settings; an unknown name stops the process at start."""
    try:
        return PROVIDERS[name]()
    except KeyError:
        raise ValueError(f"unknown payment provider {name!r}; known: {sorted(PROVIDERS)}") from None
