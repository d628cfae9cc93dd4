"""Returns through the public gateway, across channels: an online order collected at one store
and returned at another, a till sale returned elsewhere, a mail return received at the DC."""

from __future__ import annotations

import asyncio
from typing import Any

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.e2e.returns_support import (
    collected,
    delivered,
    on_hand,
    payments,
    returned,
    till_sale,
)
from tests.support.gateway import Caller, bearer, refused, token

SHIRT = "TSHIRT-WHT-M"
JEANS = "JEANS-SLIM-32"


@pytest.fixture(autouse=True)
async def shelves_stocked(stack: Stack) -> None:
    """Enough on the shelves for each journey, whatever earlier tests sold."""
    for store in ("STORE-001", "STORE-002"):
        for sku in (SHIRT, JEANS, "CANDLE-SET"):
            await delivered(stack, store, sku, 4)


@pytest.fixture
def zuid(gateway_channel: grpc.aio.Channel) -> Caller:
    """A terminal at STORE-002 (Amsterdam Zuid)."""
    return Caller(gateway_channel, bearer(token(Role.STORE, "terminal-002-b", "STORE-002")))


@pytest.fixture
def oost(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.STORE, "terminal-003-a", "STORE-003")))


@pytest.fixture
def dc(gateway_channel: grpc.aio.Channel) -> Caller:
    return Caller(gateway_channel, bearer(token(Role.STORE, "dc-returns-1", "DC-01")))


async def test_online_order_collected_at_one_store_is_returned_at_another(
    stack: Stack, customer: Caller, terminal: Caller, zuid: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 2))
    shelf_before = await on_hand(stack, "STORE-002", SHIRT)

    request = store_ops_pb2.ProcessReturnRequest(
        request_id="return-at-zuid-1",
        order_id=order.order_id,
        lines=[returned(SHIRT, 1)],
        reason="too small",
    )
    answer = (await zuid.store_ops.ProcessReturn(request, metadata=zuid.metadata)).order_return

    assert answer.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert answer.receiving_location_id == "STORE-002"
    assert answer.refund_total.amount_minor == 1999
    assert await on_hand(stack, "STORE-002", SHIRT) == shelf_before + 1
    again = await zuid.store_ops.ProcessReturn(request, metadata=zuid.metadata)
    assert again.order_return.return_id == answer.return_id  # a retry gets the first answer
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(page_size=50), metadata=customer.metadata
    )
    mine = next(o for o in history.orders if o.order_id == order.order_id)
    assert payments(mine) == [("AUTHORIZE", 3998), ("CAPTURE", 3998), ("REFUND", 1999)]
    assert [r.return_id for r in mine.returns] == [answer.return_id]
    assert mine.lines[0].returned_quantity == 1
    counter = await zuid.store_ops.LookupCustomer(
        store_ops_pb2.LookupCustomerRequest(customer_id="cust-1001", page_size=50),
        metadata=zuid.metadata,
    )
    seen = next(o for o in counter.orders if o.order_id == order.order_id)
    assert seen.returns[0].state == order_views_pb2.RETURN_STATE_REFUNDED

    error = await refused(
        zuid.store_ops.ProcessReturn(
            store_ops_pb2.ProcessReturnRequest(
                request_id="return-at-zuid-2", order_id=order.order_id, lines=[returned(SHIRT, 2)]
            ),
            metadata=zuid.metadata,
        )
    )
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "QUANTITY_NOT_RETURNABLE",
    )
    assert payments(await _order(customer, order.order_id))[-1] == ("REFUND", 1999)


async def test_store_sale_is_in_the_history_and_returned_at_another_store(
    stack: Stack, customer: Caller, zuid: Caller, oost: Caller
) -> None:
    shelf_zuid = await on_hand(stack, "STORE-002", JEANS)
    sale = await till_sale(zuid, (JEANS, 1))
    assert (sale.channel, sale.state) == (
        order_views_pb2.CHANNEL_STORE,
        order_views_pb2.ORDER_STATE_PICKED_UP,
    )
    assert await on_hand(stack, "STORE-002", JEANS) == shelf_zuid - 1
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(page_size=50), metadata=customer.metadata
    )
    assert sale.order_id in [o.order_id for o in history.orders]

    shelf_oost = await on_hand(stack, "STORE-003", JEANS)
    answer = await oost.store_ops.ProcessReturn(
        store_ops_pb2.ProcessReturnRequest(
            request_id="sale-return-oost-1",
            order_id=sale.order_id,
            lines=[returned(JEANS, 1, damaged=True)],
        ),
        metadata=oost.metadata,
    )

    assert answer.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert await on_hand(stack, "STORE-003", JEANS) == shelf_oost  # damaged: written off
    assert payments(await _order(customer, sale.order_id)) == [
        ("AUTHORIZE", 5999),
        ("CAPTURE", 5999),
        ("REFUND", 5999),
    ]


