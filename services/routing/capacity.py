"""Store capacity: how the orders already queued at a store push its next promise later (pure).

A store may pick at most ``orders_per_hour`` orders per hour of opening time and promise at most
``daily_limit`` orders per opening day (0 = unlimited, for either). With ``queued`` orders
accepted and not yet picked, the next order is the k-th in line (k = queued + 1) and is ready at
the latest of:

- the store's own pick time from now, counted in opening hours (what an idle store promises);
- ceil(k / orders_per_hour) hours of opening time from now (closed hours skipped);
- with a daily limit, the day it falls on: days hold ``daily_limit`` orders each, so the k-th
  goes to opening day floor((k - 1) / daily_limit) from now (0 = the first opening day at or
  after now); on a later day it is ready ceil(j / orders_per_hour) opening hours after that
  day opens (j: its place that day), or after the pick time without an hourly rate, never
  after that day's closing.

Each part grows with k, so more queued orders never promise earlier. A location without opening
hours works around the clock (calendar days). The queue is counted at most ``MAX_DAYS`` opening
days ahead: beyond that the promise stays at the last of them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import count, islice
from typing import Protocol

from services.routing.hours import DayHours, opening_spans, opening_time_after

MAX_DAYS = 366
HOUR = 60


@dataclass(frozen=True)
class Capacity:
    """Orders a store can pick per opening hour and promise per opening day (0 = unlimited)."""

    orders_per_hour: int = 0
    daily_limit: int = 0

    @property
    def limited(self) -> bool:
        return self.orders_per_hour > 0 or self.daily_limit > 0


def promised_ready_by(
    now: datetime,
    pick_minutes: int,
    hours: Sequence[DayHours],
    tz: str,
    capacity: Capacity,
    queued: int,
) -> datetime:
    """When the next order at the store can be ready, with ``queued`` orders ahead of it."""
    idle = opening_time_after(now, pick_minutes, hours, tz)
    if not capacity.limited:
        return idle
    k = max(queued, 0) + 1
    ready = [idle]
    per_hour = capacity.orders_per_hour
    if per_hour > 0:
        ready.append(opening_time_after(now, math.ceil(k / per_hour) * HOUR, hours, tz))
    if capacity.daily_limit > 0:
        ready.append(_on_its_day(now, pick_minutes, hours, tz, capacity, k))
    return max(ready)


def is_busy(
    now: datetime,
    pick_minutes: int,
    hours: Sequence[DayHours],
    tz: str,
    capacity: Capacity,
    queued: int,
) -> bool:
    """Whether the queue makes the store promise later than it would with nothing queued."""
    if not capacity.limited or queued <= 0:
        return False
    promise = promised_ready_by(now, pick_minutes, hours, tz, capacity, queued)
    return promise > promised_ready_by(now, pick_minutes, hours, tz, capacity, 0)


def _on_its_day(
    now: datetime,
    pick_minutes: int,
    hours: Sequence[DayHours],
    tz: str,
    capacity: Capacity,
    k: int,
) -> datetime:
    """The earliest the k-th order can be ready on the opening day the daily limit puts it on."""
    day = min((k - 1) // capacity.daily_limit, MAX_DAYS)
    place = k - day * capacity.daily_limit if day < MAX_DAYS else capacity.daily_limit
    if day == 0:
        return now  # the first day: the other parts decide
    opens, closes = next(islice(_days(hours, tz, now), day, None))
    if capacity.orders_per_hour > 0:
        minutes = math.ceil(place / capacity.orders_per_hour) * HOUR
    else:
        minutes = pick_minutes
    return min(opening_time_after(opens, minutes, hours, tz), closes)


def _days(
    hours: Sequence[DayHours], tz: str, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Opening days from ``start`` on; whole calendar days for a location never open."""
    spans = opening_spans(hours, tz, start)
    first = next(spans, None)
    if first is None:
        for n in count():
            yield start + timedelta(days=n), start + timedelta(days=n + 1)
    else:
        yield first
        yield from spans


class PickupSite(Protocol):
    """A pickup store as the router sees it (``services.routing.model.Site``)."""

    @property
    def pick_minutes(self) -> int: ...
    @property
    def opening_hours(self) -> Sequence[DayHours]: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def capacity(self) -> Capacity: ...
    @property
    def queued(self) -> int: ...


def shelf_ready(pickup: PickupSite, now: datetime) -> datetime:
    """When an order picked from the pickup store's shelf can be ready, its queue counted."""
    return promised_ready_by(
        now,
        pickup.pick_minutes,
        pickup.opening_hours,
        pickup.time_zone,
        pickup.capacity,
        pickup.queued,
    )


def shelf_busy(pickup: PickupSite, now: datetime) -> bool:
    return is_busy(
        now,
        pickup.pick_minutes,
        pickup.opening_hours,
        pickup.time_zone,
        pickup.capacity,
        pickup.queued,
    )


def queue_note(capacity: Capacity, queued: int) -> str:
    """ "; 3 orders queued (2 an hour, 20 a day)" for a busy store's explanation."""
    limits = [f"{capacity.orders_per_hour} an hour"] if capacity.orders_per_hour else []
    limits += [f"{capacity.daily_limit} a day"] if capacity.daily_limit else []
    noun = "order" if queued == 1 else "orders"
    return f"; busy: {queued} {noun} queued ({', '.join(limits)})"
