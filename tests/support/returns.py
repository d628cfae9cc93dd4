"""Return requests for the orders service tests: taken back at a counter, by mail, received,
refunded, expired."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.orders.v1 import orders_pb2 as pb
from services.common import ids
from tests.support.orders import request_id

RESELLABLE, DAMAGED = pb.ITEM_CONDITION_RESELLABLE, pb.ITEM_CONDITION_DAMAGED


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
