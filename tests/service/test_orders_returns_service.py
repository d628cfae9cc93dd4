"""Returns on the order service over real gRPC, on SQLite and on PostgreSQL: in store and by mail,
refunds, expiry, repeats."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common import ids
from tests.support.orders import (
    an_order,
    eur,
    get,
    handed_over,
    refused,
    request_id,
    store_sale,
)
from tests.support.returns import (
    DAMAGED,
    RESELLABLE,
    by_mail,
    expire,
    in_store,
    parcel,
    refund,
    refunds,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub


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
