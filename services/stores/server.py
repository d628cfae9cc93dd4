"""StoreService over gRPC: proto in, domain rules, one transaction, proto out."""

from __future__ import annotations

from sqlmodel import Session

from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from services.common import ids
from services.common.db import Database
from services.common.errors import AlreadyExists, NotFound, Violations
from services.common.migrations import upgrade
from services.common.paging import decode_token, next_token, page_size
from services.common.server import Context, GrpcService, build_server
from services.common.timeconv import utcnow
from services.stores import pairing, repository
from services.stores.config import StoresSettings
from services.stores.convert import (
    CAPABILITY_FROM_PROTO,
    KIND_FROM_PROTO,
    from_proto,
    lane_from_proto,
    lane_to_proto,
    pairing_to_proto,
    to_proto,
)
from services.stores.domain import (
    Capability,
    Location,
    LocationKind,
    validate_location,
    validate_location_id,
    validate_search,
)
from services.stores.lanes import Lane, check_lane_allowed, validate_lane, validate_lane_filter
from services.stores.migrations import SCHEMA

SERVICE_NAME = stores_pb2.DESCRIPTOR.services_by_name["StoreService"].full_name


class StoreServicer(stores_pb2_grpc.StoreServiceServicer):
    def __init__(self, db: Database) -> None:
        self.db = db

    async def GetLocation(
        self, request: stores_pb2.GetLocationRequest, context: Context
    ) -> stores_pb2.GetLocationResponse:
        validate_location_id(request.location_id)
        location_id = request.location_id
        location = await self.db.read(lambda s: _existing(s, location_id))
        return stores_pb2.GetLocationResponse(location=to_proto(location))

    async def ListLocations(
        self, request: stores_pb2.ListLocationsRequest, context: Context
    ) -> stores_pb2.ListLocationsResponse:
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        kind, capability = _filters(request.kind, request.capability)
        found = await self.db.read(
            lambda s: repository.list_locations(s, offset, size + 1, kind, capability)
        )
        return stores_pb2.ListLocationsResponse(
            locations=[to_proto(location) for location in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )

    async def SearchLocations(
        self, request: stores_pb2.SearchLocationsRequest, context: Context
    ) -> stores_pb2.SearchLocationsResponse:
        lat, lng = request.latitude, request.longitude
        radius = validate_search(lat, lng, request.radius_km)
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        _, capability = _filters(stores_pb2.LOCATION_KIND_UNSPECIFIED, request.capability)
        found = await self.db.read(
            lambda s: repository.locations_within(s, lat, lng, radius, capability)
        )
        return stores_pb2.SearchLocationsResponse(
            results=[
                stores_pb2.LocationDistance(location=to_proto(location), distance_km=distance)
                for location, distance in found[offset : offset + size]
            ],
            next_page_token=next_token(offset, size, len(found) - offset),
        )

    async def UpsertLocation(
        self, request: stores_pb2.UpsertLocationRequest, context: Context
    ) -> stores_pb2.UpsertLocationResponse:
        """Create or replace: idempotent by the location id (a repeat writes the same row)."""
        _check_request_id(request.request_id)
        location = validate_location(from_proto(request.location))
        saved = await self.db.run(lambda s: repository.save_location(s, location))
        return stores_pb2.UpsertLocationResponse(location=to_proto(saved))

    async def UpsertLane(
        self, request: stores_pb2.UpsertLaneRequest, context: Context
    ) -> stores_pb2.UpsertLaneResponse:
        """Create or replace: idempotent by (source, destination); a repeat writes the same row."""
        _check_request_id(request.request_id)
        lane = validate_lane(lane_from_proto(request.lane))
        saved = await self.db.run(lambda s: _save_lane(s, lane))
        return stores_pb2.UpsertLaneResponse(lane=lane_to_proto(saved))

    async def CreatePairingCode(
        self, request: stores_pb2.CreatePairingCodeRequest, context: Context
    ) -> stores_pb2.CreatePairingCodeResponse:
        name, ttl = pairing.check_new(
            request.request_id, request.store_id, request.device_name, request.ttl_minutes
        )
        request_id, store_id = request.request_id, request.store_id

        def work(s: Session) -> pairing.PairingCode:
            made = repository.pairing_for_request(s, request_id)
            if made is not None:  # a repeat: the same code, for the same store and device
                if (made.store_id, made.device_name) != (store_id, name):
                    raise AlreadyExists(
                        "REQUEST_ID_REUSED",
                        "this request id already made a code for another store or device",
                        {"request_id": request_id},
                    )
                return made
            _existing(s, store_id)
            now = utcnow()
            code = pairing.new_code(store_id, name, now, ttl)
            repository.save_pairing(s, code, request_id, now)
            return code

        return stores_pb2.CreatePairingCodeResponse(
            pairing_code=pairing_to_proto(await self.db.run(work))
        )

    async def RedeemPairingCode(
        self, request: stores_pb2.RedeemPairingCodeRequest, context: Context
    ) -> stores_pb2.RedeemPairingCodeResponse:
        code = pairing.read_code(request.code)
        if code is None:
            errors = Violations()
            errors.add("code", pairing.CODE_RULE)
            errors.raise_if_any()
        assert code is not None

        def work(s: Session) -> pairing.PairingCode:
            found = repository.pairing_by_code(s, code)
            if (
                found is None
                or not pairing.usable(found, utcnow())
                or not repository.redeem_pairing(s, code, utcnow())
            ):
                raise NotFound(
                    "PAIRING_CODE_NOT_VALID",
                    "no such pairing code, or it was used or has expired: ask for a new one",
                )
            return found

        return stores_pb2.RedeemPairingCodeResponse(
            pairing_code=pairing_to_proto(await self.db.run(work))
        )

    async def ListLanes(
        self, request: stores_pb2.ListLanesRequest, context: Context
    ) -> stores_pb2.ListLanesResponse:
        source_id, destination_id = request.source_id, request.destination_id
        validate_lane_filter(source_id, destination_id)
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        found = await self.db.read(
            lambda s: repository.list_lanes(s, offset, size + 1, source_id, destination_id)
        )
        return stores_pb2.ListLanesResponse(
            lanes=[lane_to_proto(lane) for lane in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )


def _check_request_id(request_id: str) -> None:
    errors = Violations()
    valid = not request_id or ids.is_request_id(request_id)
    errors.check(valid, "request_id", ids.REQUEST_ID_RULE)
    errors.raise_if_any()


def _save_lane(session: Session, lane: Lane) -> Lane:
    source = repository.get_location(session, lane.source_id)
    destination = repository.get_location(session, lane.destination_id)
    check_lane_allowed(lane, source, destination)
    return repository.save_lane(session, lane)


def _existing(session: Session, location_id: str) -> Location:
    location = repository.get_location(session, location_id)
    if location is None:
        raise NotFound(
            "LOCATION_NOT_FOUND", f"no location {location_id}", {"location_id": location_id}
        )
    return location


def _filters(
    kind: stores_pb2.LocationKind.ValueType, capability: stores_pb2.Capability.ValueType
) -> tuple[LocationKind | None, Capability | None]:
    errors = Violations()
    errors.check(kind == 0 or kind in KIND_FROM_PROTO, "kind", "unknown location kind")
    errors.check(
        capability == 0 or capability in CAPABILITY_FROM_PROTO, "capability", "unknown capability"
    )
    errors.raise_if_any()
    return KIND_FROM_PROTO.get(kind), CAPABILITY_FROM_PROTO.get(capability)


async def create_server(settings: StoresSettings) -> GrpcService:
    db = Database(settings.database_url)
    upgrade(db, SCHEMA)

    async def on_stop() -> None:
        db.dispose()

    servicer = StoreServicer(db)
    return build_server(
        settings,
        [lambda server: stores_pb2_grpc.add_StoreServiceServicer_to_server(servicer, server)],
        [SERVICE_NAME],
        on_stop,
    )
