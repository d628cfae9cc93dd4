"""InventoryService's shop-floor RPCs: reserved units taken out of a reservation (short picks,
units not collected), returns received and till sales. One transaction each, idempotent by
request id."""

from __future__ import annotations

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.inventory.reservations import reserved_units
from services.inventory.reservations.sweeper import Clock
from services.inventory.shelf import handlers as shelf
from services.inventory.shelf.validation import validate_return, validate_sale
from services.inventory.stock import convert
from services.inventory.stock.domain import MovementKind, Reservation, StockLevel
from services.inventory.stock.postings import first_writer_wins
from services.inventory.transfers.validation import validate_take_units

Context = grpc.aio.ServicerContext


class FloorRpcs(inventory_pb2_grpc.InventoryServiceServicer):
    db: Database
    clock: Clock

    async def RecordShortPick(
        self, request: pb.RecordShortPickRequest, context: Context
    ) -> pb.RecordShortPickResponse:
        """Units gone from the shelf: reserved and on hand drop (movement SHORT_PICK)."""
        reservation, level = await self._take_units(request, MovementKind.SHORT_PICK)
        return pb.RecordShortPickResponse(
            reservation=convert.reservation_to_proto(reservation),
            level=convert.level_to_proto(level),
        )

    async def ReleaseUnits(
        self, request: pb.ReleaseUnitsRequest, context: Context
    ) -> pb.ReleaseUnitsResponse:
        """Units that stay in the building: reserved drops, on hand does not (movement
        RELEASE); the reservation stays ACTIVE with what is left."""
        reservation, level = await self._take_units(request, MovementKind.RELEASE)
        return pb.ReleaseUnitsResponse(
            reservation=convert.reservation_to_proto(reservation),
            level=convert.level_to_proto(level),
        )

    async def ReceiveReturn(
        self, request: pb.ReceiveReturnRequest, context: Context
    ) -> pb.ReceiveReturnResponse:
        command, now = validate_return(convert.return_from_proto(request)), self.clock()
        levels = await first_writer_wins(self.db, lambda s: shelf.receive_return(s, command, now))
        return pb.ReceiveReturnResponse(levels=[convert.level_to_proto(x) for x in levels])

    async def RecordSale(
        self, request: pb.RecordSaleRequest, context: Context
    ) -> pb.RecordSaleResponse:
        command, now = validate_sale(convert.sale_from_proto(request)), self.clock()
        levels = await first_writer_wins(self.db, lambda s: shelf.record_sale(s, command, now))
        return pb.RecordSaleResponse(levels=[convert.level_to_proto(x) for x in levels])

    async def _take_units(
        self, request: pb.RecordShortPickRequest | pb.ReleaseUnitsRequest, kind: MovementKind
    ) -> tuple[Reservation, StockLevel]:
        command = validate_take_units(convert.take_units_from_proto(request))
        now = self.clock()
        return await first_writer_wins(
            self.db, lambda s: reserved_units.take_units(s, command, kind, now)
        )
