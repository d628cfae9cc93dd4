"""StoreService over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import TYPE_CHECKING, Any

import grpc
import pytest

from clickcollect.stores.v1 import stores_pb2 as pb
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.grpc_errors import RpcErrorDetails, details_of
from services.stores.config import StoresSettings
from services.stores.server import create_server

if TYPE_CHECKING:
    from clickcollect.stores.v1.stores_pb2_grpc import StoreServiceAsyncStub as Stub

CENTRAAL = (52.3791, 4.9003)
WEEK = [pb.OpeningHours(weekday=day, opens="09:00", closes="18:00") for day in range(1, 7)]


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[Stub]:
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
        else:
            setattr(location, name, value)
    return location


async def upsert(stub: Stub, location: pb.Location) -> pb.Location:
    request = pb.UpsertLocationRequest(request_id=f"req-{location.location_id}", location=location)
    return (await stub.UpsertLocation(request)).location


async def refused(call: Awaitable[Any]) -> RpcErrorDetails:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call
    return details_of(raised.value)


async def get(stub: Stub, location_id: str) -> pb.Location:
    return (await stub.GetLocation(pb.GetLocationRequest(location_id=location_id))).location


async def test_upserted_location_reads_back_with_pickup_defaults(stores: Stub) -> None:
    saved = await upsert(stores, a_location())

    assert saved.pickup_settings == pb.PickupSettings(
        pick_deadline_minutes=120, pickup_window_days=7
    )
    assert await get(stores, "STORE-001") == saved
    assert [h.weekday for h in saved.opening_hours] == [1, 2, 3, 4, 5, 6]


async def test_upsert_replaces_the_location_and_a_repeat_changes_nothing(stores: Stub) -> None:
    await upsert(stores, a_location())
    renamed = a_location(name="Centraal", capabilities=[pb.CAPABILITY_RETURNS])

    first = await upsert(stores, renamed)
    again = await upsert(stores, renamed)

    assert first == again == await get(stores, "STORE-001")
    assert (first.name, list(first.capabilities)) == ("Centraal", [pb.CAPABILITY_RETURNS])
    listed = await stores.ListLocations(pb.ListLocationsRequest())
    assert [x.location_id for x in listed.locations] == ["STORE-001"]


async def test_bad_location_is_refused_naming_each_field_and_not_stored(stores: Stub) -> None:
    bad = a_location(
        latitude=123.0,
        time_zone="Europe/Atlantis",
        opening_hours=[pb.OpeningHours(weekday=1, opens="18:00", closes="09:00")],
        capabilities=[pb.CAPABILITY_PICKUP, pb.CAPABILITY_UNSPECIFIED],
    )

    error = await refused(stores.UpsertLocation(pb.UpsertLocationRequest(location=bad)))

    assert (error.code, error.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_REQUEST")
    assert [v.field for v in error.violations] == [
        "location.latitude",
        "location.time_zone",
        "location.opening_hours[0].closes",
        "location.capabilities[1]",
    ]
    missing = await refused(stores.GetLocation(pb.GetLocationRequest(location_id="STORE-001")))
    assert missing.code == grpc.StatusCode.NOT_FOUND


async def test_unknown_location_is_not_found_and_malformed_id_invalid(stores: Stub) -> None:
    unknown = await refused(stores.GetLocation(pb.GetLocationRequest(location_id="STORE-404")))
    malformed = await refused(stores.GetLocation(pb.GetLocationRequest(location_id="shop 1")))

    assert (unknown.code, unknown.reason) == (grpc.StatusCode.NOT_FOUND, "LOCATION_NOT_FOUND")
    assert unknown.metadata == {"location_id": "STORE-404"}
    assert malformed.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in malformed.violations] == ["location_id"]


async def test_locations_are_listed_by_id_page_by_page_and_filtered(stores: Stub) -> None:
    for location_id in ["STORE-003", "DC-01", "STORE-001", "STORE-002"]:
        await upsert(stores, a_location(location_id))
    await upsert(stores, a_location("STORE-004", capabilities=[pb.CAPABILITY_SHIP_TO_STORE]))

    first = await stores.ListLocations(pb.ListLocationsRequest(page_size=3))
    rest = await stores.ListLocations(
        pb.ListLocationsRequest(page_size=3, page_token=first.next_page_token)
    )
    dcs = await stores.ListLocations(
        pb.ListLocationsRequest(kind=pb.LOCATION_KIND_DISTRIBUTION_CENTER)
    )
    pickup = await stores.ListLocations(pb.ListLocationsRequest(capability=pb.CAPABILITY_PICKUP))

    ids = [x.location_id for x in [*first.locations, *rest.locations]]
    assert ids == ["DC-01", "STORE-001", "STORE-002", "STORE-003", "STORE-004"]
    assert rest.next_page_token == ""
    assert [x.location_id for x in dcs.locations] == ["DC-01"]
    assert [x.location_id for x in pickup.locations] == ["STORE-001", "STORE-002", "STORE-003"]


async def test_bad_page_token_and_filters_are_refused(stores: Stub) -> None:
    token = await refused(stores.ListLocations(pb.ListLocationsRequest(page_token="garbage")))
    capability = await refused(stores.ListLocations(pb.ListLocationsRequest(capability=99)))  # type: ignore[arg-type]

    assert (token.code, token.reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")
    assert [v.field for v in capability.violations] == ["capability"]


async def test_search_finds_nearest_first_within_the_radius(stores: Stub) -> None:
    await upsert(stores, a_location("STORE-001"))  # Amsterdam Centraal
    await upsert(stores, a_location("STORE-002", latitude=52.3389, longitude=4.8730))  # ~5 km
    await upsert(stores, a_location("STORE-003", latitude=51.9244, longitude=4.4777))  # Rotterdam
    await upsert(stores, a_location("DC-01", latitude=52.2950, longitude=4.7600))  # ~13 km

    nearby = await stores.SearchLocations(pb.SearchLocationsRequest(latitude=52.37, longitude=4.89))
    pickup = await stores.SearchLocations(
        pb.SearchLocationsRequest(
            latitude=52.37, longitude=4.89, radius_km=100, capability=pb.CAPABILITY_PICKUP
        )
    )

    assert [r.location.location_id for r in nearby.results] == ["STORE-001", "STORE-002", "DC-01"]
    distances = [r.distance_km for r in nearby.results]
    assert distances == sorted(distances) and distances[-1] <= 25
    assert [r.location.location_id for r in pickup.results] == [
        "STORE-001",
        "STORE-002",
        "STORE-003",
    ]


async def test_search_pages_through_results(stores: Stub) -> None:
    for index in range(1, 6):
        await upsert(stores, a_location(f"STORE-00{index}", latitude=52.0 + index / 100))

    first = await stores.SearchLocations(
        pb.SearchLocationsRequest(latitude=52.0, longitude=CENTRAAL[1], page_size=2)
    )
    second = await stores.SearchLocations(
        pb.SearchLocationsRequest(
            latitude=52.0, longitude=CENTRAAL[1], page_size=2, page_token=first.next_page_token
        )
    )
    third = await stores.SearchLocations(
        pb.SearchLocationsRequest(
            latitude=52.0, longitude=CENTRAAL[1], page_size=2, page_token=second.next_page_token
        )
    )

    found = [r.location.location_id for page in (first, second, third) for r in page.results]
    assert found == ["STORE-001", "STORE-002", "STORE-003", "STORE-004", "STORE-005"]
    assert third.next_page_token == ""


async def test_search_with_a_bad_point_or_radius_is_refused(stores: Stub) -> None:
    error = await refused(
        stores.SearchLocations(pb.SearchLocationsRequest(latitude=-91, radius_km=501))
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["latitude", "radius_km"]
