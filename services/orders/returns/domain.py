"""Returns: their lifecycle, and what a request to open or receive one must contain.

AUTHORIZED → RECEIVED → REFUNDED, and AUTHORIZED → EXPIRED (the parcel never came). An in-store
return starts RECEIVED. Plain Python: no transport, no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from services.common import fields, ids
from services.common.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    Violations,
)
from services.orders.orders.domain import MAX_LINES, MAX_QUANTITY, MAX_TEXT


class ReturnState(StrEnum):
    AUTHORIZED = "AUTHORIZED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"
    EXPIRED = "EXPIRED"


# Returns whose units count as returned (or on their way back); an expired RMA frees its units.
LIVE_STATES = frozenset({ReturnState.AUTHORIZED, ReturnState.RECEIVED, ReturnState.REFUNDED})


class ReturnMethod(StrEnum):
    IN_STORE = "IN_STORE"
    MAIL = "MAIL"


class ItemCondition(StrEnum):
    RESELLABLE = "RESELLABLE"
    DAMAGED = "DAMAGED"


@dataclass(frozen=True)
class ReturnItem:
    sku: str
    quantity: int
    condition: ItemCondition | None = None


@dataclass(frozen=True)
class NewReturn:
    """What a caller states when opening a return; the lines and refunds are derived."""

    return_id: str
    order_id: str
    method: ReturnMethod | None
    receiving_location_id: str
    items: tuple[ReturnItem, ...]
    reason: str = ""
    override_reason: str = ""
    overridden_by: str = ""
    expire_time: datetime | None = None


MAX_OVERRIDDEN_BY = 128


def validate_new_return(new: NewReturn, v: Violations) -> None:
    """Raises INVALID_ARGUMENT naming every bad field (paths relative to CreateReturnRequest)."""
    v.check(ids.is_return_id(new.return_id), "return_id", "must look like RET-XXXXXXXXXX")
    v.check(ids.is_order_id(new.order_id), "order_id", "must look like ORD-XXXXXXXXXX")
    v.check(new.method is not None, "method", "required")
    in_store = new.method is ReturnMethod.IN_STORE
    if in_store or new.receiving_location_id:
        v.check(
            ids.is_location_id(new.receiving_location_id),
            "receiving_location_id",
            "must be a location id like STORE-001 (required in store)",
        )
    if new.method is ReturnMethod.MAIL:
        v.check(new.expire_time is not None, "expire_time", "required for a mail return")
    check_items(new.items, v, conditions_required=in_store)
    fields.check_text(new.reason, "reason", v, MAX_TEXT)
    fields.check_text(new.override_reason, "override_reason", v, MAX_TEXT)
    if new.override_reason.strip():
        v.check(bool(new.overridden_by.strip()), "overridden_by", "required with an override")
    elif new.overridden_by:
        v.add("override_reason", "required with overridden_by")
    v.check(len(new.overridden_by) <= MAX_OVERRIDDEN_BY, "overridden_by", "too long")
    v.raise_if_any("INVALID_RETURN")


def check_items(items: Sequence[ReturnItem], v: Violations, *, conditions_required: bool) -> None:
    """Each item a well-formed sku and a unit count; one condition per sku, set if required."""
    v.check(bool(items), "items", "at least one item")
    v.check(len(items) <= MAX_LINES, "items", f"at most {MAX_LINES} items")
    seen: dict[str, ItemCondition | None] = {}
    for i, item in enumerate(items):
        v.check(ids.is_sku(item.sku), f"items[{i}].sku", "malformed SKU")
        v.check(0 < item.quantity <= MAX_QUANTITY, f"items[{i}].quantity", f"1..{MAX_QUANTITY}")
        if conditions_required:
            v.check(item.condition is not None, f"items[{i}].condition", "required")
        if item.sku in seen and seen[item.sku] != item.condition:
            v.add(f"items[{i}].condition", "one condition per sku")
        seen.setdefault(item.sku, item.condition)


def comparable(new: NewReturn) -> NewReturn:
    """What a repeated CreateReturn must match to be the same return: units merged per sku, and
    for a mail return neither conditions nor location (those come with the receipt)."""
    mail = new.method is ReturnMethod.MAIL
    conditions = {item.sku: item.condition for item in new.items}
    units = sorted(units_by_sku((item.sku, item.quantity) for item in new.items).items())
    return replace(
        new,
        items=tuple(ReturnItem(sku, n, None if mail else conditions[sku]) for sku, n in units),
        receiving_location_id="" if mail else new.receiving_location_id,
        expire_time=new.expire_time if mail else None,
    )


def units_by_sku(items: Iterable[tuple[str, int]]) -> dict[str, int]:
    units: dict[str, int] = {}
    for sku, quantity in items:
        units[sku] = units.get(sku, 0) + quantity
    return units


def check_receipt(expected: Mapping[str, int], items: Sequence[ReturnItem]) -> None:
    """What arrived must be exactly the return's units, sku by sku."""
    v = Violations()
    arrived = units_by_sku((item.sku, item.quantity) for item in items)
    for i, item in enumerate(items):
        if item.sku not in expected:
            v.add(f"items[{i}].sku", "not in this return")
        elif arrived[item.sku] != expected[item.sku]:
            v.add(f"items[{i}].quantity", f"the return has {expected[item.sku]} x {item.sku}")
    for sku in expected.keys() - arrived.keys():
        v.add("items", f"{sku} missing ({expected[sku]} units)")
    v.raise_if_any("RETURN_ITEMS_MISMATCH")


def _refuse(reason: str, return_id: str, state: ReturnState, message: str) -> FailedPrecondition:
    return FailedPrecondition(reason, message, {"return_id": return_id, "state": state.value})


def check_receivable(return_id: str, state: ReturnState) -> None:
    if state is ReturnState.EXPIRED:
        raise _refuse("RETURN_EXPIRED", return_id, state, "the RMA lapsed")
    if state is not ReturnState.AUTHORIZED:
        raise _refuse("RETURN_ALREADY_RECEIVED", return_id, state, "the goods are already in")


def check_refundable(return_id: str, state: ReturnState) -> None:
    if state is ReturnState.EXPIRED:
        raise _refuse("RETURN_EXPIRED", return_id, state, "the RMA lapsed; nothing came back")
    if state is ReturnState.AUTHORIZED:
        raise _refuse("RETURN_NOT_RECEIVED", return_id, state, "the goods have not arrived yet")


def check_expirable(return_id: str, state: ReturnState) -> None:
    if state in (ReturnState.RECEIVED, ReturnState.REFUNDED):
        raise _refuse("RETURN_ALREADY_RECEIVED", return_id, state, "the goods are already in")


def request_id_reused() -> InvalidArgument:
    return InvalidArgument(
        "REQUEST_ID_REUSED",
        "request_id was already used for another change of this order",
        [FieldViolation("request_id", "already used for another change of this order")],
    )


def summary(return_id: str, units: Iterable[tuple[str, int]], note: str = "") -> str:
    """The timeline detail: "RET-…: 2 x SKU-1, 1 x SKU-2", cut to fit the event."""
    text = f"{return_id}: " + ", ".join(f"{n} x {sku}" for sku, n in units)
    if note:
        text += f" ({note})"
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
