"""The ``locations``, ``lanes`` and ``pairing_codes`` tables and their queries. Capabilities
are kept as ",PICKUP,RETURNS," so both SQLite and PostgreSQL can filter on them with LIKE;
opening hours are a JSON list."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, Column, CursorResult, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col, select

from services.common.db import TIME
from services.common.timeconv import as_utc
from services.routing.geo import bounding_box, distance_km
from services.stores.domain import (
    Address,
    Capability,
    Location,
    LocationKind,
    OpeningHours,
    PickupSettings,
)
from services.stores.lanes import Lane
from services.stores.pairing import PairingCode


class LocationRow(SQLModel, table=True):
    __tablename__ = "locations"

    location_id: str = Field(primary_key=True, max_length=16)
    name: str
    kind: str = Field(index=True, max_length=32)
    line1: str = ""
    city: str = ""
    postal_code: str = ""
    country_code: str = Field(default="", max_length=2)
    latitude: float = Field(index=True)
    longitude: float
    time_zone: str
    opening_hours: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    capabilities: str = ","
    pick_deadline_minutes: int = 0
    pickup_window_days: int = 0
    pickup_window_minutes: int = 0
    receiving_minutes: int = 0
    dispatch_minutes: int = 0
    email: str = ""
    # Store capacity (0 = unlimited; an upgrade gives rows written before it 0).
    orders_per_hour: int = 0
    daily_pickup_limit: int = 0
    pickup_extension_days: int = 0


class LaneRow(SQLModel, table=True):
    __tablename__ = "lanes"

    source_id: str = Field(primary_key=True, max_length=16, foreign_key="locations.location_id")
    destination_id: str = Field(
        primary_key=True, max_length=16, foreign_key="locations.location_id", index=True
    )
    transit_days: int


def to_row(location: Location) -> LocationRow:
    address = location.address
    return LocationRow(
        location_id=location.location_id,
        name=location.name.strip(),
        kind=str(location.kind),
        line1=address.line1,
        city=address.city,
        postal_code=address.postal_code,
        country_code=address.country_code,
        latitude=location.latitude,
        longitude=location.longitude,
        time_zone=location.time_zone,
        opening_hours=[
            {"weekday": h.weekday, "opens": h.opens, "closes": h.closes}
            for h in location.opening_hours
        ],
        capabilities="," + "".join(f"{c}," for c in location.capabilities if c is not None),
        email=location.email,
        pick_deadline_minutes=location.pickup.pick_deadline_minutes,
        pickup_window_days=location.pickup.pickup_window_days,
        pickup_window_minutes=location.pickup.pickup_window_minutes,
        receiving_minutes=location.pickup.receiving_minutes,
        dispatch_minutes=location.pickup.dispatch_minutes,
        orders_per_hour=location.pickup.orders_per_hour,
        daily_pickup_limit=location.pickup.daily_pickup_limit,
        pickup_extension_days=location.pickup.pickup_extension_days,
    )


def from_row(row: LocationRow) -> Location:
    return Location(
        location_id=row.location_id,
        name=row.name,
        kind=LocationKind(row.kind),
        latitude=row.latitude,
        longitude=row.longitude,
        time_zone=row.time_zone,
        address=Address(row.line1, row.city, row.postal_code, row.country_code),
        opening_hours=tuple(
            OpeningHours(int(h["weekday"]), str(h["opens"]), str(h["closes"]))
            for h in row.opening_hours
        ),
        capabilities=tuple(Capability(c) for c in row.capabilities.split(",") if c),
        pickup=PickupSettings(
            row.pick_deadline_minutes,
            row.pickup_window_days,
            row.pickup_window_minutes,
            row.receiving_minutes,
            row.dispatch_minutes,
            row.orders_per_hour,
            row.daily_pickup_limit,
            row.pickup_extension_days,
        ),
        email=row.email,
    )


def get_location(session: Session, location_id: str) -> Location | None:
    row = session.get(LocationRow, location_id)
    return from_row(row) if row is not None else None


def save_location(session: Session, location: Location) -> Location:
    """Creates or replaces the location (a validated one) and returns it as stored."""
    session.merge(to_row(location))
    session.flush()
    return location


def list_locations(
    session: Session,
    offset: int,
    limit: int,
    kind: LocationKind | None = None,
    capability: Capability | None = None,
) -> list[Location]:
    query = select(LocationRow).order_by(col(LocationRow.location_id))
    if kind is not None:
        query = query.where(LocationRow.kind == str(kind))
    if capability is not None:
        query = query.where(_has_capability(capability))
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return [from_row(row) for row in rows]


def locations_within(
    session: Session,
    latitude: float,
    longitude: float,
    radius_km: float,
    capability: Capability | None = None,
) -> list[tuple[Location, float]]:
    """Every location within the radius with its distance, nearest first (ties by id)."""
    min_lat, max_lat, min_lng, max_lng = bounding_box(latitude, longitude, radius_km)
    query = select(LocationRow).where(
        col(LocationRow.latitude).between(min_lat, max_lat),
        col(LocationRow.longitude).between(min_lng, max_lng),
    )
    if capability is not None:
        query = query.where(_has_capability(capability))
    found = []
    for row in session.exec(query).all():
        distance = distance_km(latitude, longitude, row.latitude, row.longitude)
        if distance <= radius_km:
            found.append((from_row(row), distance))
    found.sort(key=lambda pair: (pair[1], pair[0].location_id))
    return found


def _has_capability(capability: Capability) -> Any:
    return col(LocationRow.capabilities).contains(f",{capability},", autoescape=True)


def save_lane(session: Session, lane: Lane) -> Lane:
    """Creates or replaces the lane (a validated one) in one statement, so concurrent writers
    of the same lane never collide on the key."""
    insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    statement = (
        insert(LaneRow)
        .values(
            source_id=lane.source_id,
            destination_id=lane.destination_id,
            transit_days=lane.transit_days,
        )
        .on_conflict_do_update(
            index_elements=["source_id", "destination_id"],
            set_={"transit_days": lane.transit_days},
        )
    )
    session.execute(statement)
    return lane


def list_lanes(
    session: Session, offset: int, limit: int, source_id: str = "", destination_id: str = ""
) -> list[Lane]:
    """Lanes in (source, destination) order, only from/to the given locations when set."""
    query = select(LaneRow).order_by(col(LaneRow.source_id), col(LaneRow.destination_id))
    if source_id:
        query = query.where(LaneRow.source_id == source_id)
    if destination_id:
        query = query.where(LaneRow.destination_id == destination_id)
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return [Lane(row.source_id, row.destination_id, row.transit_days) for row in rows]


class PairingCodeRow(SQLModel, table=True):
    """A code made for a device; redeem_time set once it is used (a code pairs one device)."""

    __tablename__ = "pairing_codes"

    code: str = Field(primary_key=True, max_length=16)
    request_id: str = Field(unique=True, max_length=128)
    store_id: str = Field(max_length=16)
    device_name: str = Field(max_length=64)
    device_id: str = Field(max_length=32)
    create_time: datetime = Field(sa_type=TIME)
    expire_time: datetime = Field(sa_type=TIME)
    redeem_time: datetime | None = Field(default=None, sa_type=TIME)


def _pairing(row: PairingCodeRow) -> PairingCode:
    return PairingCode(
        row.code,
        row.store_id,
        row.device_name,
        row.device_id,
        as_utc(row.expire_time),
        redeemed=row.redeem_time is not None,
    )


def pairing_for_request(session: Session, request_id: str) -> PairingCode | None:
    row = session.exec(
        select(PairingCodeRow).where(PairingCodeRow.request_id == request_id)
    ).first()
    return _pairing(row) if row is not None else None


def save_pairing(session: Session, pairing: PairingCode, request_id: str, now: datetime) -> None:
    session.add(
        PairingCodeRow(
            code=pairing.code,
            request_id=request_id,
            store_id=pairing.store_id,
            device_name=pairing.device_name,
            device_id=pairing.device_id,
            create_time=now,
            expire_time=pairing.expire_time,
        )
    )


def pairing_by_code(session: Session, code: str) -> PairingCode | None:
    row = session.get(PairingCodeRow, code)
    return _pairing(row) if row is not None else None


def redeem_pairing(session: Session, code: str, now: datetime) -> bool:
    """Marks the code used; False when another request used it first."""
    statement = (
        update(PairingCodeRow)
        .where(col(PairingCodeRow.code) == code, col(PairingCodeRow.redeem_time).is_(None))
        .values(redeem_time=now)
    )
    return cast("CursorResult[Any]", session.execute(statement)).rowcount == 1
