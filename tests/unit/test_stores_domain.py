"""Locations and lanes: validation, distance, and opening-hours arithmetic across time zones."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument, NotFound
from services.routing.geo import distance_km
from services.routing.hours import add_opening_minutes, is_open, next_opening_after, parse_hhmm
from services.stores.domain import (
    Capability,
    Location,
    LocationKind,
    OpeningHours,
    PickupSettings,
    validate_location,
    validate_search,
)
from services.stores.lanes import (
    Lane,
    check_lane_allowed,
    validate_lane,
    validate_lane_filter,
)

AMSTERDAM = "Europe/Amsterdam"
NEW_YORK = "America/New_York"
# Monday to Saturday 09:00-18:00; Sunday closed.
WEEKDAYS = tuple(OpeningHours(day, "09:00", "18:00") for day in range(1, 7))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def a_store(**fields: Any) -> Location:
    store = Location(
        location_id="STORE-001",
        name="Amsterdam Centraal",
        kind=LocationKind.STORE,
        latitude=52.3791,
        longitude=4.9003,
        time_zone=AMSTERDAM,
        opening_hours=WEEKDAYS,
        capabilities=(Capability.PICKUP, Capability.RETURNS),
    )
    return replace(store, **fields)


def violated_fields(location: Location) -> set[str]:
    with pytest.raises(InvalidArgument) as raised:
        validate_location(location)
    return {violation.field for violation in raised.value.violations}


def test_pickup_location_gets_default_pick_deadline_and_window() -> None:
    store = validate_location(a_store())

    assert store.pickup == PickupSettings(
        pick_deadline_minutes=120, pickup_window_days=7, pickup_extension_days=3
    )


def test_a_store_sets_the_days_a_customer_may_extend_a_pickup_window_up_to_two_weeks() -> None:
    two = validate_location(a_store(pickup=PickupSettings(pickup_extension_days=2)))
    assert two.pickup.pickup_extension_days == 2
    too_long = a_store(pickup=PickupSettings(pickup_extension_days=15))
    assert violated_fields(too_long) == {"location.pickup_settings.pickup_extension_days"}


def test_location_without_pickup_keeps_its_pickup_settings_unset() -> None:
    dc = validate_location(
        a_store(location_id="DC-01", kind=LocationKind.DISTRIBUTION_CENTER, capabilities=())
    )

    assert dc.pickup == PickupSettings(0, 0)


def test_receiving_and_dispatch_times_default_by_what_the_location_does() -> None:
    store = validate_location(
        a_store(capabilities=(Capability.PICKUP, Capability.SHIP_TO_STORE, Capability.SHIP_FROM))
    )
    dc = validate_location(
        a_store(
            location_id="DC-01",
            kind=LocationKind.DISTRIBUTION_CENTER,
            capabilities=(Capability.RETURNS, Capability.SHIP_FROM),
        )
    )
    shelf_only = validate_location(a_store())

    assert (store.pickup.receiving_minutes, store.pickup.dispatch_minutes) == (60, 120)
    assert dc.pickup == PickupSettings(dispatch_minutes=120)
    assert (shelf_only.pickup.receiving_minutes, shelf_only.pickup.dispatch_minutes) == (0, 0)


def test_given_receiving_and_dispatch_times_are_kept() -> None:
    settings = PickupSettings(
        30, 2, 0, receiving_minutes=15, dispatch_minutes=45, pickup_extension_days=1
    )
    store = validate_location(
        a_store(
            capabilities=(Capability.PICKUP, Capability.SHIP_TO_STORE, Capability.SHIP_FROM),
            pickup=settings,
        )
    )

    assert store.pickup == settings


def test_negative_receiving_or_dispatch_time_is_refused() -> None:
    bad = a_store(pickup=PickupSettings(receiving_minutes=-1, dispatch_minutes=-60))

    assert violated_fields(bad) == {
        "location.pickup_settings.receiving_minutes",
        "location.pickup_settings.dispatch_minutes",
    }


def a_location(location_id: str, *capabilities: Capability) -> Location:
    kind = LocationKind.DISTRIBUTION_CENTER if location_id.startswith("DC-") else LocationKind.STORE
    return a_store(location_id=location_id, kind=kind, capabilities=capabilities)


def lane_violations(lane: Lane) -> set[str]:
    with pytest.raises(InvalidArgument) as raised:
        validate_lane(lane)
    return {violation.field for violation in raised.value.violations}


@pytest.mark.parametrize("days", [0, 1, 30])
def test_lane_takes_zero_to_thirty_days(days: int) -> None:
    lane = Lane("DC-01", "STORE-001", days)

    assert validate_lane(lane) == lane


@pytest.mark.parametrize("days", [-1, 31])
def test_lane_with_negative_or_more_than_thirty_days_is_refused(days: int) -> None:
    assert lane_violations(Lane("DC-01", "STORE-001", days)) == {"lane.transit_days"}


def test_lane_ends_must_be_location_ids_and_every_bad_field_is_named() -> None:
    assert lane_violations(Lane("warehouse", "", -3)) == {
        "lane.source_id",
        "lane.destination_id",
        "lane.transit_days",
    }


def test_lane_from_a_location_to_itself_is_refused() -> None:
    assert lane_violations(Lane("STORE-001", "STORE-001", 1)) == {"lane.destination_id"}


def test_lane_filters_are_optional_but_must_be_location_ids() -> None:
    validate_lane_filter("", "")
    validate_lane_filter("DC-01", "STORE-001")
    with pytest.raises(InvalidArgument) as raised:
        validate_lane_filter("dc 1", "STORE_1")

    assert [v.field for v in raised.value.violations] == ["source_id", "destination_id"]


def test_lane_to_an_unknown_location_names_the_missing_end() -> None:
    lane = Lane("DC-01", "STORE-404", 1)
    dc = a_location("DC-01", Capability.SHIP_FROM)

    with pytest.raises(NotFound) as missing_destination:
        check_lane_allowed(lane, dc, None)
    with pytest.raises(NotFound) as missing_source:
        check_lane_allowed(lane, None, None)

    assert missing_destination.value.reason == "LOCATION_NOT_FOUND"
    assert missing_destination.value.metadata == {
        "location_id": "STORE-404",
        "field": "lane.destination_id",
    }
    assert missing_source.value.metadata["location_id"] == "DC-01"


def test_lane_needs_a_source_that_ships_and_a_destination_that_receives() -> None:
    lane = Lane("STORE-001", "STORE-002", 1)
    shipping = a_location("STORE-001", Capability.SHIP_FROM)
    receiving = a_location("STORE-002", Capability.SHIP_TO_STORE)
    not_shipping = a_location("STORE-001", Capability.PICKUP, Capability.SHIP_TO_STORE)
    not_receiving = a_location("STORE-002", Capability.PICKUP, Capability.SHIP_FROM)

    check_lane_allowed(lane, shipping, receiving)
    with pytest.raises(FailedPrecondition) as source_refused:
        check_lane_allowed(lane, not_shipping, receiving)
    with pytest.raises(FailedPrecondition) as destination_refused:
        check_lane_allowed(lane, shipping, not_receiving)

    assert source_refused.value.reason == "LANE_NOT_ALLOWED"
    assert source_refused.value.metadata["capability"] == "CAPABILITY_SHIP_FROM"
    assert destination_refused.value.reason == "LANE_NOT_ALLOWED"
    assert destination_refused.value.metadata == {
        "location_id": "STORE-002",
        "field": "lane.destination_id",
        "capability": "CAPABILITY_SHIP_TO_STORE",
    }


def test_capabilities_are_deduplicated_and_hours_sorted_by_weekday() -> None:
    store = validate_location(
        a_store(
            capabilities=(Capability.RETURNS, Capability.PICKUP, Capability.RETURNS),
            opening_hours=(OpeningHours(3, "10:00", "12:00"), OpeningHours(1, "09:00", "17:00")),
        )
    )

    assert store.capabilities == (Capability.PICKUP, Capability.RETURNS)
    assert [day.weekday for day in store.opening_hours] == [1, 3]


def test_every_bad_field_is_named_at_once() -> None:
    bad = a_store(
        location_id="SHOP-1",
        name="  ",
        latitude=91.0,
        longitude=-180.5,
        time_zone="Mars/Olympus_Mons",
        capabilities=(Capability.PICKUP, None),
        pickup=PickupSettings(pick_deadline_minutes=-5, pickup_window_days=-1),
    )

    assert violated_fields(bad) == {
        "location.location_id",
        "location.name",
        "location.kind",
        "location.latitude",
        "location.longitude",
        "location.time_zone",
        "location.capabilities[1]",
        "location.pickup_settings.pick_deadline_minutes",
        "location.pickup_settings.pickup_window_days",
    }


def test_kind_must_be_set_and_match_the_id() -> None:
    assert violated_fields(a_store(kind=None)) == {"location.kind"}
    assert violated_fields(a_store(kind=LocationKind.DISTRIBUTION_CENTER)) == {"location.kind"}


def test_opening_hours_need_valid_times_in_order_and_each_weekday_once() -> None:
    hours = (
        OpeningHours(1, "09:00", "18:00"),
        OpeningHours(1, "10:00", "11:00"),
        OpeningHours(8, "09:00", "18:00"),
        OpeningHours(2, "9:00", "25:00"),
        OpeningHours(3, "18:00", "09:00"),
    )

    assert violated_fields(a_store(opening_hours=hours)) == {
        "location.opening_hours[1].weekday",
        "location.opening_hours[2].weekday",
        "location.opening_hours[3].opens",
        "location.opening_hours[3].closes",
        "location.opening_hours[4].closes",
    }


def test_pickup_location_must_open_at_least_one_day() -> None:
    assert violated_fields(a_store(opening_hours=())) == {"location.opening_hours"}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("00:00", 0),
        ("09:30", 570),
        ("23:59", 1439),
        ("24:00", 1440),
        ("9:30", None),
        ("24:01", None),
        ("12:60", None),
        ("", None),
    ],
)
def test_a_time_of_day_is_hh_mm_up_to_24_00_and_anything_else_is_no_time(
    text: str, minutes: int | None
) -> None:
    assert parse_hhmm(text) == minutes


def test_distance_between_paris_and_london_is_about_344_km() -> None:
    assert distance_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=0.5)
    assert distance_km(52.0, 4.0, 52.0, 4.0) == 0


def test_search_radius_defaults_to_25_km_and_is_capped_at_500() -> None:
    assert validate_search(52.0, 4.0, 0) == 25
    assert validate_search(52.0, 4.0, 500) == 500
    with pytest.raises(InvalidArgument) as raised:
        validate_search(95.0, 4.0, 501)
    assert {v.field for v in raised.value.violations} == {"latitude", "radius_km"}


def test_open_hours_include_opening_and_exclude_closing_time() -> None:
    # Monday 2025-01-06; Amsterdam is UTC+1 in winter.
    assert not is_open(WEEKDAYS, AMSTERDAM, utc(2025, 1, 6, 7, 59))
    assert is_open(WEEKDAYS, AMSTERDAM, utc(2025, 1, 6, 8, 0))
    assert is_open(WEEKDAYS, AMSTERDAM, utc(2025, 1, 6, 16, 59))
    assert not is_open(WEEKDAYS, AMSTERDAM, utc(2025, 1, 6, 17, 0))


def test_same_instant_is_open_in_one_zone_and_closed_in_another() -> None:
    monday_noon_utc = utc(2025, 1, 6, 12, 0)  # 13:00 in Amsterdam, 07:00 in New York

    assert is_open(WEEKDAYS, AMSTERDAM, monday_noon_utc)
    assert not is_open(WEEKDAYS, NEW_YORK, monday_noon_utc)
    assert next_opening_after(WEEKDAYS, NEW_YORK, monday_noon_utc) == utc(2025, 1, 6, 14, 0)


def test_closed_sunday_is_skipped_to_monday_opening() -> None:
    sunday_noon = utc(2025, 1, 5, 11, 0)

    assert not is_open(WEEKDAYS, AMSTERDAM, sunday_noon)
    assert next_opening_after(WEEKDAYS, AMSTERDAM, sunday_noon) == utc(2025, 1, 6, 8, 0)


def test_minutes_during_opening_hours_simply_add_up() -> None:
    tuesday_10 = utc(2025, 1, 7, 9, 0)  # 10:00 local

    assert add_opening_minutes(tuesday_10, 120, WEEKDAYS, AMSTERDAM) == utc(2025, 1, 7, 11, 0)


def test_order_placed_after_closing_counts_from_next_opening() -> None:
    tuesday_20 = utc(2025, 1, 7, 19, 0)  # 20:00 local, closed

    deadline = add_opening_minutes(tuesday_20, 120, WEEKDAYS, AMSTERDAM)

    assert deadline == utc(2025, 1, 8, 10, 0)  # Wednesday 11:00 local


def test_minutes_left_at_saturday_closing_carry_over_the_closed_sunday() -> None:
    saturday_1730 = utc(2025, 1, 11, 16, 30)  # 30 minutes before closing

    deadline = add_opening_minutes(saturday_1730, 120, WEEKDAYS, AMSTERDAM)

    assert deadline == utc(2025, 1, 13, 9, 30)  # Monday 10:30 local


def test_deadline_exactly_at_closing_time_stays_on_that_day() -> None:
    friday_16 = utc(2025, 1, 10, 15, 0)  # 16:00 local

    assert add_opening_minutes(friday_16, 120, WEEKDAYS, AMSTERDAM) == utc(2025, 1, 10, 17, 0)


def test_opening_hours_follow_local_time_across_daylight_saving_change() -> None:
    # Saturday 2025-03-29 17:30 CET; clocks go forward on Sunday; Monday 09:00 is CEST (UTC+2).
    saturday = utc(2025, 3, 29, 16, 30)

    assert add_opening_minutes(saturday, 60, WEEKDAYS, AMSTERDAM) == utc(2025, 3, 31, 7, 30)


def test_opening_minutes_in_new_york_use_new_york_hours() -> None:
    friday_17_local = utc(2025, 1, 10, 22, 0)  # 17:00 EST

    deadline = add_opening_minutes(friday_17_local, 180, WEEKDAYS, NEW_YORK)

    assert deadline == utc(2025, 1, 11, 16, 0)  # 60 min Friday, 120 min Saturday -> 11:00 EST


def test_round_the_clock_store_counts_minutes_across_midnight() -> None:
    always = tuple(OpeningHours(day, "00:00", "24:00") for day in range(1, 8))
    late = utc(2025, 1, 6, 22, 30)

    assert add_opening_minutes(late, 120, always, AMSTERDAM) == late + timedelta(hours=2)


def test_zero_minutes_is_the_next_opening() -> None:
    sunday = utc(2025, 1, 5, 11, 0)

    assert add_opening_minutes(sunday, 0, WEEKDAYS, AMSTERDAM) == utc(2025, 1, 6, 8, 0)


def test_location_that_never_opens_has_no_next_opening() -> None:
    assert next_opening_after((), AMSTERDAM, utc(2025, 1, 6, 12, 0)) is None
    with pytest.raises(ValueError):
        add_opening_minutes(utc(2025, 1, 6, 12, 0), 30, (), AMSTERDAM)


def test_hours_on_no_real_weekday_never_open() -> None:
    nonsense = (OpeningHours(0, "09:00", "18:00"), OpeningHours(8, "09:00", "18:00"))

    assert next_opening_after(nonsense, AMSTERDAM, utc(2025, 1, 6, 12, 0)) is None


def test_an_escalation_email_is_optional_but_must_be_an_address() -> None:
    address = "store-001@example.com"
    assert validate_location(a_store(email=address)).email == address
    assert validate_location(a_store(email="")).email == ""
    assert "location.email" in violated_fields(a_store(email="not an address"))


def test_store_capacity_is_kept_and_zero_means_unlimited() -> None:
    store = validate_location(
        a_store(pickup=PickupSettings(orders_per_hour=4, daily_pickup_limit=30))
    )
    assert (store.pickup.orders_per_hour, store.pickup.daily_pickup_limit) == (4, 30)
    assert validate_location(a_store()).pickup.orders_per_hour == 0


def test_negative_or_absurd_store_capacity_is_refused_naming_the_field() -> None:
    negative = a_store(pickup=PickupSettings(orders_per_hour=-1, daily_pickup_limit=-2))
    assert violated_fields(negative) == {
        "location.pickup_settings.orders_per_hour",
        "location.pickup_settings.daily_pickup_limit",
    }
    absurd = a_store(pickup=PickupSettings(orders_per_hour=10_001))
    assert violated_fields(absurd) == {"location.pickup_settings.orders_per_hour"}
