"""A return's request_id names one return: repeating it elsewhere, or as another kind of return,
is refused at once (REQUEST_ID_REUSED) instead of waiting on the other return."""

from __future__ import annotations

import time
import uuid

import grpc

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from deploy.local.stack import Stack
from tests.e2e.returns_support import collected, delivered, returned
from tests.support.gateway import Caller, refused

SHIRT = "TSHIRT-BLK-M"


async def test_a_mail_returns_request_id_repeated_at_a_counter_is_refused_at_once(
    stack: Stack, customer: Caller, terminal: Caller, other_terminal: Caller
) -> None:
    await delivered(stack, "STORE-001", SHIRT, 3)
    order = await collected(customer, terminal, (SHIRT, 2))
    request_id = f"return-{uuid.uuid4().hex[:12]}"
    mail = checkout_pb2.RequestReturnRequest(
        request_id=request_id,
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SHIRT, quantity=1)],
    )
    by_mail = await customer.checkout.RequestReturn(mail, metadata=customer.metadata)
    assert by_mail.order_return.state == order_views_pb2.RETURN_STATE_AUTHORIZED

    at_counter = _counter_return(request_id, order.order_id)
    started = time.monotonic()
    error = await refused(
        other_terminal.store_ops.ProcessReturn(at_counter, metadata=other_terminal.metadata)
    )
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "REQUEST_ID_REUSED")
    assert time.monotonic() - started < 10
    again = await customer.checkout.RequestReturn(mail, metadata=customer.metadata)
    assert again.order_return == by_mail.order_return


async def test_a_counter_returns_request_id_repeated_at_another_store_is_refused(
    stack: Stack, customer: Caller, terminal: Caller, other_terminal: Caller
) -> None:
    await delivered(stack, "STORE-001", SHIRT, 3)
    order = await collected(customer, terminal, (SHIRT, 1))
    request = _counter_return(f"return-{uuid.uuid4().hex[:12]}", order.order_id)
    first = await other_terminal.store_ops.ProcessReturn(request, metadata=other_terminal.metadata)
    assert first.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED

    error = await refused(terminal.store_ops.ProcessReturn(request, metadata=terminal.metadata))
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "REQUEST_ID_REUSED")
    repeat = await other_terminal.store_ops.ProcessReturn(request, metadata=other_terminal.metadata)
    assert repeat.order_return == first.order_return


def _counter_return(request_id: str, order_id: str) -> store_ops_pb2.ProcessReturnRequest:
    return store_ops_pb2.ProcessReturnRequest(
        request_id=request_id, order_id=order_id, lines=[returned(SHIRT, 1)], reason="too big"
    )