async def test_mail_return_gets_an_rma_and_is_refunded_when_the_dc_receives_it(
    stack: Stack, customer: Caller, terminal: Caller, dc: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 1))
    dc_before = await on_hand(stack, "DC-01", SHIRT)
    request = checkout_pb2.RequestReturnRequest(
        request_id="mail-return-0001",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SHIRT, quantity=1)],
        reason="changed my mind",
    )
    rma = (await customer.checkout.RequestReturn(request, metadata=customer.metadata)).order_return
    assert rma.state == order_views_pb2.RETURN_STATE_AUTHORIZED
    assert rma.rma_number.startswith("RMA-") and rma.expire_time.seconds > 0
    repeat = await customer.checkout.RequestReturn(request, metadata=customer.metadata)
    assert repeat.order_return.return_id == rma.return_id

    parcel = store_ops_pb2.ReceiveReturnRequest(
        request_id="dc-parcel-0001", return_id=rma.rma_number, lines=[returned(SHIRT, 1)]
    )
    received = (await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)).order_return

    assert received.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert received.receiving_location_id == "DC-01"
    assert await on_hand(stack, "DC-01", SHIRT) == dc_before + 1
    again = await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)
    assert again.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED  # the same scan again
    twice = store_ops_pb2.ReceiveReturnRequest(
        request_id="dc-parcel-0002", return_id=rma.return_id, lines=[returned(SHIRT, 1)]
    )
    error = await refused(dc.store_ops.ReceiveReturn(twice, metadata=dc.metadata))
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RETURN_ALREADY_RECEIVED",
    )
    assert [op for op, _ in payments(await _order(customer, order.order_id))].count("REFUND") == 1
    mine = await customer.checkout.GetReturn(
        checkout_pb2.GetReturnRequest(return_id=rma.return_id), metadata=customer.metadata
    )
    assert mine.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED


async def test_partial_pickup_charges_only_what_the_customer_took(
    stack: Stack, customer: Caller, terminal: Caller
) -> None:
    shelf_before = await on_hand(stack, "STORE-001", SHIRT)
    order = await collected(customer, terminal, (SHIRT, 2), **{SHIRT: 1})
    assert payments(order) == [("AUTHORIZE", 3998), ("CAPTURE", 1999), ("REVERSE", 1999)]
    assert order.lines[0].cancelled_quantity == 1
    assert await on_hand(stack, "STORE-001", SHIRT) == shelf_before - 1


async def test_returns_refused_for_another_customer_and_a_store_that_takes_none(
    customer: Caller, other_customer: Caller, terminal: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 1))
    request = checkout_pb2.RequestReturnRequest(
        request_id="not-mine-0001",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SHIRT, quantity=1)],
    )
    error = await refused(
        other_customer.checkout.RequestReturn(request, metadata=other_customer.metadata)
    )
    assert (error.code, error.reason) == (grpc.StatusCode.NOT_FOUND, "ORDER_NOT_FOUND")
    bad = checkout_pb2.RequestReturnRequest(
        request_id="bad-lines-0001",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SHIRT, quantity=0)],
    )
    error = await refused(customer.checkout.RequestReturn(bad, metadata=customer.metadata))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert "lines[0].quantity" in [v.field for v in error.violations]
    assert list((await _order(customer, order.order_id)).returns) == []


async def _order(customer: Caller, order_id: str) -> order_views_pb2.CustomerOrder:
    request = checkout_pb2.GetOrderRequest(order_id=order_id)
    return (await customer.checkout.GetOrder(request, metadata=customer.metadata)).order


async def test_final_sale_item_is_refused_at_the_counter_unless_an_associate_overrides(
    stack: Stack, customer: Caller, terminal: Caller, zuid: Caller
) -> None:
    order = await collected(customer, terminal, ("CANDLE-SET", 1))
    request = store_ops_pb2.ProcessReturnRequest(
        request_id="final-sale-0001", order_id=order.order_id, lines=[returned("CANDLE-SET", 1)]
    )
    error = await refused(zuid.store_ops.ProcessReturn(request, metadata=zuid.metadata))
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "FINAL_SALE")
    assert error.metadata["sku"] == "CANDLE-SET"

    request.request_id, request.override_reason = "final-sale-0002", "unopened, manager approved"
    answer = (await zuid.store_ops.ProcessReturn(request, metadata=zuid.metadata)).order_return

    assert answer.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert (answer.override_reason, answer.overridden_by) == (
        "unopened, manager approved",
        "terminal-002-b",
    )


