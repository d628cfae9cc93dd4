"""InventoryService's transfer RPCs: create, ship, receive, cancel and read a transfer of
reserved stock; one transaction each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.server import Context
from services.common.timeconv import Clock
from services.inventory.stock.postings import first_writer_wins
from services.inventory.transfers import convert
from services.inventory.transfers import handlers as transfers
from services.inventory.transfers.domain import Transfer
from services.inventory.transfers.validation import (
    validate_create_transfer,
    validate_receive,
    validate_transfer_id,
)

Step = Callable[[Session, str, datetime], Transfer]


class TransferRpcs(inventory_pb2_grpc.InventoryServiceServicer):
    """Transfers of reserved stock between locations."""

    db: Database
    clock: Clock

    async def CreateTransfer(
        self, request: pb.CreateTransferRequest, context: Context
    ) -> pb.CreateTransferResponse:
        transfer = validate_create_transfer(convert.transfer_from_proto(request))
        now = self.clock()
        created = await first_writer_wins(self.db, lambda s: transfers.create(s, transfer, now))
        return pb.CreateTransferResponse(transfer=convert.transfer_to_proto(created))

    async def ShipTransfer(
        self, request: pb.ShipTransferRequest, context: Context
    ) -> pb.ShipTransferResponse:
        shipped = await self._move(request.transfer_id, transfers.ship)
        return pb.ShipTransferResponse(transfer=shipped)

    async def ReceiveTransfer(
        self, request: pb.ReceiveTransferRequest, context: Context
    ) -> pb.ReceiveTransferResponse:
        command = validate_receive(convert.receive_from_proto(request))
        now = self.clock()
        received = await self.db.run(lambda s: transfers.receive(s, command, now))
        return pb.ReceiveTransferResponse(transfer=convert.transfer_to_proto(received))

    async def CancelTransfer(
        self, request: pb.CancelTransferRequest, context: Context
    ) -> pb.CancelTransferResponse:
        cancelled = await self._move(request.transfer_id, transfers.cancel)
        return pb.CancelTransferResponse(transfer=cancelled)

    async def GetTransfer(
        self, request: pb.GetTransferRequest, context: Context
    ) -> pb.GetTransferResponse:
        transfer_id = request.transfer_id
        validate_transfer_id(transfer_id)
        found = await self.db.read(lambda s: transfers.existing_transfer(s, transfer_id))
        return pb.GetTransferResponse(transfer=convert.transfer_to_proto(found))

    async def _move(self, transfer_id: str, step: Step) -> pb.Transfer:
        """Ships or cancels the transfer named by the request, in one transaction."""
        validate_transfer_id(transfer_id)
        now = self.clock()
        moved = await self.db.run(lambda s: step(s, transfer_id, now))
        return convert.transfer_to_proto(moved)
