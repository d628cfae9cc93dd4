"""Proto <-> domain for returns received and till sales."""

from __future__ import annotations

from clickcollect.inventory.v1 import inventory_pb2
from services.inventory.shelf.domain import (
    Disposition,
    ReturnCommand,
    ReturnedItem,
    SaleCommand,
    SaleItem,
)

_DISPOSITION_FROM_PROTO = {
    inventory_pb2.DISPOSITION_RESTOCK: Disposition.RESTOCK,
    inventory_pb2.DISPOSITION_WRITE_OFF: Disposition.WRITE_OFF,
}


def return_from_proto(request: inventory_pb2.ReceiveReturnRequest) -> ReturnCommand:
    """An unspecified (or unknown) disposition reads as None, which validation refuses."""
    items = tuple(
        ReturnedItem(x.sku, x.quantity, _DISPOSITION_FROM_PROTO.get(x.disposition))
        for x in request.items
    )
    return ReturnCommand(request.request_id, request.location_id, request.reference, items)


def sale_from_proto(request: inventory_pb2.RecordSaleRequest) -> SaleCommand:
    items = tuple(SaleItem(x.sku, x.quantity) for x in request.items)
    return SaleCommand(request.request_id, request.location_id, request.reference, items)
