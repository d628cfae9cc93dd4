"""What callers may write in the fields that are not identifiers, defined once for the gateway
and the services that store or send them: e-mail addresses, payment method tokens, receipt
numbers, names and free text, points on the map. A value the gateway accepts is one every
service downstream accepts."""

from __future__ import annotations

import math
import re

from services.common.errors import Violations

EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
MAX_EMAIL = 254
EMAIL_RULE = "an e-mail address (at most 254 characters, 64 before the @)"
PAYMENT_METHOD = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
PAYMENT_METHOD_RULE = "a payment method token, 1-128 characters of A-Z a-z 0-9 _ -"
RECEIPT_NUMBER = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
RECEIPT_NUMBER_RULE = "1-64 characters of A-Z a-z 0-9 _ . -"
# Free text (reasons, notes) and a person's name, as stored on an order's timeline.
MAX_TEXT = 500
MAX_NAME = 100
# Control characters (NUL included) cannot be stored by every database, nor shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAK = re.compile(r"[\r\n\t]")
# Text searched for in the catalogue (a sku or a word of a product's name, from its start).
MAX_SEARCH_TEXT = 64
MAX_SEARCH_RADIUS_KM = 500.0
DEFAULT_SEARCH_RADIUS_KM = 25.0


def is_email(value: str) -> bool:
    return len(value) <= MAX_EMAIL and bool(EMAIL.fullmatch(value))


def is_payment_method(value: str) -> bool:
    return bool(PAYMENT_METHOD.fullmatch(value))


def is_receipt_number(value: str) -> bool:
    return bool(RECEIPT_NUMBER.fullmatch(value))


def check_text(value: str, field: str, errors: Violations, max_chars: int = MAX_TEXT) -> None:
    """Free text: at most ``max_chars`` characters, line breaks allowed, no other control
    characters."""
    errors.check(len(value) <= max_chars, field, f"at most {max_chars} characters")
    errors.check(not _CONTROL.search(value), field, "must not contain control characters")


def clipped(value: str, max_chars: int = MAX_TEXT) -> str:
    """Text we wrote ourselves (a timeline detail built from a long list), cut to what any
    service stores, with a marker when cut."""
    return value if len(value) <= max_chars else value[: max_chars - 1] + "…"


def check_name(value: str, field: str, errors: Violations, max_chars: int = MAX_NAME) -> None:
    """A name on one line: 1 to ``max_chars`` characters once trimmed, no control characters."""
    errors.check(bool(value.strip()), field, "required")
    check_text(value, field, errors, max_chars)
    errors.check(not _LINE_BREAK.search(value), field, "must fit on one line")


def check_search_text(value: str, field: str, errors: Violations) -> str:
    """Search text: 1 to MAX_SEARCH_TEXT characters once trimmed, on one line, no control
    characters; returns it trimmed."""
    check_name(value, field, errors, MAX_SEARCH_TEXT)
    return value.strip()


def check_point(latitude: float, longitude: float, errors: Violations, prefix: str = "") -> None:
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        errors.add(f"{prefix}latitude", "must be within [-90, 90]")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        errors.add(f"{prefix}longitude", "must be within [-180, 180]")


def check_radius(radius_km: float, errors: Violations) -> float:
    """The radius to search: 25 km when unset, at most 500 km."""
    ok = math.isfinite(radius_km) and 0 <= radius_km <= MAX_SEARCH_RADIUS_KM
    errors.check(ok, "radius_km", f"must be within [0, {MAX_SEARCH_RADIUS_KM:g}] km")
    return radius_km or DEFAULT_SEARCH_RADIUS_KM
