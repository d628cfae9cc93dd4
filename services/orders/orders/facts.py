"""Facts a timeline event may bring along without a state change: what a customer changed
before hand-over (the pickup store the order moved to, a longer pickup window, an arrival
announcement, the person who collects) and the client's request id of the command behind it.
Plain Python: what a valid set of facts is, and which of the order's fields it sets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from services.common import ids, pickup_fields
from services.common.errors import FailedPrecondition, Violations
from services.orders.orders.domain import check_client_request_id


@dataclass(frozen=True)
class Arrival:
    state: str  # ARRIVING or HERE
    announce_time: datetime
    vehicle_description: str = ""
    bay: str = ""


@dataclass(frozen=True)
class EventFacts:
    """Unset (empty, None) facts leave the order's fields as they are."""

    pickup_store_id: str = ""
    ready_by: datetime | None = None
    pick_deadline: datetime | None = None
    pickup_expire_time: datetime | None = None
    pickup_extensions: int | None = None
    arrival: Arrival | None = None
    collector_name: str | None = None
    client_request_id: str = ""


def validate_facts(facts: EventFacts, v: Violations) -> None:
    """Adds a violation per bad fact (field names as RecordOrderEventRequest's)."""
    if facts.pickup_store_id:
        store = facts.pickup_store_id
        ok = ids.is_location_id(store) and store.startswith("STORE-")
        v.check(ok, "pickup_store_id", "must be a store id like STORE-001")
    if facts.pickup_extensions is not None:
        v.check(facts.pickup_extensions >= 0, "pickup_extensions", "must be >= 0")
    if facts.arrival is not None:
        prefix = Violations()
        pickup_fields.check_arrival_state(facts.arrival.state, prefix)
        pickup_fields.check_curbside(facts.arrival.vehicle_description, facts.arrival.bay, prefix)
        for violation in prefix.items:
            v.add(f"customer_arrival.{violation.field}", violation.description)
    if facts.collector_name is not None:
        pickup_fields.check_collector_name(facts.collector_name, v)
    check_client_request_id(facts.client_request_id, v)


def changes_of(facts: EventFacts) -> dict[str, Any]:
    """The order's fields the facts set (column name -> value)."""
    changes: dict[str, Any] = {
        name: value
        for name in ("pickup_store_id", "ready_by", "pick_deadline", "pickup_expire_time")
        if (value := getattr(facts, name))
    }
    if facts.pickup_extensions is not None:
        changes["pickup_extensions"] = facts.pickup_extensions
    if facts.collector_name is not None:
        changes["collector_name"] = facts.collector_name.strip()
    if facts.arrival is not None:
        arrival = facts.arrival
        changes.update(
            arrival_state=arrival.state,
            arrival_time=arrival.announce_time,
            vehicle_description=arrival.vehicle_description.strip(),
            arrival_bay=arrival.bay.strip(),
        )
    return changes


# The states in which each fact may still change (the workflow checks first; this keeps the
# record right whoever writes).
_OPEN = frozenset(
    {"PENDING", "AWAITING_PAYMENT", "AWAITING_PICK", "IN_TRANSIT", "READY_FOR_PICKUP"}
)
_ALLOWED_IN = {
    "pickup_store_id": frozenset({"AWAITING_PICK", "IN_TRANSIT"}),
    "pickup_expire_time": frozenset({"READY_FOR_PICKUP"}),
    "arrival_state": frozenset({"READY_FOR_PICKUP"}),
    "collector_name": _OPEN,
}


def check_allowed(state: str, changes: dict[str, Any]) -> None:
    """FAILED_PRECONDITION (ILLEGAL_CHANGE, with the state) for a fact the state does not
    allow to change."""
    for name, states in _ALLOWED_IN.items():
        if name in changes and state not in states:
            raise FailedPrecondition(
                "ILLEGAL_CHANGE",
                f"{name} of an order in {state} cannot change",
                {"state": state, "field": name},
            )
