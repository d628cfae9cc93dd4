"""What a transfer's scans may carry, checked by their validators before anything moves (a scan
typed by hand into the Temporal UI included): a ship or receive request and its request id.
A refusal names the field (INVALID_ARGUMENT) and leaves nothing in the history."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.transfers import ReceiveInput, ShipInput

from workflows.steps import check_request_id


def check_ship_input(request: Any) -> None:
    if not isinstance(request, ShipInput) or not isinstance(request.request_id, str):
        _invalid("request_id", "a ship scan: {request_id, shipped_by}")
    check_request_id(request.request_id)


def check_receive_input(request: Any) -> None:
    """The scan's shape and request id; its lines are the inventory's to check (a refusal
    goes back to the terminal and the transfer keeps waiting for a correct scan)."""
    if not isinstance(request, ReceiveInput) or not isinstance(request.request_id, str):
        _invalid("request_id", "a receive scan: {request_id, received_by, lines}")
    check_request_id(request.request_id)


def _invalid(field: str, rule: str) -> None:
    raise Refusal(
        "INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, f"{field}: {rule}", {}, {field: rule}
    ).error()
