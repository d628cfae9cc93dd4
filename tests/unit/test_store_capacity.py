"""Store capacity: a busy store promises later. The k-th order in a store's queue is ready after
ceil(k / orders per hour) hours of opening time; a daily limit moves it to a later opening day;
more orders queued never make a store promise earlier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.routing.capacity import Capacity, is_busy, promised_ready_by
from services.stores.domain import OpeningHours
from tests.support.routing import ALWAYS, AMSTERDAM, MONDAY_10, NEW_YORK, OFFICE, SHOP

PICK = 30  # minutes the store needs to pick one order, counted in opening hours


def ready(
    queued: int,
    per_hour: int = 0,
    daily: int = 0,
    now: datetime = MONDAY_10,
    hours: tuple[OpeningHours, ...] = SHOP,
    tz: str = AMSTERDAM,
    pick: int = PICK,
) -> datetime:
    return promised_ready_by(now, pick, hours, tz, Capacity(per_hour, daily), queued)


def amsterdam(day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Amsterdam in late November 2026 (UTC+1), as UTC."""
    return datetime(2026, 11, day, hour - 1, minute, tzinfo=UTC)


def test_a_store_without_limits_promises_its_pick_time_however_long_the_queue() -> None:
    assert ready(queued=500) == MONDAY_10 + timedelta(minutes=PICK)


def test_an_idle_store_that_picks_one_order_an_hour_promises_the_order_within_the_hour() -> None:
    assert ready(queued=0, per_hour=1) == MONDAY_10 + timedelta(hours=1)


def test_the_kth_queued_order_is_ready_after_k_over_the_hourly_rate_hours() -> None:
    assert ready(queued=5, per_hour=2) == MONDAY_10 + timedelta(hours=3)  # 6th order: 3 hours
    assert ready(queued=4, per_hour=2) == MONDAY_10 + timedelta(hours=3)  # 5th: 3 hours
    assert ready(queued=3, per_hour=2) == MONDAY_10 + timedelta(hours=2)  # 4th: 2 hours


def test_the_pick_time_still_counts_when_the_hourly_rate_is_generous() -> None:
    assert ready(queued=0, per_hour=10, pick=120) == MONDAY_10 + timedelta(hours=2)


def test_closed_hours_are_skipped_the_queue_carries_over_to_the_next_opening() -> None:
    monday_evening = amsterdam(23, 20, 30)  # closes at 21:00
    # second in line, one an hour: 30 minutes on Monday, 90 on Tuesday from 09:00
    assert ready(queued=1, per_hour=1, now=monday_evening) == amsterdam(24, 10, 30)


def test_closed_days_are_skipped() -> None:
    saturday_evening = amsterdam(28, 20, 0)  # Sunday closed
    assert ready(queued=2, per_hour=1, now=saturday_evening) == amsterdam(30, 11, 0)


def test_a_full_day_pushes_the_order_to_the_next_opening_day() -> None:
    assert ready(queued=2, daily=3) == MONDAY_10 + timedelta(minutes=PICK)  # third today
    assert ready(queued=3, daily=3) == amsterdam(24, 9, PICK)  # fourth: Tuesday
    assert ready(queued=6, daily=3) == amsterdam(25, 9, PICK)  # seventh: Wednesday


def test_a_daily_limit_skips_closed_days() -> None:
    friday = amsterdam(27, 10, 0)
    assert ready(queued=1, daily=1, now=friday, hours=OFFICE) == amsterdam(30, 9, PICK)


def test_on_a_later_day_the_hourly_rate_counts_from_that_days_opening() -> None:
    # two a day, one an hour: the fourth order is the second of Tuesday
    assert ready(queued=3, per_hour=1, daily=2) == amsterdam(24, 11, 0)


def test_a_late_place_in_a_day_is_never_promised_after_that_day_closes() -> None:
    # fifty a day, one an hour: the 60th order is 10th on Tuesday, but the hourly rate alone
    # puts it days later: the later of the two wins
    promise = ready(queued=59, per_hour=1, daily=50)
    assert promise == ready(queued=59, per_hour=1)


def test_time_zones_count_the_stores_own_opening_hours() -> None:
    new_york_morning = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
    promise = ready(queued=3, per_hour=1, now=new_york_morning, hours=OFFICE, tz=NEW_YORK)
    assert promise == new_york_morning + timedelta(hours=4)


def test_a_location_without_opening_hours_works_around_the_clock() -> None:
    assert ready(queued=30, per_hour=1, hours=()) == MONDAY_10 + timedelta(hours=31)
    assert ready(queued=2, daily=2, hours=()) == MONDAY_10 + timedelta(days=1, minutes=PICK)


def test_a_queue_beyond_a_year_of_days_is_promised_at_the_last_of_them() -> None:
    far = ready(queued=10_000, daily=1, hours=ALWAYS)
    assert far == ready(queued=20_000, daily=1, hours=ALWAYS)
    assert far > MONDAY_10 + timedelta(days=300)


def test_a_store_is_busy_only_when_its_queue_makes_it_promise_later() -> None:
    def busy(queued: int, per_hour: int = 1, daily: int = 0) -> bool:
        capacity = Capacity(per_hour, daily)
        return is_busy(MONDAY_10, 120, SHOP, AMSTERDAM, capacity, queued)

    assert not busy(0)
    assert not busy(1)  # the second order an hour later still fits in the two-hour pick time
    assert busy(2)
    assert not busy(50, per_hour=0)
    assert busy(1, per_hour=0, daily=1)


hour_rates = st.integers(0, 12)
daily_limits = st.integers(0, 40)
queues = st.integers(0, 400)
starts = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
week_hours = st.sampled_from([SHOP, OFFICE, ALWAYS, ()])


@given(hour_rates, daily_limits, queues, queues, starts, week_hours, st.integers(0, 240))
def test_more_orders_queued_never_promise_earlier(
    per_hour: int,
    daily: int,
    one: int,
    other: int,
    now: datetime,
    hours: tuple[OpeningHours, ...],
    pick: int,
) -> None:
    fewer, more = sorted((one, other))
    capacity = Capacity(per_hour, daily)
    early = promised_ready_by(now, pick, hours, AMSTERDAM, capacity, fewer)
    late = promised_ready_by(now, pick, hours, AMSTERDAM, capacity, more)
    assert early <= late
    assert early >= promised_ready_by(now, pick, hours, AMSTERDAM, Capacity(), 0)
