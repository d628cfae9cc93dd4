"""InventoryService over gRPC: one servicer made of each package's RPCs, and the server that
runs it with its hold sweeper. Products, stock and movements in ``stock``, reservations and
holds in ``reservations``, transfers in ``transfers``, returns and till sales in ``shelf``."""

from __future__ import annotations

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.group_commit import GroupCommit
from services.common.migrations import upgrade
from services.common.server import GrpcService, build_server
from services.common.timeconv import Clock, utcnow
from services.inventory.config import InventorySettings
from services.inventory.migrations import SCHEMA
from services.inventory.reservations.batch import Reserving, reservation_key, reserve_all
from services.inventory.reservations.domain import Reservation
from services.inventory.reservations.rpcs import ReservationRpcs
from services.inventory.reservations.sweeper import HoldSweeper
from services.inventory.shelf.rpcs import ShelfRpcs
from services.inventory.stock.rpcs import StockRpcs
from services.inventory.transfers.handlers import cancel_created
from services.inventory.transfers.rpcs import TransferRpcs

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["InventoryService"].full_name


class InventoryServicer(StockRpcs, ReservationRpcs, TransferRpcs, ShelfRpcs):
    """The InventoryService: every RPC of the packages above, over one database."""

    def __init__(
        self, db: Database, reservations: GroupCommit[Reserving, Reservation], clock: Clock = utcnow
    ) -> None:
        self.db = db
        self.reservations = reservations
        self.clock = clock
        self.cancel_transfers = cancel_created


async def create_server(settings: InventorySettings, clock: Clock = utcnow) -> GrpcService:
    """The service, with its hold sweeper running until the service stops, which first writes
    the reservations still waiting. ``clock`` is the time every request and sweep sees (tests
    move it forward instead of waiting)."""
    db = Database(settings.database_url)
    upgrade(db, SCHEMA)
    reservations = GroupCommit(
        db, reserve_all, reservation_key, linger_seconds=settings.reserve_linger_seconds
    )
    servicer = InventoryServicer(db, reservations, clock)
    sweeper = HoldSweeper(db, clock, settings.hold_sweep_seconds, cancel_created)

    async def on_stop() -> None:
        await reservations.close()
        await sweeper.stop()
        db.dispose()

    def register(server: grpc.aio.Server) -> None:
        inventory_pb2_grpc.add_InventoryServiceServicer_to_server(servicer, server)

    service = build_server(settings, [register], [SERVICE_NAME], on_stop)
    sweeper.start()
    return service
