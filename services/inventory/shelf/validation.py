"""Return and till-sale requests, checked before anything is read or written (pure).

Every bad field is named (``items[1].disposition``) in one INVALID_ARGUMENT. Items naming the
same sku (and, for a return, the same disposition) twice are merged into one with the summed
quantity, and kept sorted by sku: the order in which stock rows are locked.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.common import ids
from services.common.errors import Violations
from services.inventory.shelf.domain import (
    Disposition,
    ReturnCommand,
    ReturnedItem,
    SaleCommand,
    SaleItem,
)
from services.inventory.stock.validation import (
    ID_HINT,
    LOCATION_HINT,
    MAX_LINE_QUANTITY,
    MAX_LINES,
    SKU_HINT,
)

REFERENCE_HINT = "the return or order id, e.g. RET-0123456789 (" + ID_HINT + ")"


def validate_return(command: ReturnCommand) -> ReturnCommand:
    errors = Violations()
    _check_request(
        command.request_id, command.location_id, command.reference, command.items, errors
    )
    merged: dict[tuple[str, Disposition], int] = {}
    for index, item in enumerate(command.items):
        _check_item(index, item, errors)
        if item.disposition is None:
            errors.add(f"items[{index}].disposition", "must be RESTOCK or WRITE_OFF")
        else:
            key = (item.sku, item.disposition)
            merged[key] = merged.get(key, 0) + item.quantity
    errors.raise_if_any()
    items = tuple(ReturnedItem(sku, qty, disp) for (sku, disp), qty in sorted(merged.items()))
    return ReturnCommand(command.request_id, command.location_id, command.reference, items)


def validate_sale(command: SaleCommand) -> SaleCommand:
    errors = Violations()
    _check_request(
        command.request_id, command.location_id, command.reference, command.items, errors
    )
    for index, item in enumerate(command.items):
        _check_item(index, item, errors)
    errors.raise_if_any()
    merged: dict[str, int] = {}
    for item in command.items:
        merged[item.sku] = merged.get(item.sku, 0) + item.quantity
    items = tuple(SaleItem(sku, quantity) for sku, quantity in sorted(merged.items()))
    return SaleCommand(command.request_id, command.location_id, command.reference, items)


def _check_request(
    request_id: str,
    location_id: str,
    reference: str,
    items: Sequence[ReturnedItem | SaleItem],
    errors: Violations,
) -> None:
    errors.check(ids.is_request_id(request_id), "request_id", ID_HINT)
    errors.check(ids.is_location_id(location_id), "location_id", LOCATION_HINT)
    errors.check(ids.is_request_id(reference), "reference", REFERENCE_HINT)
    errors.check(bool(items), "items", "at least one item")
    errors.check(len(items) <= MAX_LINES, "items", f"at most {MAX_LINES} items")


def _check_item(index: int, item: ReturnedItem | SaleItem, errors: Violations) -> None:
    errors.check(ids.is_sku(item.sku), f"items[{index}].sku", SKU_HINT)
    ok = 0 < item.quantity <= MAX_LINE_QUANTITY
    errors.check(ok, f"items[{index}].quantity", f"must be 1 to {MAX_LINE_QUANTITY}")
