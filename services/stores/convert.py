"""Proto <-> domain for locations, lanes and pairing codes."""

from __future__ import annotations

from clickcollect.stores.v1 import stores_pb2
from services.common.timeconv import to_timestamp
from services.stores.domain import (
    Address,
    Capability,
    Location,
    LocationKind,
    OpeningHours,
    PickupSettings,
)
from services.stores.lanes import Lane
from services.stores.pairing import PairingCode, shown

KIND_FROM_PROTO: dict[stores_pb2.LocationKind.ValueType, LocationKind] = {
    stores_pb2.LOCATION_KIND_STORE: LocationKind.STORE,
    stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER: LocationKind.DISTRIBUTION_CENTER,
}
KIND_TO_PROTO = {kind: value for value, kind in KIND_FROM_PROTO.items()}
CAPABILITY_FROM_PROTO: dict[stores_pb2.Capability.ValueType, Capability] = {
    stores_pb2.CAPABILITY_PICKUP: Capability.PICKUP,
    stores_pb2.CAPABILITY_SHIP_TO_STORE: Capability.SHIP_TO_STORE,
    stores_pb2.CAPABILITY_RETURNS: Capability.RETURNS,
    stores_pb2.CAPABILITY_SHIP_FROM: Capability.SHIP_FROM,
}
CAPABILITY_TO_PROTO = {capability: value for value, capability in CAPABILITY_FROM_PROTO.items()}


def from_proto(message: stores_pb2.Location) -> Location:
    """A domain location, unvalidated: unknown enum values become None for validation to name."""
    address = message.address
    return Location(
        location_id=message.location_id,
        name=message.name,
        kind=KIND_FROM_PROTO.get(message.kind),
        latitude=message.latitude,
        longitude=message.longitude,
        time_zone=message.time_zone,
        address=Address(address.line1, address.city, address.postal_code, address.country_code),
        opening_hours=tuple(
            OpeningHours(h.weekday, h.opens, h.closes) for h in message.opening_hours
        ),
        capabilities=tuple(CAPABILITY_FROM_PROTO.get(c) for c in message.capabilities),
        pickup=PickupSettings(
            message.pickup_settings.pick_deadline_minutes,
            message.pickup_settings.pickup_window_days,
            message.pickup_settings.pickup_window_minutes,
            message.pickup_settings.receiving_minutes,
            message.pickup_settings.dispatch_minutes,
            message.pickup_settings.orders_per_hour,
            message.pickup_settings.daily_pickup_limit,
            message.pickup_settings.pickup_extension_days,
        ),
        email=message.email.strip(),
    )


def to_proto(location: Location) -> stores_pb2.Location:
    address = location.address
    return stores_pb2.Location(
        location_id=location.location_id,
        name=location.name,
        kind=KIND_TO_PROTO.get(location.kind, stores_pb2.LOCATION_KIND_UNSPECIFIED)
        if location.kind
        else stores_pb2.LOCATION_KIND_UNSPECIFIED,
        address=stores_pb2.Address(
            line1=address.line1,
            city=address.city,
            postal_code=address.postal_code,
            country_code=address.country_code,
        ),
        latitude=location.latitude,
        longitude=location.longitude,
        time_zone=location.time_zone,
        opening_hours=[
            stores_pb2.OpeningHours(weekday=h.weekday, opens=h.opens, closes=h.closes)
            for h in location.opening_hours
        ],
        capabilities=[CAPABILITY_TO_PROTO[c] for c in location.capabilities if c is not None],
        pickup_settings=stores_pb2.PickupSettings(
            pick_deadline_minutes=location.pickup.pick_deadline_minutes,
            pickup_window_days=location.pickup.pickup_window_days,
            pickup_window_minutes=location.pickup.pickup_window_minutes,
            receiving_minutes=location.pickup.receiving_minutes,
            dispatch_minutes=location.pickup.dispatch_minutes,
            orders_per_hour=location.pickup.orders_per_hour,
            daily_pickup_limit=location.pickup.daily_pickup_limit,
            pickup_extension_days=location.pickup.pickup_extension_days,
        ),
        email=location.email,
    )


def lane_from_proto(message: stores_pb2.Lane) -> Lane:
    return Lane(message.source_id, message.destination_id, message.transit_days)


def lane_to_proto(lane: Lane) -> stores_pb2.Lane:
    return stores_pb2.Lane(
        source_id=lane.source_id,
        destination_id=lane.destination_id,
        transit_days=lane.transit_days,
    )


def pairing_to_proto(code: PairingCode) -> stores_pb2.PairingCode:
    return stores_pb2.PairingCode(
        code=shown(code.code),
        store_id=code.store_id,
        device_name=code.device_name,
        device_id=code.device_id,
        expire_time=to_timestamp(code.expire_time),
    )
