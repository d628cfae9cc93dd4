"""Identifier formats shared by services and the gateway, checked at every edge."""

from __future__ import annotations

import hashlib
import re

LOCATION_ID = re.compile(r"^(STORE|DC)-[0-9A-Z]{2,10}$")  # fits the 16-character columns
SKU = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
ORDER_ID = re.compile(r"^ORD-[0-9A-Z]{10}$")
# A client's idempotency key (AIP-155) on every mutating request, and our own request ids: the
# one rule, checked by the gateway and every service, and quoted in the protos and the README.
REQUEST_ID = re.compile(r"^[A-Za-z0-9_.:-]{8,128}$")
REQUEST_ID_RULE = "8-128 characters of [A-Za-z0-9_.:-]"
CUSTOMER_ID = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
# Who acts at a terminal or in operations (a token's subject): recorded on what they did.
ACTOR_ID = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
RETURN_ID = re.compile(r"^RET-[0-9A-Z]{10}$")
RMA_NUMBER = re.compile(r"^RMA-[0-9A-Z]{10}$")
HOLD_ID = re.compile(r"^hold-[0-9a-f]{32}$")


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


def is_actor_id(value: str) -> bool:
    return bool(ACTOR_ID.fullmatch(value))


_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def is_return_id(value: str) -> bool:
    return bool(RETURN_ID.fullmatch(value))


def _derived(prefix: str, owner: str, request_id: str) -> str:
    digest = int.from_bytes(hashlib.sha256(f"{owner}\x00{request_id}".encode()).digest()[:8])
    return prefix + "".join(_CROCKFORD[(digest >> (5 * i)) & 31] for i in range(10))


def order_id_for(customer_id: str, request_id: str) -> str:
    """The order id is derived from who asked and their idempotency key: a repeated PlaceOrder
    lands on the same id (and so the same workflow), never on a second order."""
    return _derived("ORD-", customer_id, request_id)


def is_hold_id(value: str) -> bool:
    return bool(HOLD_ID.fullmatch(value))


def hold_id_for(customer_id: str, request_id: str) -> str:
    """A checkout hold's id, derived like an order's from who asked and their idempotency key:
    a repeated request lands on the same hold instead of holding the stock twice."""
    digest = hashlib.sha256(f"hold\x00{customer_id}\x00{request_id}".encode()).hexdigest()
    return "hold-" + digest[:32]


def return_id_for(order_id: str, request_id: str) -> str:
    """A return's id, derived from its order and the caller's idempotency key (a repeated
    request lands on the same return and the same workflow)."""
    return _derived("RET-", order_id, request_id)


def rma_number_of(return_id: str) -> str:
    """The RMA number printed on a mail return's label: the return id under another prefix."""
    return "RMA-" + return_id.removeprefix("RET-")


def return_id_of(return_id_or_rma: str) -> str | None:
    """The return id named by either a return id or an RMA number; None when it is neither."""
    if RETURN_ID.fullmatch(return_id_or_rma):
        return return_id_or_rma
    if RMA_NUMBER.fullmatch(return_id_or_rma):
        return "RET-" + return_id_or_rma.removeprefix("RMA-")
    return None
