"""InventoryService's shelf RPCs: returns received and till sales, stock that reaches or leaves
the shelf without a reservation. One transaction each, idempotent by request id."""

from __future__ import annotations

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.server import Context
from services.common.timeconv import Clock
from services.inventory.shelf import convert
from services.inventory.shelf import handlers as shelf
from services.inventory.shelf.validation import validate_return, validate_sale
from services.inventory.stock import convert as stock_convert
from services.inventory.stock.postings import first_writer_wins


class ShelfRpcs(inventory_pb2_grpc.InventoryServiceServicer):
    """Returns received and till sales."""

    db: Database
    clock: Clock

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        command, now = validate_return(convert.return_from_proto(request)), self.clock()
        levels = await first_writer_wins(self.db, lambda s: shelf.receive_return(s, command, now))
        return pb.ReceiveReturnResponse(levels=[stock_convert.level_to_proto(x) for x in levels])

    async def RecordSale(
        self, request: pb.RecordSaleRequest, context: Context
    ) -> pb.RecordSaleResponse:
        command, now = validate_sale(convert.sale_from_proto(request)), self.clock()
        levels = await first_writer_wins(self.db, lambda s: shelf.record_sale(s, command, now))
        return pb.RecordSaleResponse(levels=[stock_convert.level_to_proto(x) for x in levels])
