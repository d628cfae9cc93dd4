"""The pickup store as an order keeps it, read from the stores service's location (shared by the
activities that place and open orders, and by the gateway's checkout)."""

from __future__ import annotations

from clickcollect.stores.v1 import stores_pb2
from workflows.order.types import OpeningHoursRow, PickupStore


def pickup_store_of(location: stores_pb2.Location) -> PickupStore:
    """The pickup store as an order keeps it: name, time zone, hours, its pickup settings."""
    return PickupStore(
        store_id=location.location_id,
        name=location.name,
        time_zone=location.time_zone,
        pick_deadline_minutes=location.pickup_settings.pick_deadline_minutes,
        pickup_window_days=location.pickup_settings.pickup_window_days,
        pickup_window_minutes=location.pickup_settings.pickup_window_minutes,
        email=location.email,
        opening_hours=[
            OpeningHoursRow(h.weekday, h.opens, h.closes) for h in location.opening_hours
        ],
    )
