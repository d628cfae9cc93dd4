"""Places for routing tests: a pickup store in Amsterdam (shop hours, closed on Sunday), two
stores near it, a DC open round the clock, a store that does not ship and one without lanes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from services.routing import Site
from services.stores.domain import OpeningHours

AMSTERDAM, NEW_YORK = "Europe/Amsterdam", "America/New_York"
SHOP = tuple(OpeningHours(d, "09:00", "21:00") for d in range(1, 7))  # closed on Sunday
OFFICE = tuple(OpeningHours(d, "09:00", "17:00") for d in range(1, 6))
ALWAYS = tuple(OpeningHours(d, "00:00", "24:00") for d in range(1, 8))
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Amsterdam


def site(
    location_id: str,
    lat: float,
    lng: float,
    hours: Sequence[OpeningHours] = SHOP,
    tz: str = AMSTERDAM,
    pick: int = 120,
    receiving: int = 60,
    ships: bool = True,
) -> Site:
    kind = "DC" if location_id.startswith("DC-") else "STORE"
    return Site(location_id, kind, lat, lng, tz, hours, pick, receiving, ships)


PICKUP = site("STORE-001", 52.379, 4.900)
NEAR = site("STORE-003", 52.360, 4.927)
FAR = site("STORE-005", 52.303, 4.859)
DC = site("DC-01", 52.295, 4.760, hours=ALWAYS, pick=60)
SHY = site("STORE-004", 52.371, 4.840, ships=False)
LANELESS = site("STORE-006", 52.390, 4.880)
