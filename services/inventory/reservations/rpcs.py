"""InventoryService's reservation RPCs: reserve (with the others waiting at that moment, in one
transaction: a group commit, see ``reservations.batch``), release, commit, read, convert and
expire holds, and units taken out of a reservation (short picks, units not collected)."""

from __future__ import annotations

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.group_commit import GroupCommit
from services.common.server import Context
from services.common.timeconv import Clock
from services.inventory.reservations import convert, holds, reserved_units, settlement
from services.inventory.reservations.batch import Reserving
from services.inventory.reservations.domain import Reservation
from services.inventory.reservations.repository import existing_reservation
from services.inventory.reservations.validation import (
    validate_convert,
    validate_reserve,
    validate_take_units,
)
from services.inventory.stock import convert as stock_convert
from services.inventory.stock.domain import MovementKind, StockLevel
from services.inventory.stock.postings import first_writer_wins
from services.inventory.stock.validation import validate_reference


class ReservationRpcs(inventory_pb2_grpc.InventoryServiceServicer):
    """Reservations and checkout holds, and units taken out of them."""

    db: Database
    clock: Clock
    cancel_transfers: settlement.CancelTransfers
    reservations: GroupCommit[Reserving, Reservation]

    async def Reserve(self, request: pb.ReserveRequest, context: Context) -> pb.ReserveResponse:
        """Written with the other reservations waiting at that moment, in one transaction."""
        command, now = validate_reserve(convert.reserve_from_proto(request)), self.clock()
        reservation = await self.reservations.submit(Reserving(command, now))
        return pb.ReserveResponse(reservation=convert.reservation_to_proto(reservation))

    async def Release(self, request: pb.ReleaseRequest, context: Context) -> pb.ReleaseResponse:
        """ACTIVE -> RELEASED; a released reservation is returned as is, a committed one is
        FAILED_PRECONDITION/RESERVATION_NOT_ACTIVE."""
        reservation_id, reason = request.reservation_id, request.reason
        validate_reference(reservation_id, "reservation_id", reason, "reason")
        now = self.clock()
        reservation = await self.db.run(
            lambda s: settlement.finish(
                s, reservation_id, MovementKind.RELEASE, reason, now, self.cancel_transfers
            )
        )
        return pb.ReleaseResponse(reservation=convert.reservation_to_proto(reservation))

    async def Commit(self, request: pb.CommitRequest, context: Context) -> pb.CommitResponse:
        """ACTIVE -> COMMITTED; a committed reservation is returned as is, a released one is
        FAILED_PRECONDITION/RESERVATION_NOT_ACTIVE."""
        reservation_id = request.reservation_id
        validate_reference(reservation_id, "reservation_id")
        now = self.clock()
        reservation = await self.db.run(
            lambda s: settlement.finish(
                s, reservation_id, MovementKind.COMMIT, "", now, self.cancel_transfers
            )
        )
        return pb.CommitResponse(reservation=convert.reservation_to_proto(reservation))

    async def GetReservation(
        self, request: pb.GetReservationRequest, context: Context
    ) -> pb.GetReservationResponse:
        reservation_id = request.reservation_id
        validate_reference(reservation_id, "reservation_id")
        reservation = await self.db.read(lambda s: existing_reservation(s, reservation_id))
        return pb.GetReservationResponse(reservation=convert.reservation_to_proto(reservation))

    async def ConvertHold(
        self, request: pb.ConvertHoldRequest, context: Context
    ) -> pb.ConvertHoldResponse:
        reservation_id, order_id, owner_id = (
            request.reservation_id,
            request.order_id,
            request.owner_id,
        )
        validate_convert(reservation_id, order_id, owner_id)
        now = self.clock()
        reservation = await self.db.run(
            lambda s: holds.convert_hold(s, reservation_id, order_id, owner_id, now)
        )
        return pb.ConvertHoldResponse(reservation=convert.reservation_to_proto(reservation))

    async def ExpireHolds(
        self, request: pb.ExpireHoldsRequest, context: Context
    ) -> pb.ExpireHoldsResponse:
        now = self.clock()
        expired = await self.db.run(lambda s: holds.expire_holds(s, now, self.cancel_transfers))
        return pb.ExpireHoldsResponse(expired_reservation_ids=expired)

    async def RecordShortPick(
        self, request: pb.RecordShortPickRequest, context: Context
    ) -> pb.RecordShortPickResponse:
        """Units gone from the shelf: reserved and on hand drop (movement SHORT_PICK)."""
        reservation, level = await self._take_units(request, MovementKind.SHORT_PICK)
        return pb.RecordShortPickResponse(
            reservation=convert.reservation_to_proto(reservation),
            level=stock_convert.level_to_proto(level),
        )

    async def ReleaseUnits(
        self, request: pb.ReleaseUnitsRequest, context: Context
    ) -> pb.ReleaseUnitsResponse:
        """Units that stay in the building: reserved drops, on hand does not (movement
        RELEASE); the reservation stays ACTIVE with what is left."""
        reservation, level = await self._take_units(request, MovementKind.RELEASE)
        return pb.ReleaseUnitsResponse(
            reservation=convert.reservation_to_proto(reservation),
            level=stock_convert.level_to_proto(level),
        )

    async def _take_units(
        self, request: pb.RecordShortPickRequest | pb.ReleaseUnitsRequest, kind: MovementKind
    ) -> tuple[Reservation, StockLevel]:
        command = validate_take_units(convert.take_units_from_proto(request))
        now = self.clock()
        return await first_writer_wins(
            self.db, lambda s: reserved_units.take_units(s, command, kind, now)
        )
