"""Requests no well-behaved client sends, through the public gateway: each gets a clear answer
(never INTERNAL, UNKNOWN or an answer too large to read), and the stack keeps serving."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable
from typing import Any

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from deploy.local.stack import Stack
from tests.support.gateway import PUBLIC_METHODS, Caller, raw_call, refused

OK = grpc.StatusCode
HUGE_OFFSET = base64.urlsafe_b64encode(b'{"o": 9223372036854775808}').decode()


async def test_bytes_that_are_no_request_are_invalid_argument_on_every_public_method(
    gateway_channel: grpc.aio.Channel, customer: Caller
) -> None:
    for method in PUBLIC_METHODS:
        for metadata in ((), customer.metadata):
            call = raw_call(gateway_channel, method)(b"\xff", metadata=metadata)
            error = await refused(call)
            assert (error.code, error.message) == (
                OK.INVALID_ARGUMENT,
                "the request could not be decoded",
            ), method.full_name


async def test_a_page_token_no_list_handed_out_is_refused_on_every_list(
    customer: Caller, terminal: Caller
) -> None:
    calls: list[Awaitable[Any]] = [
        customer.checkout.ListOrders(
            checkout_pb2.ListOrdersRequest(page_token=HUGE_OFFSET), metadata=customer.metadata
        ),
        terminal.store_ops.LookupCustomer(
            store_ops_pb2.LookupCustomerRequest(customer_id="cust-1001", page_token=HUGE_OFFSET),
            metadata=terminal.metadata,
        ),
        terminal.store_ops.ListStoreOrders(
            store_ops_pb2.ListStoreOrdersRequest(page_token=HUGE_OFFSET),
            metadata=terminal.metadata,
        ),
        terminal.store_ops.LookupStock(
            store_ops_pb2.LookupStockRequest(query="mug", page_token=HUGE_OFFSET),
            metadata=terminal.metadata,
        ),
    ]
    for call in calls:
        error = await refused(call)
        assert (error.code, error.reason) == (OK.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")
        assert [v.field for v in error.violations] == ["page_token"]


async def test_an_email_no_service_would_take_is_refused_at_the_gateway(
    customer: Caller, terminal: Caller
) -> None:
    for email in ("a" * 400 + "@example.com", "b" * 65 + "@example.com", "ä@example.com"):
        error = await refused(customer.place(("MUG-CERAMIC", 1), customer_email=email))
        assert (error.code, [v.field for v in error.violations]) == (
            OK.INVALID_ARGUMENT,
            ["customer_email"],
        )
        sale = store_ops_pb2.RecordStoreSaleRequest(
            request_id="sale-bad-email-1",
            receipt_number="R-1",
            customer_email=email,
            lines=[store_ops_pb2.SaleLine(sku="MUG-CERAMIC", quantity=1)],
            payment_method="pm_card_visa",
        )
        error = await refused(terminal.store_ops.RecordStoreSale(sale, metadata=terminal.metadata))
        assert (error.code, [v.field for v in error.violations]) == (
            OK.INVALID_ARGUMENT,
            ["customer_email"],
        )


async def test_an_error_about_much_bad_input_stays_readable(customer: Caller) -> None:
    error = await refused(customer.place(("X" * 10_000, 1)))
    assert (error.code, error.violations[0].field) == (OK.INVALID_ARGUMENT, "lines[0].sku")
    assert len(error.violations[0].description) < 200
    thousand = [(f"bad sku {n}", 0) for n in range(1_000)]
    error = await refused(customer.place(*thousand))
    assert error.code == OK.INVALID_ARGUMENT
    assert 1 < len(error.violations) <= 21
    assert error.violations[-1].description.endswith("more not shown")
    assert len(error.message) <= 512


async def test_a_flood_of_huge_ids_leaves_the_stack_serving_and_its_log_lines_short(
    stack: Stack, anonymous: Caller, customer: Caller, gateway_channel: grpc.aio.Channel
) -> None:
    huge = checkout_pb2.GetOrderRequest(order_id="A" * 70_000)
    for _ in range(10):
        errors = await asyncio.gather(
            *(refused(anonymous.checkout.GetOrder(huge, timeout=10)) for _ in range(30))
        )
        assert {error.code for error in errors} == {OK.UNAUTHENTICATED}
    health = health_pb2_grpc.HealthStub(gateway_channel)
    reply = await health.Check(health_pb2.HealthCheckRequest(), timeout=5)
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    listed = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata, timeout=10
    )
    assert listed is not None
    log = (stack.config.var_dir / "gateway.log").read_text()
    assert max(len(line) for line in log.splitlines()) < 4_000
