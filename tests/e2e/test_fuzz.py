"""Property-based fuzzing of every method of the public API (CheckoutService and StoreOpsService,
read from their descriptors, so a new method is fuzzed too) against the real stack: hostile
structured requests and raw bytes, from customers, terminals, operations, nobody and forgers.

Whatever is sent, the answer is a clear one: never INTERNAL or UNKNOWN, never an answer too large
to read (RESOURCE_EXHAUSTED), never a hang past the deadline. The fuzz has its own catalogue,
customers and stores (STORE-004, STORE-005, DC-01) so the other journeys are not disturbed."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import grpc
import pytest
from google.protobuf.descriptor import MethodDescriptor
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.fuzz_support import Plausible, Requests, raw_payloads
from tests.support.gateway import PUBLIC_METHODS, Caller, bearer, forged, response_of, token

STRUCTURED_SECONDS = 55.0
RAW_SECONDS = 20.0
BATCH = 20  # examples per method before moving to the next one
CALL_TIMEOUT = 75.0  # the longest command waits 2 x 30 s; past this an answer is a hang
SKUS = ["FUZZ-TEE-01", "FUZZ-MUG-01"]
STOCKED_AT = ["STORE-004", "STORE-005", "DC-01"]
NEVER = {
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.DEADLINE_EXCEEDED,
}
# Answers to bad input seen all the time; the others are listed in the summary.
EVERYDAY = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.PERMISSION_DENIED,
}
Metadata = tuple[tuple[str, str], ...]
CHECKOUT_CALLERS = ["customer", "customer", "other-customer", "longest-customer", "ops"]
TERMINALS = ["terminal", "terminal", "other-terminal", "dc-terminal", "unknown-store-terminal"]
TERMINALS += ["ops"]


def callers() -> dict[str, Metadata]:
    """Who sends: the roles the API knows, nobody, and tokens that are not what they claim."""
    return {
        "customer": bearer(token(Role.CUSTOMER, "fuzz-cust-1")),
        "other-customer": bearer(token(Role.CUSTOMER, "fuzz-cust-2")),
        "longest-customer": bearer(token(Role.CUSTOMER, "fuzz." + "c" * 59)),
        "terminal": bearer(token(Role.STORE, "fuzz-terminal-4", "STORE-004")),
        "other-terminal": bearer(token(Role.STORE, "fuzz-terminal-5", "STORE-005")),
        "dc-terminal": bearer(token(Role.STORE, "fuzz-dock-1", "DC-01")),
        "unknown-store-terminal": bearer(token(Role.STORE, "fuzz@ghost", "STORE-098")),
        "ops": bearer(token(Role.OPS, "fuzz-ops")),
        "nobody": (),
        "garbage": (("authorization", "Bearer garbage"),),
        "not-bearer": (("authorization", "Basic dXNlcjpwYXNz"),),
        "long-token": (("authorization", "Bearer " + "A" * 3000),),
        "expired": bearer(token(Role.CUSTOMER, "fuzz-cust-1", ttl=timedelta(seconds=-5))),
        "unknown-role": bearer(forged(sub="fuzz-cust-1", role="admin")),
        "bad-subject": bearer(forged(sub="storm+2-0004", role="customer")),
        "store-without-store": bearer(forged(sub="fuzz-terminal-4", role="store")),
    }


@dataclass
class Tally:
    """What was sent and answered, per category (structured or raw) and method, and every
    answer that must never happen."""

    sent: Counter[str] = field(default_factory=Counter)
    codes: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_method: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    never: list[str] = field(default_factory=list)
    notable: Counter[tuple[str, str, str]] = field(default_factory=Counter)

    def record(self, category: str, method: str, caller: str, error: grpc.RpcError | None) -> None:
        code = error.code() if isinstance(error, grpc.Call) else grpc.StatusCode.OK
        self.sent[category] += 1
        self.codes[(category, code.name)] += 1
        self.by_method[(category, method, code.name)] += 1
        if isinstance(error, grpc.Call) and code not in EVERYDAY:
            self.notable[(method, code.name, str(error.details())[:90])] += 1
        if code in NEVER and len(self.never) < 50:
            detail = error.details() if isinstance(error, grpc.Call) else ""
            self.never.append(f"{method} as {caller}: {code.name} {str(detail)[:200]}")

    def totals(self) -> str:
        """Requests sent per category and the codes they got."""
        rows = []
        for category, count in sorted(self.sent.items()):
            codes = [f"{code} {n}" for (c, code), n in sorted(self.codes.items()) if c == category]
            rows.append(f"{category}: {count} sent: {', '.join(codes)}")
        return "\n".join(rows)

    def summary(self) -> str:
        """The totals, per method, and the answers other than refusals of bad input."""
        rows = [self.totals()]
        methods: dict[tuple[str, str], list[str]] = {}
        for (category, method, code), n in sorted(self.by_method.items()):
            methods.setdefault((category, method), []).append(f"{code} {n}")
        rows += [f"  {c} {m}: {', '.join(codes)}" for (c, m), codes in methods.items()]
        rows += [f"  {m} {c} ({detail}): {n}" for (m, c, detail), n in self.notable.most_common(25)]
        return "\n".join(rows)


def fuzz(target: str, requests: Requests, who: dict[str, Metadata]) -> Tally:
    """Runs in a thread with a blocking channel (the stack's event loop keeps serving)."""
    tally = Tally()
    structured = {m.name: requests.any(m.input_type) for m in PUBLIC_METHODS}
    with grpc.insecure_channel(target) as channel:
        until = time.monotonic() + STRUCTURED_SECONDS
        while time.monotonic() < until:
            for method in PUBLIC_METHODS:
                payloads = structured[method.name].map(lambda message: message.SerializeToString())
                _batch(channel, method, payloads, who, tally, "structured", until, requests)
        until = time.monotonic() + RAW_SECONDS
        while time.monotonic() < until:
            for method in PUBLIC_METHODS:
                payloads = raw_payloads(structured[method.name])
                _batch(channel, method, payloads, who, tally, "raw", until, requests)
    return tally


def _batch(
    channel: grpc.Channel,
    method: MethodDescriptor,
    payloads: st.SearchStrategy[bytes],
    who: dict[str, Metadata],
    tally: Tally,
    category: str,
    until: float,
    requests: Requests,
) -> None:
    call: Callable[..., bytes] = channel.unary_unary(
        f"/{method.containing_service.full_name}/{method.name}", None, None
    )

    @settings(
        max_examples=BATCH,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    @given(payload=payloads, caller=_callers(who, method))
    def one(payload: bytes, caller: str) -> None:
        if time.monotonic() > until:
            return
        try:
            answer = call(payload, metadata=who[caller], timeout=CALL_TIMEOUT)
            requests.plausible.learn(response_of(method).FromString(answer))
            error = None
        except grpc.RpcError as refused:
            error = refused
        tally.record(category, method.name, caller, error)

    one()


def _callers(who: dict[str, Metadata], method: MethodDescriptor) -> st.SearchStrategy[str]:
    """Mostly callers whose role the method serves, so that requests get past authentication
    and authorization; sometimes anybody."""
    roles = CHECKOUT_CALLERS if method.containing_service.name == "CheckoutService" else TERMINALS
    served = st.sampled_from(roles)
    return st.one_of(served, served, served, st.sampled_from(sorted(who)))


async def test_no_request_gets_internal_unknown_an_unreadable_answer_or_a_hang(
    stack: Stack, gateway_channel: grpc.aio.Channel, capsys: pytest.CaptureFixture[str]
) -> None:
    await _fuzz_catalogue(stack)
    orders = await _fuzz_orders(gateway_channel)
    requests = Requests(Plausible(skus=SKUS, order_ids=orders))
    who = callers()
    started = time.monotonic()
    tally = await asyncio.to_thread(fuzz, stack.config.target("gateway"), requests, who)
    elapsed = time.monotonic() - started
    with capsys.disabled():  # the figures belong in the test run's output
        print(f"\nfuzzed the public API for {elapsed:.0f} s\n{tally.totals()}")
    print(tally.summary())  # shown when the test fails
    assert tally.never == []
    assert sum(tally.sent.values()) > 1_000
    assert elapsed < STRUCTURED_SECONDS + RAW_SECONDS + 2 * CALL_TIMEOUT


async def _fuzz_catalogue(stack: Stack) -> None:
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        price = money_pb2.Money(amount_minor=1234, currency_code="EUR")
        for sku in SKUS:
            product = inventory_pb2.Product(sku=sku, name=f"Fuzz {sku}", price=price)
            await inventory.UpsertProduct(
                inventory_pb2.UpsertProductRequest(request_id=f"fuzz-{sku}", product=product)
            )
            for location_id in STOCKED_AT:
                await inventory.AdjustStock(
                    inventory_pb2.AdjustStockRequest(
                        request_id=f"fuzz-{sku}-{location_id}",
                        location_id=location_id,
                        sku=sku,
                        on_hand_delta=100_000,
                        kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                        reason="fuzz stock",
                    )
                )


async def _fuzz_orders(gateway: grpc.aio.Channel) -> list[str]:
    """A few real orders of the fuzz customer at STORE-004 for the fuzz to act upon, one of them
    handed over (returnable)."""
    customer = Caller(gateway, bearer(token(Role.CUSTOMER, "fuzz-cust-1")))
    terminal = Caller(gateway, bearer(token(Role.STORE, "fuzz-terminal-4", "STORE-004")))
    placed = [
        await customer.place((SKUS[n % 2], 1 + n), store="STORE-004", request_id=f"fuzz-order-{n}")
        for n in range(3)
    ]
    handed_over = placed[0].order_id
    pick = store_ops_pb2.MarkPickedRequest(request_id="fuzz-pick-0", order_id=handed_over)
    await terminal.store_ops.MarkPicked(pick, metadata=terminal.metadata)
    ready = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=handed_over), metadata=customer.metadata
    )
    handover = store_ops_pb2.ConfirmPickupRequest(
        request_id="fuzz-handover-0",
        order_id=handed_over,
        pickup_code=ready.order.pickup_code,
        collector_name="Fuzz",
    )
    await terminal.store_ops.ConfirmPickup(handover, metadata=terminal.metadata)
    return [order.order_id for order in placed]
