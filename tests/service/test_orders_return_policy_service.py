"""The return policy as the order service applies it, over real gRPC on SQLite and PostgreSQL:
window, final sale, quantities, overrides, bad requests, and returns racing for the same units."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import grpc

from clickcollect.orders.v1 import orders_pb2 as pb
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
from tests.support.returns import (
    in_store,
    stamp,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub


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


async def test_order_not_yet_collected_cannot_be_returned(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(orders.CreateReturn(in_store(order.order_id, ("SKU-1", 1))))

    assert (error.code, error.reason) == (
        grpc.StatusCode.FAILED_PRECONDITION,
        "ORDER_NOT_HANDED_OVER",
    )
    assert list((await get(orders, order.order_id)).returns) == []


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
