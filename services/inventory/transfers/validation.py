"""Transfer requests, checked before anything is read or written (pure).

Every bad field is named in one INVALID_ARGUMENT. Lines naming one sku twice are merged (summed)
and kept sorted by sku. A transfer id is at most 100 characters: the movements that only move
in_transit reference it as ``<transfer id>/created`` and ``/cancelled``.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.common import ids
from services.common.errors import Violations
from services.inventory.stock.validation import (
    ID_HINT,
    LOCATION_HINT,
    MAX_LINE_QUANTITY,
    MAX_LINES,
    SKU_HINT,
)
from services.inventory.transfers.domain import Transfer, TransferLine, TransferState

MAX_TRANSFER_ID = 100


@dataclass(frozen=True)
class ReceiveCommand:
    transfer_id: str
    location_id: str
    lines: tuple[TransferLine, ...]  # empty: everything that was shipped


def validate_create_transfer(transfer: Transfer) -> Transfer:
    """The transfer to create (state CREATED) with its lines merged and sorted."""
    errors = Violations()
    check_transfer_id(transfer.transfer_id, errors)
    errors.check(ids.is_request_id(transfer.reservation_id), "reservation_id", ID_HINT)
    errors.check(ids.is_location_id(transfer.source_id), "source_id", LOCATION_HINT)
    errors.check(ids.is_location_id(transfer.destination_id), "destination_id", LOCATION_HINT)
    same = transfer.source_id == transfer.destination_id
    errors.check(not same, "destination_id", "must differ from source_id")
    errors.check(bool(transfer.lines), "lines", "at least one line")
    lines = _checked_lines(transfer.lines, errors)
    errors.raise_if_any()
    return Transfer(
        transfer.transfer_id,
        transfer.reservation_id,
        transfer.source_id,
        transfer.destination_id,
        TransferState.CREATED,
        lines,
    )


def validate_receive(command: ReceiveCommand) -> ReceiveCommand:
    errors = Violations()
    check_transfer_id(command.transfer_id, errors)
    errors.check(ids.is_location_id(command.location_id), "location_id", LOCATION_HINT)
    lines = _checked_lines(command.lines, errors)
    errors.raise_if_any()
    return ReceiveCommand(command.transfer_id, command.location_id, lines)


def validate_transfer_id(transfer_id: str) -> None:
    errors = Violations()
    check_transfer_id(transfer_id, errors)
    errors.raise_if_any()


def check_transfer_id(transfer_id: str, errors: Violations) -> None:
    ok = ids.is_request_id(transfer_id) and len(transfer_id) <= MAX_TRANSFER_ID
    errors.check(ok, "transfer_id", f"8-{MAX_TRANSFER_ID} characters of [A-Za-z0-9_.:-]")


def _checked_lines(lines: tuple[TransferLine, ...], errors: Violations) -> tuple[TransferLine, ...]:
    errors.check(len(lines) <= MAX_LINES, "lines", f"at most {MAX_LINES} lines")
    merged: dict[str, int] = {}
    for index, line in enumerate(lines):
        errors.check(ids.is_sku(line.sku), f"lines[{index}].sku", SKU_HINT)
        ok = 0 < line.quantity <= MAX_LINE_QUANTITY
        errors.check(ok, f"lines[{index}].quantity", f"must be 1 to {MAX_LINE_QUANTITY}")
        merged[line.sku] = merged.get(line.sku, 0) + line.quantity
    return tuple(TransferLine(sku, quantity) for sku, quantity in sorted(merged.items()))
