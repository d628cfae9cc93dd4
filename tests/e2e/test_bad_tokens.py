"""Tokens that carry a principal no method could serve are refused before anything happens, on
every method of the public API."""

from __future__ import annotations

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2
from services.common.ids import order_id_for
from services.gateway.domain import Role
from tests.support.gateway import (
    PUBLIC_METHODS,
    Caller,
    bearer,
    forged,
    raw_call,
    refused,
    request_of,
    token,
)

BAD_PRINCIPALS = {
    "customer-plus-sign": {"sub": "storm+2-0004", "role": "customer"},
    "customer-65-chars": {"sub": "c" * 65, "role": "customer"},
    "terminal-bad-subject": {"sub": "till 7", "role": "store", "store_id": "STORE-001"},
    "terminal-bad-store": {"sub": "terminal-001-a", "role": "store", "store_id": "STORE 1"},
    "ops-bad-subject": {"sub": "x" * 65, "role": "ops"},
}


@pytest.mark.parametrize("principal", list(BAD_PRINCIPALS))
async def test_a_principal_no_method_could_serve_is_unauthenticated_on_every_method(
    gateway_channel: grpc.aio.Channel, principal: str
) -> None:
    metadata = bearer(forged(**BAD_PRINCIPALS[principal]))
    for method in PUBLIC_METHODS:
        request = request_of(method)().SerializeToString()
        error = await refused(raw_call(gateway_channel, method)(request, metadata=metadata))
        assert (error.code, error.reason) == (
            grpc.StatusCode.UNAUTHENTICATED,
            "TOKEN_INVALID",
        ), method.full_name


async def test_place_order_with_such_a_token_starts_no_order(
    gateway_channel: grpc.aio.Channel,
) -> None:
    for subject in ("storm+2-0004", "c" * 65):
        intruder = Caller(gateway_channel, bearer(forged(sub=subject, role="customer")))
        error = await refused(intruder.place(("MUG-CERAMIC", 1), request_id="storm-0000004"))
        assert (error.code, error.reason) == (grpc.StatusCode.UNAUTHENTICATED, "TOKEN_INVALID")
        ops = Caller(gateway_channel, bearer(token(Role.OPS, "ops-alice")))
        lookup = checkout_pb2.GetOrderRequest(order_id=order_id_for(subject, "storm-0000004"))
        error = await refused(ops.checkout.GetOrder(lookup, metadata=ops.metadata))
        assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "ORDER_NOT_FOUND")
