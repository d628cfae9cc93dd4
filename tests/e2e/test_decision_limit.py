"""PlaceOrder answers within its limit (place_order_timeout_seconds): when the order cannot be
decided in time (here the worker is frozen) the caller gets UNAVAILABLE / DECISION_PENDING at the
limit, and the same request id later gets the final answer — one order, reserved once."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest

from clickcollect.gateway.v1 import order_views_pb2
from deploy.local.stack import Stack
from deploy.local.stack_config import StackConfig
from services.gateway.domain import Role
from tests.e2e.conftest import seeded_stack
from tests.support.gateway import Caller, bearer, refused, token

LIMIT_SECONDS = 2.0


@pytest.fixture(scope="module")
async def impatient_stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    config = StackConfig.ephemeral(
        Path(tmp_path_factory.mktemp("impatient")),
        CC_GATEWAY_PLACE_ORDER_TIMEOUT_SECONDS=str(LIMIT_SECONDS),
    )
    async with seeded_stack(config) as running:
        yield running


@pytest.fixture
async def impatient_customer(impatient_stack: Stack) -> AsyncIterator[Caller]:
    async with grpc.aio.insecure_channel(impatient_stack.config.target("gateway")) as channel:
        yield Caller(channel, bearer(token(Role.CUSTOMER, "cust-1001")))


async def test_an_undecided_order_answers_decision_pending_at_the_limit_then_the_final_answer(
    impatient_stack: Stack, impatient_customer: Caller
) -> None:
    customer = impatient_customer
    request_id = f"slow-{uuid.uuid4().hex}"
    impatient_stack.pause("worker")
    try:
        started = time.monotonic()
        error = await refused(customer.place(("MUG-CERAMIC", 1), request_id=request_id))
        waited = time.monotonic() - started
    finally:
        impatient_stack.resume("worker")
    assert (error.code, error.reason) == (grpc.StatusCode.UNAVAILABLE, "DECISION_PENDING")
    assert LIMIT_SECONDS - 0.2 <= waited < LIMIT_SECONDS + 1.5
    order = await customer.place(("MUG-CERAMIC", 1), request_id=request_id)
    assert order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK
    again = await customer.place(("MUG-CERAMIC", 1), request_id=request_id)
    assert again.order_id == order.order_id


async def test_a_request_id_used_again_for_another_basket_is_refused(
    impatient_stack: Stack, impatient_customer: Caller
) -> None:
    customer = impatient_customer
    request_id = f"reuse-{uuid.uuid4().hex}"
    first = await customer.place(("MUG-CERAMIC", 1), request_id=request_id)
    for other in (
        customer.place(("MUG-CERAMIC", 2), request_id=request_id),
        customer.place(("MUG-CERAMIC", 1), request_id=request_id, store="STORE-002"),
    ):
        error = await refused(other)
        assert (error.code, error.reason) == (
            grpc.StatusCode.ALREADY_EXISTS,
            "REQUEST_ID_REUSED",
        )
    again = await customer.place(("MUG-CERAMIC", 1), request_id=request_id)
    assert again.order_id == first.order_id and len(again.lines) == 1


async def test_a_request_id_of_a_finished_order_reused_for_another_basket_is_refused_cleanly(
    impatient_stack: Stack, impatient_customer: Caller
) -> None:
    customer = impatient_customer
    request_id = f"finished-{uuid.uuid4().hex}"
    first = await refused(customer.place(("HEADPHONES-X1", 99), request_id=request_id))
    assert first.reason == "OUT_OF_STOCK"  # the order is rejected: its workflow is over
    for quantity in (98, 97):
        error = await refused(customer.place(("HEADPHONES-X1", quantity), request_id=request_id))
        assert (error.code, error.reason) == (
            grpc.StatusCode.ALREADY_EXISTS,
            "REQUEST_ID_REUSED",
        )
