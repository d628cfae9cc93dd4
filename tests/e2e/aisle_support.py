"""Building blocks of the stock views and endless-aisle journeys: a catalogue of their own
(the e2e stack's stock is shared by every test), a stock lookup at a terminal, an availability
question from a shopper, an order an associate places for a customer."""

from __future__ import annotations

import uuid
from typing import Any

import grpc

from clickcollect.common.v1 import money_pb2
from clickcollect.gateway.v1 import checkout_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from deploy.local.stack import Stack
from tests.support.gateway import Caller

LAMP = "AISLE-LAMP-01"  # only the DC has it
VASE = "AISLE-VASE-01"  # plenty at Amsterdam Zuid, two left at Oost, none at Centraal
STOCK = {
    LAMP: ("Aisle floor lamp", {"DC-01": 40}),
    VASE: ("Aisle glass vase", {"STORE-002": 10, "STORE-003": 2}),
}
CENTRAAL = (52.3791, 4.9003)  # STORE-001


async def stocked_catalogue(stack: Stack) -> None:
    """The journeys' products and their stock (idempotent: fixed request ids)."""
    async with grpc.aio.insecure_channel(stack.config.target("inventory")) as channel:
        inventory = inventory_pb2_grpc.InventoryServiceStub(channel)
        price = money_pb2.Money(amount_minor=4999, currency_code="EUR")
        for sku, (name, at) in STOCK.items():
            product = inventory_pb2.Product(sku=sku, name=name, price=price)
            await inventory.UpsertProduct(inventory_pb2.UpsertProductRequest(product=product))
            for location_id, units in at.items():
                receipt = inventory_pb2.AdjustStockRequest(
                    request_id=f"aisle-{sku}-{location_id}",
                    location_id=location_id,
                    sku=sku,
                    on_hand_delta=units,
                    kind=inventory_pb2.MOVEMENT_KIND_RECEIPT,
                    reason="aisle journeys",
                )
                await inventory.AdjustStock(receipt)


def rid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


async def lookup_stock(terminal: Caller, **asked: Any) -> store_ops_pb2.LookupStockResponse:
    request = store_ops_pb2.LookupStockRequest(**asked)
    return await terminal.store_ops.LookupStock(request, metadata=terminal.metadata)


async def availability(caller: Caller, *skus: str, **where: Any) -> dict[str, Any]:
    """Per store id: {sku: SkuAvailability}."""
    request = checkout_pb2.GetAvailabilityRequest(skus=list(skus), **where)
    answer = await caller.checkout.GetAvailability(request, metadata=caller.metadata)
    return {store.store_id: {row.sku: row for row in store.skus} for store in answer.stores}


def aisle_order(**fields: Any) -> store_ops_pb2.PlaceOrderForCustomerRequest:
    """One lamp for pickup at the terminal's store, paid by card; ``fields`` name the customer
    and override the rest."""
    return store_ops_pb2.PlaceOrderForCustomerRequest(
        request_id=fields.pop("request_id", rid("aisle")),
        lines=fields.pop("lines", [checkout_pb2.BasketLine(sku=LAMP, quantity=1)]),
        payment_method=fields.pop("payment_method", "pm_card_visa"),
        associate=fields.pop("associate", "Sam de Vries"),
        **fields,
    )


async def order_for_customer(terminal: Caller, **fields: Any) -> Any:
    request = aisle_order(**fields)
    return (
        await terminal.store_ops.PlaceOrderForCustomer(request, metadata=terminal.metadata)
    ).order
