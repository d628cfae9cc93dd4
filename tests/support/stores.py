"""Building blocks for tests of the stores service: a running server, locations, lanes, error
details."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import grpc
import pytest
from google.protobuf.message import Message

from clickcollect.stores.v1 import stores_pb2 as pb
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.stores.config import StoresSettings
from services.stores.server import create_server

if TYPE_CHECKING:
    from clickcollect.stores.v1.stores_pb2_grpc import StoreServiceAsyncStub as Stub

CENTRAAL = (52.3791, 4.9003)
WEEK = [pb.OpeningHours(weekday=day, opens="09:00", closes="18:00") for day in range(1, 7)]
# What a store of the demo retailer does: collect, receive transfers, take returns, ship.
FULL_STORE = [
    pb.CAPABILITY_PICKUP,
    pb.CAPABILITY_SHIP_TO_STORE,
    pb.CAPABILITY_RETURNS,
    pb.CAPABILITY_SHIP_FROM,
]


@asynccontextmanager
async def running_stores(database_url: str) -> AsyncIterator[Stub]:
    """The real server on a free loopback port, and a client of it."""
    service = await create_server(
        StoresSettings(host="127.0.0.1", port=0, database_url=database_url)
    )
    await service.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{service.port}") as channel:
            yield stores_pb2_grpc.StoreServiceStub(channel)
    finally:
        await service.stop()


def a_location(location_id: str = "STORE-001", **fields: Any) -> pb.Location:
    """A valid location in Amsterdam: a DC that ships, or a pickup-only store; fields override."""
    is_dc = location_id.startswith("DC-")
    location = pb.Location(
        location_id=location_id,
        name=f"Location {location_id}",
        kind=pb.LOCATION_KIND_DISTRIBUTION_CENTER if is_dc else pb.LOCATION_KIND_STORE,
        address=pb.Address(line1="Stationsplein 12", city="Amsterdam", country_code="NL"),
        latitude=CENTRAAL[0],
        longitude=CENTRAAL[1],
        time_zone="Europe/Amsterdam",
        opening_hours=WEEK,
        capabilities=[pb.CAPABILITY_SHIP_FROM] if is_dc else [pb.CAPABILITY_PICKUP],
    )
    for name, value in fields.items():
        if isinstance(value, list):
            del getattr(location, name)[:]
            getattr(location, name).extend(value)
        elif isinstance(value, Message):
            getattr(location, name).CopyFrom(value)
        else:
            setattr(location, name, value)
    return location


async def upsert(stub: Stub, location: pb.Location) -> pb.Location:
    request = pb.UpsertLocationRequest(request_id=f"req-{location.location_id}", location=location)
    return (await stub.UpsertLocation(request)).location


async def get(stub: Stub, location_id: str) -> pb.Location:
    return (await stub.GetLocation(pb.GetLocationRequest(location_id=location_id))).location


def a_lane(source_id: str, destination_id: str, transit_days: int = 1) -> pb.Lane:
    return pb.Lane(source_id=source_id, destination_id=destination_id, transit_days=transit_days)


async def upsert_lane(stub: Stub, lane: pb.Lane) -> pb.Lane:
    request_id = f"lane-{lane.source_id}-{lane.destination_id}-{lane.transit_days}"
    return (await stub.UpsertLane(pb.UpsertLaneRequest(request_id=request_id, lane=lane))).lane


async def all_lanes(stub: Stub, source_id: str = "", destination_id: str = "") -> list[pb.Lane]:
    request = pb.ListLanesRequest(source_id=source_id, destination_id=destination_id)
    return list((await stub.ListLanes(request)).lanes)


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call
    return details_of(raised.value)
