"""The words of a routing decision: why each candidate was chosen or passed over (pure).

Times are shown on the pickup store's wall clock ("Tue 09:45"), the one the customer sees.
Day names are spelled here rather than with ``strftime`` so the text never depends on a locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def items(quantities: Mapping[str, int]) -> str:
    """ "2 x MUG, 1 x LAMP" for the positive quantities, in the order given."""
    return ", ".join(f"{q} x {sku}" for sku, q in quantities.items() if q > 0)


def when(at: datetime, tz: str) -> str:
    """ "Tue 09:45" on the wall clock of ``tz`` (UTC when the zone is unknown)."""
    local = at.astimezone(_zone(tz))
    return f"{_DAYS[local.weekday()]} {local:%H:%M}"


def transit(days: int) -> str:
    return "same day" if days == 0 else "1 day" if days == 1 else f"{days} days"


def shelf_unused(have: Mapping[str, int], lacks: Mapping[str, int], mixed_allowed: bool) -> str:
    why = "shipping the whole basket is as early" if mixed_allowed else "mixed plans are off"
    return f"has {items(have)} but lacks {items(lacks)}; {why}"


def ships(taken: Mapping[str, int], days: int, ready: datetime, tz: str) -> str:
    return f"ships {items(taken)}, {transit(days)} in transit, ready {when(ready, tz)}"


def later(chosen: Iterable[str], ready: datetime, plan_ready: datetime, tz: str) -> str:
    return (
        f"later than {', '.join(chosen)} "
        f"(ready {when(ready, tz)}, the plan is ready {when(plan_ready, tz)})"
    )


def not_needed(has: Mapping[str, int]) -> str:
    return f"has {items(has)}; not needed: no plan with it is sooner or has fewer, nearer shipments"


def too_little(has: Mapping[str, int], ready: datetime, tz: str, max_sources: int) -> str:
    most = "1 source" if max_sources == 1 else f"{max_sources} sources"
    return (
        f"has {items(has)} (ready {when(ready, tz)}), "
        f"but no plan of at most {most} covers the basket"
    )


def _zone(tz: str) -> tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def cannot_cover(lacks: Mapping[str, int]) -> str:
    return f"cannot cover the basket: lacks {items(lacks)}"


def shelf_lacks(lacks: Mapping[str, int]) -> str:
    return f"the shelf lacks {items(lacks)}"


def shelf_first() -> str:
    return "not needed: the pickup store's shelf has the whole basket"


def earliest(ready: datetime, tz: str, shipments: int) -> str:
    many = "1 shipment" if shipments == 1 else f"{shipments} shipments"
    return f"the earliest plan that covers the basket (ready {when(ready, tz)}, {many})"


def later_plan(ready: datetime, chosen_ready: datetime, tz: str) -> str:
    return f"later than the chosen plan (ready {when(ready, tz)} against {when(chosen_ready, tz)})"


def more_shipments(shipments: int, chosen_shipments: int) -> str:
    return f"as early, but {shipments} shipments against {chosen_shipments}"


def farther(km: float, chosen_km: float) -> str:
    return (
        f"as early with as many shipments, but its sources are {km:.1f} km away "
        f"against {chosen_km:.1f}"
    )


def tied() -> str:
    return "as good as the chosen plan; a tie goes to the lowest location ids"
