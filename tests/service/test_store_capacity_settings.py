"""Store capacity settings on the stores service (SQLite and PostgreSQL): each store says how
many orders it can pick per opening hour and promise per day; 0 is unlimited; bad numbers are
refused naming the field; locations stored before capacity existed read as unlimited."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import grpc
import pytest
from sqlalchemy import MetaData, Table, insert

from clickcollect.stores.v1 import stores_pb2 as pb
from services.common.db import Database
from services.stores.repository import LocationRow
from tests.support.stores import a_location, get, refused, running_stores, upsert

if TYPE_CHECKING:
    from clickcollect.stores.v1.stores_pb2_grpc import StoreServiceAsyncStub as Stub

CAPACITY_COLUMNS = {"orders_per_hour", "daily_pickup_limit"}


@pytest.fixture
async def stores(database_url: str) -> AsyncIterator[Stub]:
    async with running_stores(database_url) as stub:
        yield stub


def busy_store(per_hour: int, daily: int = 0) -> pb.Location:
    settings = pb.PickupSettings(orders_per_hour=per_hour, daily_pickup_limit=daily)
    return a_location(pickup_settings=settings)


async def test_a_store_keeps_its_capacity_and_zero_means_unlimited(stores: Stub) -> None:
    saved = await upsert(stores, busy_store(per_hour=4, daily=30))
    assert (saved.pickup_settings.orders_per_hour, saved.pickup_settings.daily_pickup_limit) == (
        4,
        30,
    )
    assert await get(stores, "STORE-001") == saved
    assert saved.pickup_settings.pick_deadline_minutes == 120  # defaults still apply

    unlimited = await upsert(stores, busy_store(per_hour=0))
    assert unlimited.pickup_settings.orders_per_hour == 0
    assert (await get(stores, "STORE-001")).pickup_settings.daily_pickup_limit == 0


@pytest.mark.parametrize(
    ("per_hour", "daily", "fields"),
    [
        (-1, 0, ["location.pickup_settings.orders_per_hour"]),
        (0, -5, ["location.pickup_settings.daily_pickup_limit"]),
        (10_001, 100_001, [
            "location.pickup_settings.orders_per_hour",
            "location.pickup_settings.daily_pickup_limit",
        ]),
    ],
)  # fmt: skip
async def test_bad_capacity_is_refused_naming_the_field_and_changes_nothing(
    stores: Stub, per_hour: int, daily: int, fields: list[str]
) -> None:
    before = await upsert(stores, busy_store(per_hour=2))

    request = pb.UpsertLocationRequest(request_id="cap-bad-1", location=busy_store(per_hour, daily))
    error = await refused(stores.UpsertLocation(request))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == fields
    assert await get(stores, "STORE-001") == before


async def test_locations_stored_before_capacity_existed_read_as_unlimited(
    database_url: str,
) -> None:
    """An older stores database (no capacity columns) is upgraded in place when the service
    starts: its rows stay, with no limit."""
    old = Table(
        "locations",
        MetaData(),
        *(c._copy() for c in LocationRow.__table__.columns if c.name not in CAPACITY_COLUMNS),  # type: ignore[attr-defined]
    )
    db = Database(database_url)
    old.create(db.engine)
    with db.engine.begin() as connection:
        connection.execute(
            insert(old).values(
                location_id="STORE-007",
                name="Old store",
                kind="STORE",
                latitude=52.37,
                longitude=4.89,
                time_zone="Europe/Amsterdam",
                opening_hours=[{"weekday": 1, "opens": "09:00", "closes": "18:00"}],
                capabilities=",PICKUP,",
                pick_deadline_minutes=90,
                pickup_window_days=7,
            )
        )
    db.dispose()

    async with running_stores(database_url) as stores:
        kept = await get(stores, "STORE-007")
        assert (kept.name, kept.pickup_settings.pick_deadline_minutes) == ("Old store", 90)
        assert kept.pickup_settings.orders_per_hour == 0
        assert kept.pickup_settings.daily_pickup_limit == 0
        again = await upsert(stores, busy_store(per_hour=3))  # and the new columns take values
        assert again.pickup_settings.orders_per_hour == 3
