"""What a mail return's parcel scan may carry, checked by the `receive` validator before the
return moves (a scan typed by hand into the Temporal UI included): a request id, a location id,
inspected items (RESELLABLE or DAMAGED), names that fit a mail. A refusal names the field
(INVALID_ARGUMENT) and leaves nothing in the history."""

from __future__ import annotations

from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from services.common import fields, ids
    from services.common.errors import ErrorKind, Violations, summary
    from workflows.contracts.refusal import Refusal
    from workflows.contracts.returns import DAMAGED, RESELLABLE, ReceiveReturnInput

from workflows.steps import check_request_id


def check_parcel_fields(parcel: Any) -> None:
    v = Violations()
    if not isinstance(parcel, ReceiveReturnInput) or not isinstance(parcel.request_id, str):
        v.add("request_id", "a parcel scan: {request_id, location_id, items}")
        _raise_if_any(v)
    check_request_id(parcel.request_id)
    v.check(ids.is_location_id(parcel.location_id or ""), "location_id", "a location id")
    for index, item in enumerate(parcel.items or []):
        ok = item.condition in (RESELLABLE, DAMAGED)
        v.check(ok, f"items[{index}].condition", "RESELLABLE or DAMAGED")
    for name in ("received_by", "location_name"):
        fields.check_text(getattr(parcel, name) or "", name, v, fields.MAX_NAME)
    _raise_if_any(v)


def _raise_if_any(v: Violations) -> None:
    if v.items:
        violations = {item.field: item.description for item in v.items}
        raise Refusal(
            "INVALID_REQUEST", ErrorKind.INVALID_ARGUMENT, summary(v.items), {}, violations
        ).error()
