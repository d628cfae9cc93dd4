"""Identifier formats shared by services and the gateway, checked at every edge."""

from __future__ import annotations

import hashlib
import re

LOCATION_ID = re.compile(r"^(STORE|DC)-[0-9A-Z]{2,10}$")  # fits the 16-character columns
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
ORDER_ID = re.compile(r"^ORD-[0-9A-Z]{10}$")
REQUEST_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")
CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")


def is_location_id(value: str) -> bool:
    return bool(LOCATION_ID.fullmatch(value))


def is_sku(value: str) -> bool:
    return bool(SKU.fullmatch(value))


def is_order_id(value: str) -> bool:
    return bool(ORDER_ID.fullmatch(value))


def is_request_id(value: str) -> bool:
    return bool(REQUEST_ID.fullmatch(value))


def is_customer_id(value: str) -> bool:
    return bool(CUSTOMER_ID.fullmatch(value))


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def order_id_for(customer_id: str, request_id: str) -> str:
    """The order id is derived from who asked and their idempotency key: a repeated PlaceOrder
    lands on the same id (and so the same workflow), never on a second order."""
    digest = int.from_bytes(hashlib.sha256(f"{customer_id}\x00{request_id}".encode()).digest()[:8])
    chars = [_CROCKFORD[(digest >> (5 * i)) & 31] for i in range(10)]
    return "ORD-" + "".join(chars)
