"""Opening-hours arithmetic, in a location's local time (pure; time zones via zoneinfo).

Hours are given per ISO weekday (1 = Monday … 7 = Sunday) as "HH:MM" wall-clock times; a weekday
absent from the list is a closed day. Every function takes aware datetimes and answers in UTC.
Wall-clock times that do not exist or repeat on a daylight-saving change resolve the way
``zoneinfo`` resolves them (fold 0).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$|^24:00$")
_MINUTES_PER_DAY = 24 * 60


class DayHours(Protocol):
    """One open day; the proto ``OpeningHours`` message satisfies it as well."""

    @property
    def weekday(self) -> int: ...

    @property
    def opens(self) -> str: ...

    @property
    def closes(self) -> str: ...


def parse_hhmm(text: str) -> int | None:
    """Minutes after midnight for "HH:MM" ("24:00" ends the day); None when malformed."""
    match = _HHMM.match(text)
    if match is None:
        return None
    if text == "24:00":
        return _MINUTES_PER_DAY
    return int(match.group(1)) * 60 + int(match.group(2))


def is_time_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


def is_open(hours: Sequence[DayHours], tz: str, at: datetime) -> bool:
    """Whether the location is open at ``at`` (opening time included, closing time excluded)."""
    return next_opening_after(hours, tz, at) == at.astimezone(UTC)


def next_opening_after(hours: Sequence[DayHours], tz: str, at: datetime) -> datetime | None:
    """The first moment at or after ``at`` when the location is open (``at`` itself when it is
    open then); None for a location that is never open."""
    for opens, _closes in _open_intervals(hours, tz, at):
        return opens
    return None


def add_opening_minutes(
    start: datetime, minutes: int, hours: Sequence[DayHours], tz: str
) -> datetime:
    """``start`` plus ``minutes`` of opening time: only minutes while open count, so work that
    starts after closing counts from the next opening. Raises ValueError for a location that is
    never open or a negative number of minutes."""
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    remaining = timedelta(minutes=minutes)
    for opens, closes in _open_intervals(hours, tz, start):
        if opens + remaining <= closes:
            return opens + remaining
        remaining -= closes - opens
    raise ValueError("the location has no opening hours")


def _open_intervals(
    hours: Sequence[DayHours], tz: str, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Open intervals [opens, closes) in UTC, in time order, the first clipped to ``start``."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    zone = ZoneInfo(tz)
    by_weekday = {
        h.weekday: (_minutes(h.opens), _minutes(h.closes)) for h in hours if 1 <= h.weekday <= 7
    }
    if not any(opens < closes for opens, closes in by_weekday.values()):
        return
    start = start.astimezone(UTC)
    day = start.astimezone(zone).date()
    while True:
        span = by_weekday.get(day.isoweekday())
        if span is not None:
            opens, closes = _at(day, span[0], zone), _at(day, span[1], zone)
            if closes > start and opens < closes:
                yield max(opens, start), closes
        day += timedelta(days=1)


def _minutes(text: str) -> int:
    value = parse_hhmm(text)
    if value is None:
        raise ValueError(f"not an HH:MM time: {text!r}")
    return value


def _at(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time (24:00 is the next midnight)."""
    if minutes == _MINUTES_PER_DAY:
        local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    else:
        local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return local.astimezone(UTC)


def opening_time_after(
    start: datetime, minutes: int, hours: Sequence[DayHours], tz: str
) -> datetime:
    """Like ``add_opening_minutes``, but a location without opening hours works around the clock
    (used for pick deadlines and ready-by promises). Remembered for recent arguments: routing
    asks the same of every source for every store near a customer."""
    week = tuple((h.weekday, h.opens, h.closes) for h in hours)
    return _opening_time_after(start, minutes, week, tz)


@functools.lru_cache(maxsize=4096)
def _opening_time_after(
    start: datetime, minutes: int, week: tuple[tuple[int, str, str], ...], tz: str
) -> datetime:
    hours = [_Hours(weekday, opens, closes) for weekday, opens, closes in week]
    try:
        return add_opening_minutes(start, minutes, hours, tz)
    except ValueError:
        return start + timedelta(minutes=max(minutes, 0))


@dataclass(frozen=True)
class _Hours:
    weekday: int
    opens: str
    closes: str


def opening_spans(
    hours: Sequence[DayHours], tz: str, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The open intervals [opens, closes) from ``start`` on, in UTC and time order, one per open
    day (the first clipped to ``start``); nothing for a location that is never open."""
    return _open_intervals(hours, tz, start)
