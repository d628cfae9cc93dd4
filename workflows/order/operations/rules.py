"""Operations' rules as plain functions: what a repeated request is, which message was due in
which state, when a late transfer counts as lost, what promise an automatic re-route may make,
and where an order's units come from once a transfer is replaced. No Temporal, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from services.common.order_states import OrderState
from workflows.contracts.orders import AllocationRow, CandidateRow, merged_allocations

MAX_REASONS = 300  # the routing reasons quoted in a refusal or on the timeline


def fingerprint(action: str, request: Any) -> str:
    """What a request asked (the action and every field): a request id names one request."""
    return f"{action}:{sorted(asdict(request).items())!r}"


def why_not_due(message: str, state: OrderState, confirmed: bool, pickup_code: str) -> str:
    """Why `message` was never due to this order in its state ("" when it was)."""
    if message == "order_confirmed":
        unconfirmed = (OrderState.PENDING, OrderState.REJECTED, OrderState.AWAITING_PAYMENT)
        if confirmed and state not in unconfirmed:
            return ""
        return f"the order was never confirmed (it is {state})"
    if message == "payment_link":
        if state == OrderState.AWAITING_PAYMENT:
            return ""
        return f"the order does not wait for payment (it is {state})"
    if message in ("ready_for_pickup", "pickup_reminder"):
        if state == OrderState.READY_FOR_PICKUP and pickup_code:
            return ""
        return f"the order is not ready for pickup (it is {state})"
    return f"{message} is not a message that can be sent again"


def lost_at(late_since: datetime, lost_after_seconds: int) -> datetime:
    """When a transfer flagged late at `late_since` counts as lost."""
    return late_since + timedelta(seconds=max(lost_after_seconds, 0))


def promise_limit(now: datetime, promise_days: int) -> datetime:
    """The latest ready-by an automatic re-route may promise: `promise_days` from now."""
    return now + timedelta(days=max(promise_days, 0))


def keeps_promise(ready_by: datetime | None, limit: datetime | None) -> bool:
    """A plan's ready-by is a reasonable promise (no limit: any plan that has one)."""
    return ready_by is not None and (limit is None or ready_by <= limit)


def moved_allocations(
    current: Sequence[AllocationRow],
    source_id: str,
    moved: Sequence[tuple[str, int]],
    added: Sequence[AllocationRow],
) -> list[AllocationRow]:
    """The order's allocations once the units `moved` (sku, quantity) no longer come from
    `source_id` but from `added`: rows of one location and sku merged, empty ones dropped."""
    rows = [AllocationRow(a.location_id, a.sku, a.quantity) for a in current]
    for sku, quantity in moved:
        left = quantity
        for row in rows:
            if row.location_id == source_id and row.sku == sku and left > 0:
                taken = min(row.quantity, left)
                row.quantity -= taken
                left -= taken
    return merged_allocations([*rows, *added])


def routing_reasons(explanation: Sequence[CandidateRow]) -> str:
    """Why no candidate could take over, as the router said it (cut to MAX_REASONS)."""
    said = "; ".join(f"{c.location_id}: {c.reason or c.verdict}" for c in explanation)
    said = said or "no location ships to this store"
    return said if len(said) <= MAX_REASONS else said[: MAX_REASONS - 1] + "…"
