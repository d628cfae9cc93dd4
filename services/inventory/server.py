"""InventoryService over gRPC: proto in, validation, one transaction, proto out. Reservations
share their transaction with the others waiting at that moment (a group commit, see
``reservations.batch``). The shop-floor RPCs (short picks, released units, returns, till sales)
live in ``shelf.rpcs``."""

from __future__ import annotations

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.group_commit import GroupCommit
from services.common.paging import decode_token, next_token, page_size
from services.common.server import GrpcService, build_server
from services.common.timeconv import utcnow
from services.inventory.config import InventorySettings
from services.inventory.reservations import holds, settlement
from services.inventory.reservations.batch import Reserving, reservation_key, reserve_all
from services.inventory.reservations.sweeper import Clock, HoldSweeper
from services.inventory.shelf.rpcs import FloorRpcs
from services.inventory.stock import adjustments, convert, repository, tables
from services.inventory.stock.domain import MovementKind, Reservation
from services.inventory.stock.postings import existing_reservation, first_writer_wins
from services.inventory.stock.validation import (
    unknown_skus,
    validate_adjust,
    validate_convert,
    validate_location_sku,
    validate_product,
    validate_reference,
    validate_reserve,
    validate_skus,
    validate_stock_query,
)
from services.inventory.transfers import handlers as transfers
from services.inventory.transfers.validation import (
    validate_create_transfer,
    validate_receive,
    validate_transfer_id,
)

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["InventoryService"].full_name
Context = grpc.aio.ServicerContext


class InventoryServicer(FloorRpcs):
    def __init__(
        self, db: Database, reservations: GroupCommit[Reserving, Reservation], clock: Clock = utcnow
    ) -> None:
        self.db = db
        self.reservations = reservations
        self.clock = clock

    async def UpsertProduct(
        self, request: pb.UpsertProductRequest, context: Context
    ) -> pb.UpsertProductResponse:
        product = validate_product(convert.product_from_proto(request.product), request.request_id)
        saved = await self.db.run(lambda s: repository.save_product(s, product))
        return pb.UpsertProductResponse(product=convert.product_to_proto(saved))

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: Context
    ) -> pb.BatchGetProductsResponse:
        skus = list(request.skus)
        validate_skus(skus)
        found = await self.db.read(lambda s: repository.products_by_sku(s, skus))
        unknown_skus(skus, set(found))
        return pb.BatchGetProductsResponse(
            products=[convert.product_to_proto(found[sku]) for sku in skus]
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: Context
    ) -> pb.ListProductsResponse:
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        found = await self.db.read(lambda s: repository.list_products(s, offset, size + 1))
        return pb.ListProductsResponse(
            products=[convert.product_to_proto(p) for p in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )

    async def GetStock(self, request: pb.GetStockRequest, context: Context) -> pb.GetStockResponse:
        location_ids, skus = list(request.location_ids), list(request.skus)
        validate_stock_query(location_ids, skus)
        levels = await self.db.read(lambda s: repository.stock_levels(s, location_ids, skus))
        return pb.GetStockResponse(levels=[convert.level_to_proto(x) for x in levels])

    async def AdjustStock(
        self, request: pb.AdjustStockRequest, context: Context
    ) -> pb.AdjustStockResponse:
        command, now = validate_adjust(convert.adjust_from_proto(request)), self.clock()
        level = await first_writer_wins(self.db, lambda s: adjustments.adjust(s, command, now))
        return pb.AdjustStockResponse(level=convert.level_to_proto(level))

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
            lambda s: settlement.finish(s, reservation_id, MovementKind.RELEASE, reason, now)
        )
        return pb.ReleaseResponse(reservation=convert.reservation_to_proto(reservation))

    async def Commit(self, request: pb.CommitRequest, context: Context) -> pb.CommitResponse:
        """ACTIVE -> COMMITTED; a committed reservation is returned as is, a released one is
        FAILED_PRECONDITION/RESERVATION_NOT_ACTIVE."""
        reservation_id = request.reservation_id
        validate_reference(reservation_id, "reservation_id")
        now = self.clock()
        reservation = await self.db.run(
            lambda s: settlement.finish(s, reservation_id, MovementKind.COMMIT, "", now)
        )
        return pb.CommitResponse(reservation=convert.reservation_to_proto(reservation))

    async def GetReservation(
        self, request: pb.GetReservationRequest, context: Context
    ) -> pb.GetReservationResponse:
        reservation_id = request.reservation_id
        validate_reference(reservation_id, "reservation_id")
        reservation = await self.db.read(lambda s: existing_reservation(s, reservation_id))
        return pb.GetReservationResponse(reservation=convert.reservation_to_proto(reservation))

    async def ListMovements(
        self, request: pb.ListMovementsRequest, context: Context
    ) -> pb.ListMovementsResponse:
        location_id, sku = request.location_id, request.sku
        validate_location_sku(location_id, sku)
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        found = await self.db.read(
            lambda s: repository.list_movements(s, location_id, sku, offset, size + 1)
        )
        return pb.ListMovementsResponse(
            movements=[convert.movement_to_proto(m) for m in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )

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
        expired = await self.db.run(lambda s: holds.expire_holds(s, now))
        return pb.ExpireHoldsResponse(expired_reservation_ids=expired)

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
        transfer_id, now = request.transfer_id, self.clock()
        validate_transfer_id(transfer_id)
        shipped = await self.db.run(lambda s: transfers.ship(s, transfer_id, now))
        return pb.ShipTransferResponse(transfer=convert.transfer_to_proto(shipped))

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
        transfer_id, now = request.transfer_id, self.clock()
        validate_transfer_id(transfer_id)
        cancelled = await self.db.run(lambda s: transfers.cancel(s, transfer_id, now))
        return pb.CancelTransferResponse(transfer=convert.transfer_to_proto(cancelled))

    async def GetTransfer(
        self, request: pb.GetTransferRequest, context: Context
    ) -> pb.GetTransferResponse:
        transfer_id = request.transfer_id
        validate_transfer_id(transfer_id)
        found = await self.db.read(lambda s: transfers.existing_transfer(s, transfer_id))
        return pb.GetTransferResponse(transfer=convert.transfer_to_proto(found))


async def create_server(settings: InventorySettings, clock: Clock = utcnow) -> GrpcService:
    """The service, with its hold sweeper running until the service stops, which first writes
    the reservations still waiting. ``clock`` is the time every request and sweep sees (tests
    move it forward instead of waiting)."""
    db = Database(settings.database_url)
    db.create_all(tables)
    reservations = GroupCommit(
        db, reserve_all, reservation_key, linger_seconds=settings.reserve_linger_seconds
    )
    servicer = InventoryServicer(db, reservations, clock)
    sweeper = HoldSweeper(db, clock, settings.hold_sweep_seconds)

    async def on_stop() -> None:
        await reservations.close()
        await sweeper.stop()
        db.dispose()

    def register(server: grpc.aio.Server) -> None:
        inventory_pb2_grpc.add_InventoryServiceServicer_to_server(servicer, server)

    service = build_server(settings, [register], [SERVICE_NAME], on_stop)
    sweeper.start()
    return service
