"""What a customer may say about collecting an order before it is handed over (self-service):
the curbside details of an arrival, the person who collects for them, and how many days an
extension adds to the pickup window. Defined once for the gateway, the order workflow's update
validators and the orders service that stores them: a value the gateway accepts is one every
layer behind it accepts, and one sent by hand from the Temporal UI is checked the same way."""

from __future__ import annotations

import re

from services.common import fields
from services.common.errors import Violations

MAX_VEHICLE_DESCRIPTION = 60
MAX_BAY = 16
MAX_COLLECTOR_NAME = 80
# The days an extension adds: the pickup store's setting for a customer (once per order), a
# number operations choose (1..14) when they extend from the Temporal UI.
DEFAULT_EXTENSION_DAYS = 3
MAX_EXTENSION_DAYS = 14
ARRIVAL_STATES = ("ARRIVING", "HERE")
CUSTOMER, OPERATIONS = "customer", "operations"
_LINE_BREAK = re.compile(r"[\r\n\t]")


def check_curbside(vehicle: str, bay: str, errors: Violations) -> None:
    """Optional curbside details: a vehicle (at most 60 characters) and a bay (at most 16),
    each on one line."""
    _check_line(vehicle, "vehicle_description", errors, MAX_VEHICLE_DESCRIPTION)
    _check_line(bay, "bay", errors, MAX_BAY)


def check_arrival_state(state: str, errors: Violations) -> None:
    errors.check(state in ARRIVAL_STATES, "state", "ARRIVING or HERE")


def check_collector_name(name: str, errors: Violations, field: str = "collector_name") -> None:
    """A person's name: 1-80 characters once trimmed, on one line."""
    fields.check_name(name, field, errors, MAX_COLLECTOR_NAME)


def _check_line(value: str, field: str, errors: Violations, max_chars: int) -> None:
    fields.check_text(value, field, errors, max_chars)
    errors.check(not _LINE_BREAK.search(value), field, "must fit on one line")


def check_extension_days(days: int, requested_by: str, errors: Violations) -> None:
    """A customer extends by the store's days (days 0); operations by 0 (the store's days) or
    1..14."""
    errors.check(requested_by in (CUSTOMER, OPERATIONS), "requested_by", "customer or operations")
    if requested_by == CUSTOMER:
        errors.check(days == 0, "days", "a customer extends by the store's number of days (0)")
    else:
        ok = 0 <= days <= MAX_EXTENSION_DAYS
        errors.check(ok, "days", f"0 (the store's days) or 1..{MAX_EXTENSION_DAYS}")


def extension_days(days: int, store_days: int) -> int:
    """The days an extension adds: those asked for, else the store's (3 when it sets none)."""
    return days or store_days or DEFAULT_EXTENSION_DAYS


def person_key(name: str) -> str:
    """A name as the counter compares it: case and spacing do not matter."""
    return " ".join(name.split()).casefold()


def may_collect(given: str, collector: str, customer: tuple[str, ...]) -> bool:
    """Whether the counter may hand over to the person it names (`given`). Without a named
    collector anyone showing the pickup code may; with one, only that collector or the customer
    (named by what the order knows of them: their e-mail address or customer id)."""
    if not collector:
        return True
    allowed = {person_key(collector), *(person_key(c) for c in customer if c)}
    return person_key(given) in allowed
