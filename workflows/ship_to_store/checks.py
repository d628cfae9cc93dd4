"""What a transfer's scans may carry, checked by their validators before anything moves (a scan
typed by hand into the Temporal UI included): a ship or receive request, its request id, and
received lines that are lines of this transfer, never more than it moves. A refusal names the
field (INVALID_ARGUMENT) and leaves nothing in the history."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import (
        ReceiveInput,
        ShipInput,
        TransferInput,
        TransferLineInput,
    )

from workflows.steps import check_request_id


def check_ship_input(request: Any) -> None:
    if not isinstance(request, ShipInput) or not isinstance(request.request_id, str):
        _invalid("request_id", "a ship scan: {request_id, shipped_by}")
    check_request_id(request.request_id)


def check_receive_input(request: Any, transfer: TransferInput | None) -> None:
    if not isinstance(request, ReceiveInput) or not isinstance(request.request_id, str):
        _invalid("request_id", "a receive scan: {request_id, received_by, lines}")
    check_request_id(request.request_id)
    moves = {line.sku: line.quantity for line in transfer.lines} if transfer else {}
    counted: dict[str, int] = {}
    for index, line in enumerate(request.lines or []):
        if not isinstance(line, TransferLineInput) or line.sku not in moves:
            _invalid(f"lines[{index}].sku", "a product this transfer moves")
        counted[line.sku] = counted.get(line.sku, 0) + line.quantity
        if line.quantity < 0 or counted[line.sku] > moves[line.sku]:
            _invalid(f"lines[{index}].quantity", f"0 to {moves[line.sku]} in all")


def _invalid(field: str, rule: str) -> None:
    raise Refusal(
        "INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, f"{field}: {rule}", {}, {field: rule}
    ).error()