async def test_anonymous_till_sale_is_returned_at_another_store_against_its_order_id(
    stack: Stack, zuid: Caller, oost: Caller, dc: Caller
) -> None:
    sale = await till_sale(zuid, (SHIRT, 1), customer_id="")
    assert sale.customer_id == "anonymous" and sale.receipt_number.startswith("R-")
    shelf = await on_hand(stack, "STORE-003", SHIRT)

    answer = await oost.store_ops.ProcessReturn(
        store_ops_pb2.ProcessReturnRequest(
            request_id="anon-return-0001", order_id=sale.order_id, lines=[returned(SHIRT, 1)]
        ),
        metadata=oost.metadata,
    )

    assert answer.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert await on_hand(stack, "STORE-003", SHIRT) == shelf + 1
    error = await refused(
        dc.store_ops.RecordStoreSale(
            store_ops_pb2.RecordStoreSaleRequest(
                request_id="dc-till-0001",
                receipt_number="R-DC-1",
                lines=[store_ops_pb2.SaleLine(sku=SHIRT, quantity=1)],
                payment_method="pm_card_visa",
            ),
            metadata=dc.metadata,
        )
    )
    assert (error.code, error.reason) == (grpc.StatusCode.FAILED_PRECONDITION, "NOT_A_STORE")


async def test_two_stores_racing_to_take_back_the_same_unit_only_one_refunds(
    stack: Stack, customer: Caller, terminal: Caller, zuid: Caller, oost: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 1))

    def take_back(counter: Caller, request_id: str) -> Any:
        request = store_ops_pb2.ProcessReturnRequest(
            request_id=request_id, order_id=order.order_id, lines=[returned(SHIRT, 1)]
        )
        return counter.store_ops.ProcessReturn(request, metadata=counter.metadata)

    results = await asyncio.gather(
        take_back(zuid, "race-zuid-0001"),
        take_back(oost, "race-oost-0001"),
        take_back(terminal, "race-centraal-01"),
        return_exceptions=True,
    )

    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 2
    assert {e.code() for e in lost} == {grpc.StatusCode.FAILED_PRECONDITION}
    final = await _order(customer, order.order_id)
    assert [op for op, _ in payments(final)].count("REFUND") == 1
    assert len(final.returns) == 1


async def test_parcel_scanned_with_a_long_request_id_is_refunded_and_its_repeat_answered(
    customer: Caller, terminal: Caller, dc: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 1))
    request = checkout_pb2.RequestReturnRequest(
        request_id="mail-return-long-1",
        order_id=order.order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=SHIRT, quantity=1)],
    )
    rma = (await customer.checkout.RequestReturn(request, metadata=customer.metadata)).order_return
    long_id = "scan-" + "x" * 120
    parcel = store_ops_pb2.ReceiveReturnRequest(
        request_id=long_id, return_id=rma.rma_number, lines=[returned(SHIRT, 1)]
    )

    first = await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)
    again = await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)

    assert first.order_return.state == order_views_pb2.RETURN_STATE_REFUNDED
    assert again.order_return.return_id == first.order_return.return_id


async def test_return_lines_the_order_lacks_or_mixed_conditions_name_the_field(
    customer: Caller, terminal: Caller, zuid: Caller
) -> None:
    order = await collected(customer, terminal, (SHIRT, 2))
    mixed = store_ops_pb2.ProcessReturnRequest(
        request_id="mixed-cond-0001",
        order_id=order.order_id,
        lines=[returned(SHIRT, 1), returned(SHIRT, 1, damaged=True)],
    )
    error = await refused(zuid.store_ops.ProcessReturn(mixed, metadata=zuid.metadata))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["lines[1].condition"]

    stranger = store_ops_pb2.ProcessReturnRequest(
        request_id="not-on-order-01", order_id=order.order_id, lines=[returned(JEANS, 1)]
    )
    error = await refused(zuid.store_ops.ProcessReturn(stranger, metadata=zuid.metadata))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["lines[0].sku"]
    repeat = await refused(zuid.store_ops.ProcessReturn(stranger, metadata=zuid.metadata))
    assert (repeat.code, repeat.reason) == (error.code, error.reason)
    unknown = store_ops_pb2.ProcessReturnRequest(
        request_id="odd-condition-1",
        order_id=order.order_id,
        lines=[store_ops_pb2.ReturnedLine(sku=SHIRT, quantity=1, condition=7)],  # type: ignore[arg-type]
    )
    error = await refused(zuid.store_ops.ProcessReturn(unknown, metadata=zuid.metadata))
    assert [v.field for v in error.violations] == ["lines[0].condition"]
    assert list((await _order(customer, order.order_id)).returns) == []
