"""Locations: what a valid store or distribution centre is (pure). Distances and opening hours
are reckoned by ``services.routing.geo`` and ``services.routing.hours``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum

from services.common import ids
from services.common.errors import Violations
from services.common.fields import check_point, check_radius
from services.routing.hours import is_time_zone, parse_hhmm

DEFAULT_PICK_DEADLINE_MINUTES = 120
DEFAULT_PICKUP_WINDOW_DAYS = 7
DEFAULT_RECEIVING_MINUTES = 60
DEFAULT_DISPATCH_MINUTES = 120
# Store capacity bounds (0 = unlimited).
MAX_ORDERS_PER_HOUR = 10_000
MAX_DAILY_PICKUP_LIMIT = 100_000
DEFAULT_PICKUP_EXTENSION_DAYS = 3
MAX_PICKUP_EXTENSION_DAYS = 14
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
_MAX_NAME_LENGTH = 200


class LocationKind(StrEnum):
    STORE = "STORE"
    DISTRIBUTION_CENTER = "DISTRIBUTION_CENTER"


class Capability(StrEnum):
    PICKUP = "PICKUP"
    SHIP_TO_STORE = "SHIP_TO_STORE"
    RETURNS = "RETURNS"
    SHIP_FROM = "SHIP_FROM"


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ID_PREFIX = {LocationKind.STORE: "STORE-", LocationKind.DISTRIBUTION_CENTER: "DC-"}


@dataclass(frozen=True)
class Address:
    line1: str = ""
    city: str = ""
    postal_code: str = ""
    country_code: str = ""


@dataclass(frozen=True)
class OpeningHours:
    """One open ISO weekday (1 = Monday … 7 = Sunday), "HH:MM" local times, opens < closes."""

    weekday: int
    opens: str
    closes: str


@dataclass(frozen=True)
class PickupSettings:
    pick_deadline_minutes: int = 0
    pickup_window_days: int = 0
    pickup_window_minutes: int = 0
    receiving_minutes: int = 0
    dispatch_minutes: int = 0
    # Store capacity (0 = unlimited): orders picked per opening hour, promised per opening day.
    orders_per_hour: int = 0
    daily_pickup_limit: int = 0
    # Days a customer may add once to an order's pickup window.
    pickup_extension_days: int = 0


@dataclass(frozen=True)
class Location:
    location_id: str
    name: str
    kind: LocationKind | None
    latitude: float
    longitude: float
    time_zone: str
    address: Address = field(default_factory=Address)
    opening_hours: tuple[OpeningHours, ...] = ()
    capabilities: tuple[Capability | None, ...] = ()
    pickup: PickupSettings = field(default_factory=PickupSettings)
    email: str = ""

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities


def validate_location(location: Location, path: str = "location") -> Location:
    """The location with defaults applied (hours by weekday, capabilities sorted and unique,
    pickup defaults); INVALID_ARGUMENT naming every bad field otherwise."""
    errors = Violations()
    _check_identity(location, path, errors)
    _check_position(location, path, errors)
    _check_hours(location, path, errors)
    for index, capability in enumerate(location.capabilities):
        errors.check(capability is not None, f"{path}.capabilities[{index}]", "unknown capability")
    pickup = _checked_pickup(location, path, errors)
    errors.raise_if_any()
    capabilities = tuple(sorted({c for c in location.capabilities if c is not None}))
    hours = tuple(sorted(location.opening_hours, key=lambda h: h.weekday))
    return replace(location, capabilities=capabilities, opening_hours=hours, pickup=pickup)


def _check_identity(location: Location, path: str, errors: Violations) -> None:
    if not ids.is_location_id(location.location_id):
        errors.add(f"{path}.location_id", "must look like STORE-001 or DC-01")
    name = location.name.strip()
    errors.check(bool(name), f"{path}.name", "must not be empty")
    errors.check(len(name) <= _MAX_NAME_LENGTH, f"{path}.name", "at most 200 characters")
    if location.kind is None:
        errors.add(f"{path}.kind", "must be STORE or DISTRIBUTION_CENTER")
    elif not location.location_id.startswith(_ID_PREFIX[location.kind]):
        errors.add(f"{path}.kind", f"a {location.kind} id starts with {_ID_PREFIX[location.kind]}")
    if location.email and not _EMAIL.fullmatch(location.email):
        errors.add(f"{path}.email", "not an email address")
    country = location.address.country_code
    if country and not _COUNTRY_CODE.match(country):
        errors.add(f"{path}.address.country_code", "ISO 3166-1 alpha-2, e.g. NL")


def _check_position(location: Location, path: str, errors: Violations) -> None:
    check_point(location.latitude, location.longitude, errors, path + ".")
    if not is_time_zone(location.time_zone):
        errors.add(f"{path}.time_zone", "must be an IANA time zone, e.g. Europe/Amsterdam")


def _check_hours(location: Location, path: str, errors: Violations) -> None:
    seen: set[int] = set()
    for index, day in enumerate(location.opening_hours):
        where = f"{path}.opening_hours[{index}]"
        if not 1 <= day.weekday <= 7:
            errors.add(f"{where}.weekday", "must be 1 (Monday) to 7 (Sunday)")
        elif day.weekday in seen:
            errors.add(f"{where}.weekday", "each weekday at most once")
        seen.add(day.weekday)
        opens, closes = parse_hhmm(day.opens), parse_hhmm(day.closes)
        errors.check(opens is not None and opens < 24 * 60, f"{where}.opens", "must be HH:MM")
        errors.check(closes is not None, f"{where}.closes", "must be HH:MM")
        if opens is not None and closes is not None and opens >= closes:
            errors.add(f"{where}.closes", "must be after opens")
    if location.has(Capability.PICKUP) and not location.opening_hours:
        errors.add(f"{path}.opening_hours", "a pickup location needs at least one open day")


def _checked_pickup(location: Location, path: str, errors: Violations) -> PickupSettings:
    """The settings with defaults for what the location does: pick deadline and window for
    pickup, receiving time for ship-to-store, dispatch time for shipping locations."""
    settings = location.pickup
    where = f"{path}.pickup_settings"
    for name, value in vars(settings).items():
        errors.check(value >= 0, f"{where}.{name}", "must be >= 0")
    _check_capacity(settings, where, errors)
    errors.check(
        settings.pickup_extension_days <= MAX_PICKUP_EXTENSION_DAYS,
        f"{where}.pickup_extension_days",
        f"at most {MAX_PICKUP_EXTENSION_DAYS}",
    )
    picks = location.has(Capability.PICKUP)
    receives = location.has(Capability.SHIP_TO_STORE)
    ships = location.has(Capability.SHIP_FROM)
    return PickupSettings(
        settings.pick_deadline_minutes or (DEFAULT_PICK_DEADLINE_MINUTES if picks else 0),
        settings.pickup_window_days or (DEFAULT_PICKUP_WINDOW_DAYS if picks else 0),
        settings.pickup_window_minutes,
        settings.receiving_minutes or (DEFAULT_RECEIVING_MINUTES if receives else 0),
        settings.dispatch_minutes or (DEFAULT_DISPATCH_MINUTES if ships else 0),
        settings.orders_per_hour,
        settings.daily_pickup_limit,
        settings.pickup_extension_days or (DEFAULT_PICKUP_EXTENSION_DAYS if picks else 0),
    )


def _check_capacity(settings: PickupSettings, where: str, errors: Violations) -> None:
    """Store capacity: whole numbers of orders, 0 for unlimited, within sane bounds."""
    for name, most in (
        ("orders_per_hour", MAX_ORDERS_PER_HOUR),
        ("daily_pickup_limit", MAX_DAILY_PICKUP_LIMIT),
    ):
        value = getattr(settings, name)
        errors.check(value <= most, f"{where}.{name}", f"at most {most} (0 = unlimited)")


def validate_location_id(location_id: str, field_path: str = "location_id") -> None:
    errors = Violations()
    errors.check(ids.is_location_id(location_id), field_path, "must look like STORE-001 or DC-01")
    errors.raise_if_any()


def validate_search(latitude: float, longitude: float, radius_km: float) -> float:
    """The radius to search (25 km when unset, at most 500 km) around a valid point."""
    errors = Violations()
    check_point(latitude, longitude, errors)
    radius = check_radius(radius_km, errors)
    errors.raise_if_any()
    return radius
