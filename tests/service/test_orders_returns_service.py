"""Returns on the order service over real gRPC, on SQLite and on PostgreSQL: in store and by mail,
the policy (window, final sale, quantities, overrides), refunds, expiry, and racing returns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common import ids
from tests.support.orders import (
    an_order,
    create,
    eur,
    get,
    handed_over,
    refused,
    request_id,
    running_orders,
    store_sale,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub

RESELLABLE, DAMAGED = pb.ITEM_CONDITION_RESELLABLE, pb.ITEM_CONDITION_DAMAGED


@pytest.fixture
async def orders(database_url: str) -> AsyncIterator[Stub]:
    async with running_orders(database_url) as stub:
        yield stub


def stamp(days_from_now: float) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime.now(UTC) + timedelta(days=days_from_now))
    return value


def in_store(
    order_id: str,
    *items: tuple[str, int],
    condition: pb.ItemCondition.ValueType = RESELLABLE,
    **fields: Any,
) -> pb.CreateReturnRequest:
    """Taken back at the STORE-002 counter (2 x SKU-1 is 12.50 each, 1 x SKU-2 is 5.00)."""
    rid = fields.pop("request_id", request_id())
    return pb.CreateReturnRequest(
        request_id=rid,
        return_id=fields.pop("return_id", ids.return_id_for(order_id, rid)),
        order_id=order_id,
        method=pb.RETURN_METHOD_IN_STORE,
        receiving_location_id="STORE-002",
        items=[pb.ReturnItem(sku=s, quantity=q, condition=condition) for s, q in items],
        **fields,
    )


def by_mail(order_id: str, *items: tuple[str, int], **fields: Any) -> pb.CreateReturnRequest:
    """An RMA valid for 14 days."""
    rid = fields.pop("request_id", request_id())
    return pb.CreateReturnRequest(
        request_id=rid,
        return_id=ids.return_id_for(order_id, rid),
        order_id=order_id,
        method=pb.RETURN_METHOD_MAIL,
        items=[pb.ReturnItem(sku=s, quantity=q) for s, q in items],
        expire_time=stamp(14),
        reason="changed my mind",
        **fields,
    )


def parcel(
    return_id: str,
    *items: tuple[str, int],
    rid: str | None = None,
    condition: pb.ItemCondition.ValueType = RESELLABLE,
) -> pb.ReceiveReturnRequest:
    return pb.ReceiveReturnRequest(
        request_id=rid or request_id(),
        return_id=return_id,
        receiving_location_id="DC-01",
        items=[pb.ReturnItem(sku=s, quantity=q, condition=condition) for s, q in items],
    )


def refund(return_id: str, rid: str | None = None) -> pb.RefundReturnRequest:
    return pb.RefundReturnRequest(request_id=rid or request_id(), return_id=return_id)


def expire(return_id: str) -> pb.ExpireReturnRequest:
    return pb.ExpireReturnRequest(request_id=request_id(), return_id=return_id)


def refunds(order: pb.Order) -> list[pb.Payment]:
    return [p for p in order.payments if p.operation == pb.PAYMENT_OPERATION_REFUND]


async def test_in_store_return_is_received_at_once_and_refunded_to_the_card(orders: Stub) -> None:
    order = await handed_over(orders)

    created = await orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1)))
    ret = created.order_return
    paid = await orders.RefundReturn(refund(ret.return_id))

    assert ret.state == pb.RETURN_STATE_RECEIVED and ret.receive_time.seconds > 0
    assert [(x.sku, x.quantity, x.condition) for x in ret.lines] == [("SKU-1", 1, RESELLABLE)]
    assert ret.refund_total == eur(1250) and ret.rma_number == ""
    assert [line.returned_quantity for line in created.order.lines] == [1, 0]
    assert paid.order_return.state == pb.RETURN_STATE_REFUNDED
    assert (paid.payment.amount, paid.payment.return_id) == (eur(1250), ret.return_id)
    stored = await get(orders, order.order_id)
    assert [r.state for r in stored.returns] == [pb.RETURN_STATE_REFUNDED]
    assert [(p.amount, p.return_id) for p in refunds(stored)] == [(eur(1250), ret.return_id)]
    assert {"return_received", "return_refunded"} <= {e.type for e in stored.timeline}


async def test_mail_return_gets_an_rma_then_is_received_and_refunded(orders: Stub) -> None:
    order = await handed_over(orders)

    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 2)))).order_return
    received = (
        await orders.ReceiveReturn(parcel(rma.return_id, ("SKU-1", 2), condition=DAMAGED))
    ).order_return
    paid = await orders.RefundReturn(refund(rma.return_id))

    assert rma.state == pb.RETURN_STATE_AUTHORIZED
    assert rma.rma_number == ids.rma_number_of(rma.return_id) and rma.expire_time.seconds > 0
    assert received.state == pb.RETURN_STATE_RECEIVED
    assert received.receiving_location_id == "DC-01"
    assert [x.condition for x in received.lines] == [DAMAGED]
    assert paid.payment.amount == eur(2500)  # damaged units were returned too: refunded
    events = [e.type for e in (await get(orders, order.order_id)).timeline]
    assert events[-4:] == [
        "return_authorized",
        "return_received",
        "payment_refunded",
        "return_refunded",
    ]


async def test_several_partial_returns_add_up_on_the_order(orders: Stub) -> None:
    order = await handed_over(orders)

    await orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1)))
    await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 1), ("SKU-2", 1)))
    stored = await get(orders, order.order_id)

    assert [line.returned_quantity for line in stored.lines] == [2, 1]
    assert [r.state for r in stored.returns] == [
        pb.RETURN_STATE_RECEIVED,
        pb.RETURN_STATE_AUTHORIZED,
    ]
    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1))))
    assert error.metadata == {"sku": "SKU-1", "requested": "1", "returnable": "0"}


async def test_more_than_handed_over_is_refused_and_nothing_is_stored(orders: Stub) -> None:
    order = await handed_over(orders)
    request = in_store(order.order_id, ("SKU-2", 1), ("SKU-1", 3))

    error = await refused(orders.CreateReturn(request))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "QUANTITY_NOT_RETURNABLE",
    )
    assert error.metadata == {"sku": "SKU-1", "requested": "3", "returnable": "2"}
    assert await get(orders, order.order_id) == order
    missing = await refused(orders.GetReturn(pb.GetReturnRequest(return_id=request.return_id)))
    assert (missing.code, missing.reason) == (grpc.StatusCode.NOT_FOUND, "RETURN_NOT_FOUND")


async def test_final_sale_is_refused_unless_an_associate_overrides_it(orders: Stub) -> None:
    clearance = pb.OrderLine(sku="SKU-9", quantity=1, unit_price=eur(900), final_sale=True)
    order = await handed_over(orders, lines=[*an_order().lines, clearance])

    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-9", 1))))
    override: dict[str, Any] = {"override_reason": "faulty zip", "overridden_by": "assoc-17"}
    ret = (
        await orders.CreateReturn(in_store(order.order_id, ("SKU-9", 1), **override))
    ).order_return

    assert [line.final_sale for line in order.lines] == [False, False, True]
    assert (error.reason, error.metadata) == ("FINAL_SALE", {"sku": "SKU-9"})
    assert (ret.override_reason, ret.overridden_by) == ("faulty zip", "assoc-17")
    last = (await get(orders, order.order_id)).timeline[-1]
    assert last.type == "return_received" and "override by assoc-17: faulty zip" in last.detail


async def test_outside_the_window_is_refused_unless_overridden(orders: Stub) -> None:
    order = await handed_over(orders)
    late: dict[str, Any] = {"request_time": stamp(31)}

    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1), **late)))
    in_time = await orders.CreateReturn(
        in_store(order.order_id, ("SKU-1", 1), request_time=stamp(29))
    )
    overridden = await orders.CreateReturn(
        in_store(
            order.order_id,
            ("SKU-1", 1),
            override_reason="customer was abroad",
            overridden_by="assoc-17",
            **late,
        )
    )

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RETURN_WINDOW_CLOSED",
    )
    assert error.metadata["window_days"] == "30"
    assert {"handed_over", "deadline"} <= error.metadata.keys()
    assert in_time.order_return.state == overridden.order_return.state == pb.RETURN_STATE_RECEIVED


async def test_window_per_channel_comes_from_the_settings(database_url: str) -> None:
    async with running_orders(database_url, return_window_days_store=7) as orders:
        sale = await store_sale(orders)
        web = await handed_over(orders)

        error = await refused(
            orders.CreateReturn(in_store(sale.order_id, ("SKU-1", 1), request_time=stamp(8)))
        )
        accepted = await orders.CreateReturn(
            in_store(web.order_id, ("SKU-1", 1), request_time=stamp(8))
        )

    assert (error.reason, error.metadata["window_days"]) == ("RETURN_WINDOW_CLOSED", "7")
    assert accepted.order_return.state == pb.RETURN_STATE_RECEIVED


async def test_store_sale_is_handed_over_at_once_with_its_receipt(orders: Stub) -> None:
    sale = await store_sale(orders, receipt_number="T12-2030.0042")

    ret = (await orders.CreateReturn(in_store(sale.order_id, ("SKU-2", 1)))).order_return
    paid = await orders.RefundReturn(refund(ret.return_id))

    assert sale.state == pb.ORDER_STATE_PICKED_UP and sale.channel == pb.CHANNEL_STORE
    assert (await get(orders, sale.order_id)).receipt_number == "T12-2030.0042"
    assert paid.payment.amount == eur(500)


async def test_a_repeated_sale_must_carry_the_same_receipt_and_final_sale_flags(
    orders: Stub,
) -> None:
    sale = an_order(channel=pb.CHANNEL_STORE, receipt_number="T1-0001")
    await orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=sale))
    other_receipt, now_final = pb.Order(), pb.Order()
    other_receipt.CopyFrom(sale)
    other_receipt.receipt_number = "T1-0002"
    now_final.CopyFrom(sale)
    now_final.lines[0].final_sale = True

    for changed in (other_receipt, now_final):
        request = pb.CreateOrderRequest(request_id=request_id(), order=changed)
        assert (await refused(orders.CreateOrder(request))).reason == "ORDER_EXISTS"


async def test_order_not_yet_collected_cannot_be_returned(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1))))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_HANDED_OVER",
    )
    assert list((await get(orders, order.order_id)).returns) == []


async def test_repeated_create_answers_the_stored_return_and_other_content_is_refused(
    orders: Stub,
) -> None:
    order = await handed_over(orders)
    request = by_mail(order.order_id, ("SKU-1", 1))

    first = (await orders.CreateReturn(request)).order_return
    again = (await orders.CreateReturn(request)).order_return
    other = pb.CreateReturnRequest()
    other.CopyFrom(request)
    other.items[0].quantity = 2
    error = await refused(orders.CreateReturn(other))

    assert again == first
    assert (error.code, error.reason) == (grpc.StatusCode.ALREADY_EXISTS, "RETURN_EXISTS")
    assert [line.returned_quantity for line in (await get(orders, order.order_id)).lines] == [1, 0]


async def test_mail_return_received_twice_is_refused_but_the_same_scan_is_answered(
    orders: Stub,
) -> None:
    order = await handed_over(orders)
    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 1)))).order_return
    scan = parcel(rma.return_id, ("SKU-1", 1))

    first = (await orders.ReceiveReturn(scan)).order_return
    same = (await orders.ReceiveReturn(scan)).order_return
    error = await refused(orders.ReceiveReturn(parcel(rma.return_id, ("SKU-1", 1))))

    assert same == first
    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RETURN_ALREADY_RECEIVED",
    )
    timeline = (await get(orders, order.order_id)).timeline
    assert [e.type for e in timeline].count("return_received") == 1


async def test_receipt_must_name_exactly_the_returns_units(orders: Stub) -> None:
    order = await handed_over(orders)
    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 2)))).order_return
    scan = parcel(rma.return_id, ("SKU-1", 1), ("SKU-2", 1))

    error = await refused(orders.ReceiveReturn(scan))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {"items[0].quantity", "items[1].sku"}
    got = await orders.GetReturn(pb.GetReturnRequest(return_id=rma.return_id))
    assert got.order_return.state == pb.RETURN_STATE_AUTHORIZED


async def test_expired_rma_frees_its_units_for_a_new_return(orders: Stub) -> None:
    order = await handed_over(orders)
    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 2)))).order_return

    expired = (await orders.ExpireReturn(expire(rma.return_id))).order_return
    again = (await orders.ExpireReturn(expire(rma.return_id))).order_return
    late_parcel = await refused(orders.ReceiveReturn(parcel(rma.return_id, ("SKU-1", 2))))
    counter = await orders.CreateReturn(in_store(order.order_id, ("SKU-1", 2)))

    assert expired.state == again.state == pb.RETURN_STATE_EXPIRED
    assert late_parcel.reason == "RETURN_EXPIRED"
    assert counter.order_return.state == pb.RETURN_STATE_RECEIVED
    assert [line.returned_quantity for line in counter.order.lines] == [2, 0]
    assert [e.type for e in counter.order.timeline].count("return_expired") == 1


async def test_refund_needs_the_goods_and_a_received_return_cannot_expire(orders: Stub) -> None:
    order = await handed_over(orders)
    rma = (await orders.CreateReturn(by_mail(order.order_id, ("SKU-1", 1)))).order_return
    counter = (await orders.CreateReturn(in_store(order.order_id, ("SKU-2", 1)))).order_return

    early = await refused(orders.RefundReturn(refund(rma.return_id)))
    too_late = await refused(orders.ExpireReturn(expire(counter.return_id)))

    assert (early.code, early.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "RETURN_NOT_RECEIVED",
    )
    assert too_late.reason == "RETURN_ALREADY_RECEIVED"
    assert refunds(await get(orders, order.order_id)) == []


async def test_refund_is_paid_once_however_often_it_is_asked(orders: Stub) -> None:
    order = await handed_over(orders)
    ret = (await orders.CreateReturn(in_store(order.order_id, ("SKU-1", 2)))).order_return
    rid = request_id()

    first = await orders.RefundReturn(refund(ret.return_id, rid))
    same = await orders.RefundReturn(refund(ret.return_id, rid))
    other = await orders.RefundReturn(refund(ret.return_id))
    racing = await asyncio.gather(*(orders.RefundReturn(refund(ret.return_id)) for _ in range(3)))

    assert same == first and other == first
    assert {r.payment.payment_id for r in racing} == {first.payment.payment_id}
    assert [p.amount for p in refunds(await get(orders, order.order_id))] == [eur(2500)]


async def test_returns_racing_for_the_same_units_let_exactly_one_win(orders: Stub) -> None:
    order = await handed_over(orders)
    requests = [in_store(order.order_id, ("SKU-1", 2)) for _ in range(5)]

    answers = await asyncio.gather(
        *(orders.CreateReturn(r) for r in requests), return_exceptions=True
    )

    won = [a for a in answers if isinstance(a, pb.CreateReturnResponse)]
    lost = [a for a in answers if isinstance(a, grpc.aio.AioRpcError)]
    assert len(won) == 1 and len(lost) == 4
    assert {e.code() for e in lost} == {grpc.StatusCode.FAILED_PRECONDITION}
    assert {e.details() for e in lost} == {lost[0].details()}
    assert "2 x SKU-1 requested; 0 can still be returned" in (lost[0].details() or "")
    stored = await get(orders, order.order_id)
    assert len(stored.returns) == 1 and stored.lines[0].returned_quantity == 2


async def test_bad_return_requests_name_every_bad_field(orders: Stub) -> None:
    request = pb.CreateReturnRequest(
        request_id="short",
        return_id="RET-1",
        order_id="ORD-1",
        method=pb.RETURN_METHOD_IN_STORE,
        items=[pb.ReturnItem(sku="sku 1", quantity=0)],
        override_reason="because",
    )

    error = await refused(orders.CreateReturn(request))
    mail = await refused(
        orders.CreateReturn(
            pb.CreateReturnRequest(
                request_id=request_id(),
                return_id="RET-0123456789",
                order_id="ORD-0123456789",
                method=pb.RETURN_METHOD_MAIL,
            )
        )
    )

    assert {v.field for v in error.violations} == {
        "request_id",
        "return_id",
        "order_id",
        "receiving_location_id",
        "items[0].sku",
        "items[0].quantity",
        "items[0].condition",
        "overridden_by",
    }
    assert {v.field for v in mail.violations} == {"expire_time", "items"}


async def test_skus_not_on_the_order_are_invalid(orders: Stub) -> None:
    order = await handed_over(orders)

    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1), ("SKU-7", 1))))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["items[1].sku"]
