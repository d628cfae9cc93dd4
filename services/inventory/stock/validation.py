"""Requests to the inventory, checked before anything is read or written (pure).

Every bad field is named (``lines[1].quantity``) in one INVALID_ARGUMENT. A reservation that
names the same (location, sku) twice is merged into one line with the summed quantity; lines
are kept sorted by (location, sku), the order in which stock rows are locked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from services.common import fields, ids
from services.common.errors import NotFound, Violations
from services.inventory.stock.domain import MovementKind, Product

MAX_LINE_QUANTITY = 1_000_000
MAX_LINES = 100
MAX_ON_HAND_CHANGE = 1_000_000_000
MAX_BATCH = 200
MAX_TEXT = 500
_CURRENCY = re.compile(r"^[A-Z]{3}$")
ID_HINT = ids.REQUEST_ID_RULE
LOCATION_HINT = "must look like STORE-001 or DC-01"
SKU_HINT = "must be 2-32 characters of [A-Z0-9-]"


@dataclass(frozen=True)
class AdjustCommand:
    request_id: str
    location_id: str
    sku: str
    on_hand_delta: int
    safety_stock: int | None
    kind: MovementKind | None  # None: unspecified, an ADJUSTMENT
    reason: str = ""


def validate_adjust(command: AdjustCommand) -> AdjustCommand:
    """The command with its kind settled (ADJUSTMENT when unspecified)."""
    errors = Violations()
    errors.check(ids.is_request_id(command.request_id), "request_id", ID_HINT)
    check_location_sku(command.location_id, command.sku, errors)
    delta, safety = command.on_hand_delta, command.safety_stock
    limit = MAX_ON_HAND_CHANGE
    errors.check(abs(delta) <= limit, "on_hand_delta", f"at most {limit} either way")
    errors.check(
        delta != 0 or safety is not None,
        "on_hand_delta",
        "must not be 0 unless safety_stock is set",
    )
    ok_safety = safety is None or 0 <= safety <= limit
    errors.check(ok_safety, "safety_stock", f"must be 0 to {limit}")
    kind = command.kind or MovementKind.ADJUSTMENT
    ok_kind = kind in (MovementKind.RECEIPT, MovementKind.ADJUSTMENT)
    errors.check(ok_kind, "kind", "must be RECEIPT or ADJUSTMENT")
    errors.check(len(command.reason) <= MAX_TEXT, "reason", f"at most {MAX_TEXT} characters")
    errors.raise_if_any()
    return AdjustCommand(
        command.request_id, command.location_id, command.sku, delta, safety, kind, command.reason
    )


def validate_product(product: Product, request_id: str = "") -> Product:
    """The product with its name trimmed. ``request_id`` is optional: a product is created or
    replaced by its sku, so a repeat is harmless without one."""
    errors = Violations()
    errors.check(not request_id or ids.is_request_id(request_id), "request_id", ID_HINT)
    errors.check(ids.is_sku(product.sku), "product.sku", SKU_HINT)
    name = product.name.strip()
    errors.check(0 < len(name) <= 200, "product.name", "1 to 200 characters")
    errors.check(product.price_minor >= 0, "product.price.amount_minor", "must not be negative")
    ok_currency = bool(_CURRENCY.match(product.currency_code))
    errors.check(ok_currency, "product.price.currency_code", "ISO 4217 code, e.g. EUR")
    errors.raise_if_any()
    return Product(
        product.sku, name, product.price_minor, product.currency_code, product.final_sale
    )


def validate_reference(value: str, field_path: str, text: str = "", text_path: str = "") -> None:
    """A reservation or request id (and an optional free-text field beside it)."""
    errors = Violations()
    errors.check(ids.is_request_id(value), field_path, ID_HINT)
    errors.check(len(text) <= MAX_TEXT, text_path, f"at most {MAX_TEXT} characters")
    errors.raise_if_any()


def validate_skus(
    skus: Sequence[str], field_path: str = "skus", errors: Violations | None = None
) -> None:
    own = errors is None
    errors = errors or Violations()
    errors.check(bool(skus), field_path, "at least one")
    errors.check(len(skus) <= MAX_BATCH, field_path, f"at most {MAX_BATCH}")
    for index, sku in enumerate(skus):
        errors.check(ids.is_sku(sku), f"{field_path}[{index}]", SKU_HINT)
    if own:
        errors.raise_if_any()


def validate_product_query(query: str) -> str:
    """The search text of a product listing, trimmed ("" lists every product)."""
    if not query:
        return ""
    errors = Violations()
    trimmed = fields.check_search_text(query, "query", errors)
    errors.raise_if_any()
    return trimmed


def validate_stock_query(location_ids: Sequence[str], skus: Sequence[str]) -> None:
    errors = Violations()
    errors.check(bool(location_ids), "location_ids", "at least one")
    errors.check(len(location_ids) <= MAX_BATCH, "location_ids", f"at most {MAX_BATCH}")
    for index, location_id in enumerate(location_ids):
        errors.check(ids.is_location_id(location_id), f"location_ids[{index}]", LOCATION_HINT)
    validate_skus(skus, "skus", errors)
    errors.raise_if_any()


def validate_location_sku(location_id: str, sku: str) -> None:
    errors = Violations()
    check_location_sku(location_id, sku, errors)
    errors.raise_if_any()


def check_location_sku(location_id: str, sku: str, errors: Violations, prefix: str = "") -> None:
    errors.check(ids.is_location_id(location_id), f"{prefix}location_id", LOCATION_HINT)
    errors.check(ids.is_sku(sku), f"{prefix}sku", SKU_HINT)


def unknown_skus(asked: Sequence[str], known: set[str]) -> None:
    """NOT_FOUND/SKU_NOT_FOUND naming every asked sku that is not a product (``skus`` metadata,
    comma-joined, in the order asked)."""
    missing = list(dict.fromkeys(sku for sku in asked if sku not in known))
    if missing:
        joined = ",".join(missing)
        raise NotFound("SKU_NOT_FOUND", f"unknown sku(s): {', '.join(missing)}", {"skus": joined})
