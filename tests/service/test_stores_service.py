"""StoreService over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import grpc
import pytest

from clickcollect.stores.v1 import stores_pb2 as pb
from services.common.db import Database
from services.common.grpc_errors import RpcErrorDetails
from tests.support.stores import (
    CENTRAAL,
    FULL_STORE,
    a_lane,
    a_location,
    all_lanes,
    get,
    refused,
    running_stores,
    upsert,
    upsert_lane,
)

if TYPE_CHECKING:
    from clickcollect.stores.v1.stores_pb2_grpc import StoreServiceAsyncStub as Stub


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[Stub]:
    async with running_stores(database_url) as stub:
        yield stub


async def test_upserted_location_reads_back_with_pickup_defaults(stores: Stub) -> None:
    saved = await upsert(stores, a_location())

    assert saved.pickup_settings == pb.PickupSettings(
        pick_deadline_minutes=120, pickup_window_days=7, pickup_extension_days=3
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


async def test_transfer_times_default_by_what_the_location_does(stores: Stub) -> None:
    store = await upsert(stores, a_location("STORE-001", capabilities=FULL_STORE))
    dc = await upsert(stores, a_location("DC-01"))
    tuned = await upsert(
        stores,
        a_location(
            "STORE-002",
            capabilities=FULL_STORE,
            pickup_settings=pb.PickupSettings(receiving_minutes=30, dispatch_minutes=45),
        ),
    )

    assert (store.pickup_settings.receiving_minutes, store.pickup_settings.dispatch_minutes) == (
        60,
        120,
    )
    assert dc.pickup_settings == pb.PickupSettings(dispatch_minutes=120)
    assert (await get(stores, "STORE-002")).pickup_settings == pb.PickupSettings(
        pick_deadline_minutes=120,
        pickup_window_days=7,
        receiving_minutes=30,
        dispatch_minutes=45,
        pickup_extension_days=3,
    )
    assert await get(stores, "STORE-001") == store
    assert tuned == await get(stores, "STORE-002")


async def test_negative_transfer_times_are_refused_and_not_stored(stores: Stub) -> None:
    bad = a_location(
        capabilities=FULL_STORE,
        pickup_settings=pb.PickupSettings(receiving_minutes=-1, dispatch_minutes=-5),
    )

    error = await refused(stores.UpsertLocation(pb.UpsertLocationRequest(location=bad)))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == [
        "location.pickup_settings.receiving_minutes",
        "location.pickup_settings.dispatch_minutes",
    ]
    missing = await refused(stores.GetLocation(pb.GetLocationRequest(location_id="STORE-001")))
    assert missing.code == grpc.StatusCode.NOT_FOUND


async def a_network(stub: Stub) -> None:
    """DC-01 ships; STORE-001 and STORE-002 ship and receive; STORE-003 only hands out orders."""
    await upsert(stub, a_location("DC-01"))
    await upsert(stub, a_location("STORE-001", capabilities=FULL_STORE))
    await upsert(stub, a_location("STORE-002", capabilities=FULL_STORE))
    await upsert(stub, a_location("STORE-003"))


async def test_lane_is_created_then_replaced_and_a_repeat_changes_nothing(stores: Stub) -> None:
    await a_network(stores)

    created = await upsert_lane(stores, a_lane("DC-01", "STORE-001", 1))
    replaced = await upsert_lane(stores, a_lane("DC-01", "STORE-001", 3))
    again = await upsert_lane(stores, a_lane("DC-01", "STORE-001", 3))

    assert created == a_lane("DC-01", "STORE-001", 1)
    assert replaced == again == a_lane("DC-01", "STORE-001", 3)
    assert await all_lanes(stores) == [a_lane("DC-01", "STORE-001", 3)]


async def test_same_day_and_thirty_day_lanes_are_accepted(stores: Stub) -> None:
    await a_network(stores)

    await upsert_lane(stores, a_lane("STORE-001", "STORE-002", 0))
    await upsert_lane(stores, a_lane("STORE-002", "STORE-001", 30))

    assert [lane.transit_days for lane in await all_lanes(stores)] == [0, 30]


async def test_lanes_are_listed_in_order_filtered_and_paged(stores: Stub) -> None:
    await a_network(stores)
    for source, destination in [
        ("STORE-002", "STORE-001"),
        ("DC-01", "STORE-002"),
        ("STORE-001", "STORE-002"),
        ("DC-01", "STORE-001"),
    ]:
        await upsert_lane(stores, a_lane(source, destination))

    first = await stores.ListLanes(pb.ListLanesRequest(page_size=3))
    rest = await stores.ListLanes(
        pb.ListLanesRequest(page_size=3, page_token=first.next_page_token)
    )
    pairs = [(x.source_id, x.destination_id) for x in [*first.lanes, *rest.lanes]]

    assert pairs == [
        ("DC-01", "STORE-001"),
        ("DC-01", "STORE-002"),
        ("STORE-001", "STORE-002"),
        ("STORE-002", "STORE-001"),
    ]
    assert first.next_page_token and rest.next_page_token == ""
    from_dc = await all_lanes(stores, source_id="DC-01")
    into_two = await all_lanes(stores, destination_id="STORE-002")
    one = await all_lanes(stores, source_id="STORE-001", destination_id="STORE-002")
    assert [x.destination_id for x in from_dc] == ["STORE-001", "STORE-002"]
    assert [x.source_id for x in into_two] == ["DC-01", "STORE-001"]
    assert one == [a_lane("STORE-001", "STORE-002")]
    assert await all_lanes(stores, source_id="STORE-404") == []


async def a_network_with_a_lane(stub: Stub) -> None:
    await a_network(stub)
    await upsert_lane(stub, a_lane("DC-01", "STORE-001", 1))


async def refused_lane(stub: Stub, lane: pb.Lane) -> RpcErrorDetails:
    """The error of a refused UpsertLane, after checking that the lanes are still exactly the
    one a_network_with_a_lane set up."""
    error = await refused(stub.UpsertLane(pb.UpsertLaneRequest(request_id="lane-bad-1", lane=lane)))
    assert await all_lanes(stub) == [a_lane("DC-01", "STORE-001", 1)]
    return error


def fields(error: RpcErrorDetails) -> tuple[grpc.StatusCode, str, list[str]]:
    return error.code, error.reason, [v.field for v in error.violations]


def refusal(error: RpcErrorDetails) -> tuple[grpc.StatusCode, str, dict[str, str]]:
    return error.code, error.reason, error.metadata


INVALID = grpc.StatusCode.INVALID_ARGUMENT


@pytest.mark.parametrize("days", [-1, 31])
async def test_lane_with_negative_or_too_many_days_is_refused(stores: Stub, days: int) -> None:
    await a_network_with_a_lane(stores)

    error = await refused_lane(stores, a_lane("DC-01", "STORE-001", days))

    assert fields(error) == (INVALID, "INVALID_REQUEST", ["lane.transit_days"])


async def test_lane_with_malformed_or_identical_ends_is_refused(stores: Stub) -> None:
    await a_network_with_a_lane(stores)

    malformed = await refused_lane(stores, a_lane("dc-01", "STORE 1"))
    same = await refused_lane(stores, a_lane("DC-01", "DC-01"))

    assert fields(malformed) == (
        INVALID,
        "INVALID_REQUEST",
        ["lane.source_id", "lane.destination_id"],
    )
    assert fields(same) == (INVALID, "INVALID_REQUEST", ["lane.destination_id"])


async def test_lane_from_or_to_an_unknown_location_is_not_found(stores: Stub) -> None:
    await a_network_with_a_lane(stores)

    unknown_source = await refused_lane(stores, a_lane("DC-99", "STORE-001"))
    unknown_destination = await refused_lane(stores, a_lane("DC-01", "STORE-404"))

    assert refusal(unknown_source) == (
        grpc.StatusCode.NOT_FOUND,
        "LOCATION_NOT_FOUND",
        {"location_id": "DC-99", "field": "lane.source_id"},
    )
    assert refusal(unknown_destination) == (
        grpc.StatusCode.NOT_FOUND,
        "LOCATION_NOT_FOUND",
        {"location_id": "STORE-404", "field": "lane.destination_id"},
    )


def not_allowed(location_id: str, end: str, capability: str) -> tuple[Any, ...]:
    metadata = {"location_id": location_id, "field": f"lane.{end}_id", "capability": capability}
    return grpc.StatusCode.FAILED_PRECONDITION, "LANE_NOT_ALLOWED", metadata


async def test_lane_needs_a_shipping_source_and_a_receiving_destination(stores: Stub) -> None:
    await a_network_with_a_lane(stores)

    to_pickup_only = await refused_lane(stores, a_lane("DC-01", "STORE-003"))
    to_the_dc = await refused_lane(stores, a_lane("STORE-001", "DC-01"))
    from_pickup_only = await refused_lane(stores, a_lane("STORE-003", "STORE-001"))

    receives = "CAPABILITY_SHIP_TO_STORE"
    assert refusal(to_pickup_only) == not_allowed("STORE-003", "destination", receives)
    assert refusal(to_the_dc) == not_allowed("DC-01", "destination", receives)
    assert refusal(from_pickup_only) == not_allowed("STORE-003", "source", "CAPABILITY_SHIP_FROM")


async def test_bad_lane_filters_and_page_token_are_refused(stores: Stub) -> None:
    filters = await refused(
        stores.ListLanes(pb.ListLanesRequest(source_id="dc", destination_id="STORE_1"))
    )
    token = await refused(stores.ListLanes(pb.ListLanesRequest(page_token="garbage")))

    assert filters.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in filters.violations] == ["source_id", "destination_id"]
    assert token.reason == "INVALID_PAGE_TOKEN"


async def test_database_from_before_lanes_and_transfer_times_is_upgraded(
    database_url: str,
) -> None:
    async with running_stores(database_url) as stub:
        await upsert(stub, a_location("STORE-001", capabilities=FULL_STORE))
    old = Database(database_url)
    with old.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE lanes")
        connection.exec_driver_sql("ALTER TABLE locations DROP COLUMN receiving_minutes")
        connection.exec_driver_sql("ALTER TABLE locations DROP COLUMN dispatch_minutes")
        connection.exec_driver_sql("DROP TABLE alembic_version")  # none before migrations
    old.dispose()

    async with running_stores(database_url) as stub:
        kept = await get(stub, "STORE-001")
        await upsert(stub, a_location("DC-01"))
        await upsert(stub, a_location("STORE-001", capabilities=FULL_STORE))
        lane = await upsert_lane(stub, a_lane("DC-01", "STORE-001", 2))
        upgraded = await get(stub, "STORE-001")

    assert (kept.name, kept.latitude) == ("Location STORE-001", CENTRAAL[0])
    assert (kept.pickup_settings.receiving_minutes, kept.pickup_settings.dispatch_minutes) == (0, 0)
    assert (upgraded.pickup_settings.receiving_minutes, lane.transit_days) == (60, 2)
