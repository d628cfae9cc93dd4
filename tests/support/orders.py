"""Building blocks for tests of the order service: a running server, orders, error details."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.orders.config import OrdersSettings
from services.orders.payments.provider import PaymentProvider
from services.orders.server import create_server

if TYPE_CHECKING:
    from clickcollect.orders.v1.orders_pb2_grpc import OrderServiceAsyncStub as Stub

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@asynccontextmanager
async def running_orders(
    database_url: str, provider: PaymentProvider | None = None, **settings: Any
) -> AsyncIterator[Stub]:
    """The real server on a free loopback port, and a client of it; ``provider`` replaces the
    sandbox the settings name, ``settings`` override OrdersSettings fields."""
    config = OrdersSettings(host="127.0.0.1", port=0, database_url=database_url, **settings)
    service = await create_server(config, provider)
    await service.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield orders_pb2_grpc.OrderServiceStub(channel)
    finally:
        await service.stop()


def new_order_id() -> str:
    return "ORD-" + "".join(secrets.choice(_ALPHABET) for _ in range(10))


def new_store_id() -> str:
    return "STORE-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def request_id() -> str:
    return "req-" + secrets.token_hex(8)


def eur(minor: int) -> Money:
    return Money(amount_minor=minor, currency_code="EUR")


def an_order(**fields: Any) -> pb.Order:
    """A valid two-line order (2 x 12.50 + 1 x 5.00 EUR) with a fresh id; fields override."""
    order = pb.Order(
        order_id=new_order_id(),
        customer_id="cust-1",
        customer_email="ada@example.com",
        channel=pb.CHANNEL_WEB,
        pickup_store_id="STORE-001",
        fulfillment_type=pb.FULFILLMENT_TYPE_PICKUP_IN_STORE,
        lines=[
            pb.OrderLine(sku="SKU-1", name="Kettle", quantity=2, unit_price=eur(1250)),
            pb.OrderLine(sku="SKU-2", name="Mug", quantity=1, unit_price=eur(500)),
        ],
    )
    for name, value in fields.items():
        if name == "lines":
            del order.lines[:]
            order.lines.extend(value)
        else:
            setattr(order, name, value)
    return order


async def create(stub: Stub, **fields: Any) -> pb.Order:
    request = pb.CreateOrderRequest(request_id=request_id(), order=an_order(**fields))
    return (await stub.CreateOrder(request)).order


async def move(
    stub: Stub, order_id: str, state: pb.OrderState.ValueType, rid: str | None = None, **fields: Any
) -> pb.Order:
    request = pb.TransitionOrderRequest(
        request_id=rid or request_id(), order_id=order_id, state=state, **fields
    )
    return (await stub.TransitionOrder(request)).order


async def get(stub: Stub, order_id: str) -> pb.Order:
    return (await stub.GetOrder(pb.GetOrderRequest(order_id=order_id))).order


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    """The error details of a call that must fail."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call
    return details_of(caught.value)


def route_request(
    order_id: str,
    lines: dict[int, list[tuple[str, int]]],
    *,
    kind: pb.FulfillmentType.ValueType = pb.FULFILLMENT_TYPE_SHIP_TO_STORE,
    explanation: list[pb.RouteCandidate] | None = None,
    rid: str | None = None,
    **fields: Any,
) -> pb.RecordRouteRequest:
    """A RecordRoute: line number -> [(location, units), ...]."""
    return pb.RecordRouteRequest(
        request_id=rid or request_id(),
        order_id=order_id,
        fulfillment_type=kind,
        lines=[
            pb.LineAllocation(
                line_number=number,
                allocations=[pb.Allocation(location_id=loc, quantity=q) for loc, q in sources],
            )
            for number, sources in lines.items()
        ],
        explanation=explanation or [],
        **fields,
    )


def cancel_request(
    order_id: str, lines: dict[int, int], reason: str = "SHORT_PICK", rid: str | None = None
) -> pb.CancelLinesRequest:
    """A CancelLines: line number -> units no longer coming."""
    return pb.CancelLinesRequest(
        request_id=rid or request_id(),
        order_id=order_id,
        lines=[pb.LineCancellation(line_number=n, quantity=q) for n, q in lines.items()],
        reason=reason,
    )


def shipment_request(
    order_id: str,
    number: int = 1,
    state: pb.ShipmentState.ValueType = pb.SHIPMENT_STATE_PLANNED,
    *,
    event: str = "",
    late: bool = False,
    rid: str | None = None,
    **fields: Any,
) -> pb.RecordShipmentRequest:
    """A RecordShipment of transfer-<order_id>-<number>: 2 x SKU-1 from DC-01."""
    shipment = pb.Shipment(
        transfer_id=f"transfer-{order_id}-{number}",
        source_id="DC-01",
        state=state,
        lines=[pb.ShipmentLine(sku="SKU-1", quantity=2)],
        late=late,
        **fields,
    )
    return pb.RecordShipmentRequest(
        request_id=rid or request_id(), order_id=order_id, shipment=shipment, event=event
    )


async def handed_over(stub: Stub, **fields: Any) -> pb.Order:
    """An order paid, picked, made ready and collected (PICKED_UP: the return window opens)."""
    order = await create(stub, **fields)
    await _pay(stub, order)
    await move(stub, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    await move(stub, order.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="PICK-1234")
    return await move(stub, order.order_id, pb.ORDER_STATE_PICKED_UP, collected_by="Ada")


async def store_sale(stub: Stub, **fields: Any) -> pb.Order:
    """A till sale: paid and handed over at once (PENDING → PICKED_UP)."""
    fields = {"channel": pb.CHANNEL_STORE, "receipt_number": "R-0001.17", **fields}
    order = await create(stub, **fields)
    await _pay(stub, order)
    return await move(stub, order.order_id, pb.ORDER_STATE_PICKED_UP, event="store_sale_recorded")


async def _pay(stub: Stub, order: pb.Order) -> None:
    """The whole total authorized and captured."""
    await stub.AuthorizePayment(
        pb.AuthorizePaymentRequest(
            request_id=request_id(),
            order_id=order.order_id,
            amount=order.total,
            payment_method="pm_card_visa",
        )
    )
    await stub.CapturePayment(
        pb.CapturePaymentRequest(
            request_id=request_id(), order_id=order.order_id, amount=order.total
        )
    )


def deadline() -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=2))
    return value


def opening(order: pb.Order | None = None, **fields: object) -> pb.OpenOrderRequest:
    order = order or an_order()
    route = route_request(
        order.order_id,
        {1: [("STORE-001", 2)], 2: [("STORE-001", 1)]},
        kind=pb.FULFILLMENT_TYPE_PICKUP_IN_STORE,
    )
    first = pb.TransitionOrderRequest(
        state=pb.ORDER_STATE_AWAITING_PICK,
        event="order_accepted",
        detail="to pick at Amsterdam Centrum",
        ready_by=deadline(),
        pick_deadline=deadline(),
    )
    defaults: dict[str, object] = {
        "request_id": request_id(),
        "order": order,
        "route": route,
        "payment_method": "pm_card_visa",
        "transition": first,
    }
    defaults.update(fields)
    return pb.OpenOrderRequest(**defaults)  # type: ignore[arg-type]
