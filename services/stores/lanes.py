"""Lanes: how many days stock travels from a shipping location to one that receives it (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from services.common import ids
from services.common.errors import FailedPrecondition, NotFound, Violations
from services.stores.domain import Capability, Location

MAX_TRANSIT_DAYS = 30
_ID_HINT = "must look like STORE-001 or DC-01"


@dataclass(frozen=True)
class Lane:
    source_id: str
    destination_id: str
    transit_days: int


def validate_lane(lane: Lane, path: str = "lane") -> Lane:
    """The lane when its ids are well formed and distinct and its transit time is 0..30 days;
    INVALID_ARGUMENT naming every bad field otherwise."""
    errors = Violations()
    source_ok = ids.is_location_id(lane.source_id)
    destination_ok = ids.is_location_id(lane.destination_id)
    errors.check(source_ok, f"{path}.source_id", _ID_HINT)
    errors.check(destination_ok, f"{path}.destination_id", _ID_HINT)
    if source_ok and destination_ok and lane.source_id == lane.destination_id:
        errors.add(f"{path}.destination_id", "must differ from source_id")
    errors.check(
        0 <= lane.transit_days <= MAX_TRANSIT_DAYS,
        f"{path}.transit_days",
        f"must be within [0, {MAX_TRANSIT_DAYS}] days",
    )
    errors.raise_if_any()
    return lane


def validate_lane_filter(source_id: str, destination_id: str) -> None:
    """Filters are optional; a given one must be a well-formed location id."""
    errors = Violations()
    errors.check(not source_id or ids.is_location_id(source_id), "source_id", _ID_HINT)
    errors.check(
        not destination_id or ids.is_location_id(destination_id), "destination_id", _ID_HINT
    )
    errors.raise_if_any()


def check_lane_allowed(lane: Lane, source: Location | None, destination: Location | None) -> None:
    """NOT_FOUND (LOCATION_NOT_FOUND) for a missing end, FAILED_PRECONDITION (LANE_NOT_ALLOWED)
    when the source does not ship or the destination does not receive transfers."""
    shipping = _found(source, "source", lane.source_id)
    receiving = _found(destination, "destination", lane.destination_id)
    _require(shipping, "source", Capability.SHIP_FROM, "does not ship to other locations")
    _require(receiving, "destination", Capability.SHIP_TO_STORE, "does not receive transfers")


def _found(location: Location | None, role: str, location_id: str) -> Location:
    if location is None:
        raise NotFound(
            "LOCATION_NOT_FOUND",
            f"no {role} location {location_id}",
            {"location_id": location_id, "field": f"lane.{role}_id"},
        )
    return location


def _require(location: Location, role: str, capability: Capability, what: str) -> None:
    if location.has(capability):
        return
    name = f"CAPABILITY_{capability}"
    raise FailedPrecondition(
        "LANE_NOT_ALLOWED",
        f"{role} {location.location_id} {what} ({name} missing)",
        {"location_id": location.location_id, "field": f"lane.{role}_id", "capability": name},
    )
