"""Store-sale activities: the sold units leave the store's shelf (inventory service)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from workflows.calls import call
from workflows.contracts.orders import OrderLineInput


@dataclass
class SaleStockInput:
    request_id: str
    store_id: str
    order_id: str
    lines: list[OrderLineInput]


class StoreSaleActivities:
    def __init__(self, inventory: inventory_pb2_grpc.InventoryServiceAsyncStub) -> None:
        self.inventory = inventory

    @activity.defn
    async def record_sale(self, sale: SaleStockInput) -> None:
        request = inventory_pb2.RecordSaleRequest(
            request_id=sale.request_id,
            location_id=sale.store_id,
            reference=sale.order_id,
            items=[inventory_pb2.SaleItem(sku=x.sku, quantity=x.quantity) for x in sale.lines],
        )
        await call(self.inventory.RecordSale, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.record_sale]
