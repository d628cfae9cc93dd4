"""A terminal that acts the instant a read shows a state: the journey of one ship-to-store order
(shipped in from the DC, received, picked, handed over) and of its mail return, each command sent
the moment GetOrder / GetReturn shows the state it needs, optionally with something happening to
the worker at that very moment."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from services.common.ids import return_id_for
from tests.support.gateway import Caller

T = TypeVar("T")
Moment = Callable[[], Awaitable[None]]
pb = order_views_pb2


@dataclass
class Actors:
    customer: Caller
    store: Caller  # STORE-001's terminal: receives, picks, hands over
    dc: Caller  # DC-01's dock: ships, receives mail returns


async def stock_only_at_the_dc(inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> str:
    """A new sku with plenty of units at DC-01 and none in any store (every order ships in)."""
    sku = f"SHIP-{uuid.uuid4().hex[:8].upper()}"
    price = money_pb2.Money(amount_minor=1500, currency_code="EUR")
    product = inventory_pb2.Product(sku=sku, name="Shipped item", price=price)
    await inventory.UpsertProduct(
        inventory_pb2.UpsertProductRequest(request_id=f"p-{sku}", product=product)
    )
    await inventory.AdjustStock(
        inventory_pb2.AdjustStockRequest(
            request_id=f"s-{sku}",
            location_id="DC-01",
            sku=sku,
            on_hand_delta=500,
            kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
            reason="delivery",
        )
    )
    return sku


async def until_shown(read: Callable[[], Awaitable[T]], shown: Callable[[T], bool]) -> T:
    """Reads as fast as the answers come until one shows what the caller waits for."""
    async with asyncio.timeout(60):
        while True:
            try:
                seen = await read()
            except grpc.aio.AioRpcError as error:  # a return not opened yet
                if error.code() != grpc.StatusCode.NOT_FOUND:
                    raise
            else:
                if shown(seen):
                    return seen
            await asyncio.sleep(0)


async def journey(actors: Actors, sku: str, moment: Moment | None = None) -> None:
    """Every command is sent the instant a read shows its state; each must be accepted."""
    customer, store, dc = actors.customer, actors.store, actors.dc
    order = await customer.place((sku, 1))
    assert order.state == pb.ORDER_STATE_IN_TRANSIT
    transfer = order.shipments[0].transfer_id
    ship = store_ops_pb2.ShipTransferRequest(request_id=f"ship-{transfer}", transfer_id=transfer)
    shipped = await dc.store_ops.ShipTransfer(ship, metadata=dc.metadata)
    assert shipped.order.shipments[0].state == pb.SHIPMENT_STATE_SHIPPED

    def read() -> Awaitable[checkout_pb2.GetOrderResponse]:
        request = checkout_pb2.GetOrderRequest(order_id=order.order_id)
        return customer.checkout.GetOrder(request, metadata=customer.metadata)

    receive = store_ops_pb2.ReceiveTransferRequest(
        request_id=f"rc-{transfer}", transfer_id=transfer
    )
    receiving = asyncio.ensure_future(
        store.store_ops.ReceiveTransfer(receive, metadata=store.metadata)
    )
    await until_shown(read, lambda r: r.order.state == pb.ORDER_STATE_AWAITING_PICK)
    await _at(moment)
    pick = store_ops_pb2.MarkPickedRequest(request_id=f"pk-{transfer}", order_id=order.order_id)
    picking = asyncio.ensure_future(store.store_ops.MarkPicked(pick, metadata=store.metadata))
    ready = await until_shown(read, lambda r: r.order.state == pb.ORDER_STATE_READY_FOR_PICKUP)
    await _at(moment)
    handover = store_ops_pb2.ConfirmPickupRequest(
        request_id=f"hd-{transfer}",
        order_id=order.order_id,
        pickup_code=ready.order.pickup_code,
        collector_name="Ada",
    )
    collected = await store.store_ops.ConfirmPickup(handover, metadata=store.metadata)
    assert collected.order.state == pb.ORDER_STATE_PICKED_UP
    assert (await picking).order.state in (
        pb.ORDER_STATE_READY_FOR_PICKUP,
        pb.ORDER_STATE_PICKED_UP,
    )
    assert (await receiving).order.state != pb.ORDER_STATE_IN_TRANSIT
    await _return_by_mail(actors, order.order_id, sku, moment)


async def _return_by_mail(actors: Actors, order_id: str, sku: str, moment: Moment | None) -> None:
    customer, dc = actors.customer, actors.dc
    request_id = f"rr-{uuid.uuid4().hex}"
    return_id = return_id_for(order_id, request_id)
    ask = checkout_pb2.RequestReturnRequest(
        request_id=request_id,
        order_id=order_id,
        lines=[checkout_pb2.ReturnLineRequest(sku=sku, quantity=1)],
    )
    requesting = asyncio.ensure_future(
        customer.checkout.RequestReturn(ask, metadata=customer.metadata)
    )

    def read() -> Awaitable[checkout_pb2.GetReturnResponse]:
        request = checkout_pb2.GetReturnRequest(return_id=return_id)
        return customer.checkout.GetReturn(request, metadata=customer.metadata)

    await until_shown(read, lambda r: r.order_return.state == pb.RETURN_STATE_AUTHORIZED)
    await _at(moment)
    parcel = store_ops_pb2.ReceiveReturnRequest(
        request_id=f"rp-{return_id}",
        return_id=return_id,
        lines=[
            store_ops_pb2.ReturnedLine(sku=sku, quantity=1, condition=pb.ITEM_CONDITION_RESELLABLE)
        ],
    )
    received = await dc.store_ops.ReceiveReturn(parcel, metadata=dc.metadata)
    assert received.order_return.state == pb.RETURN_STATE_REFUNDED
    await requesting


async def _at(moment: Moment | None) -> None:
    if moment is not None:
        await moment()


async def all_accepted(journeys: list[Awaitable[Any]]) -> list[BaseException]:
    """Runs the journeys together; returns what went wrong (nothing, when all held)."""
    results = await asyncio.gather(*journeys, return_exceptions=True)
    return [r for r in results if isinstance(r, BaseException)]
