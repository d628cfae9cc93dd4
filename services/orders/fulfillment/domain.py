"""Route and cancellation rules: what a recorded route must hold (where each line's units come
from, and why: the decision itself is ``services.routing``'s), and what an order still costs
once units are cancelled.

Plain Python: no transport, no storage. Violations raise the shared domain errors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from services.common import ids
from services.common.errors import FailedPrecondition, Violations
from services.common.order_states import OrderState as S
from services.orders.orders.domain import MAX_LINES, MAX_QUANTITY, MAX_TEXT, FulfillmentType, Money

ROUTABLE_STATES = frozenset({S.PENDING, S.AWAITING_PICK, S.IN_TRANSIT})
# The states in which some of an order's lines may be cancelled (a short pick, a partial pickup).
LINE_CANCEL_STATES = frozenset({S.PENDING, S.AWAITING_PICK, S.IN_TRANSIT, S.READY_FOR_PICKUP})
VERDICTS = frozenset({"CHOSEN", "REJECTED", "CONSIDERED"})
MAX_ALLOCATIONS = 50
MAX_CANDIDATES = 100
KIND_WORDS = {
    FulfillmentType.PICKUP_IN_STORE: "pick-up-in-store",
    FulfillmentType.SHIP_TO_STORE: "ship-to-store",
}


@dataclass(frozen=True)
class LineQuantity:
    """What an order line holds: units ordered, units cancelled so far, and their price."""

    line_number: int
    quantity: int
    cancelled: int = 0
    unit_price_minor: int = 0

    @property
    def remaining(self) -> int:
        return self.quantity - self.cancelled


@dataclass(frozen=True)
class Allocation:
    location_id: str
    quantity: int


@dataclass(frozen=True)
class LineAllocation:
    line_number: int
    allocations: tuple[Allocation, ...]


@dataclass(frozen=True)
class Candidate:
    location_id: str
    verdict: str
    reason: str = ""
    ready_by: datetime | None = None
    distance_km: float = 0.0


@dataclass(frozen=True)
class Route:
    """A recorded route: the fulfillment type, each line's sources, and why."""

    fulfillment_type: FulfillmentType | None
    lines: tuple[LineAllocation, ...]
    explanation: tuple[Candidate, ...] = ()
    ready_by: datetime | None = None


@dataclass(frozen=True)
class Cancellation:
    line_number: int
    quantity: int


def check_open(state: S, allowed: frozenset[S], action: str) -> None:
    """FAILED_PRECONDITION/ORDER_CLOSED unless the order's state allows ``action``."""
    if state not in allowed:
        raise FailedPrecondition(
            "ORDER_CLOSED", f"an order in {state} cannot {action}", {"state": state.value}
        )


def validate_route(route: Route, v: Violations | None = None) -> None:
    """Raises INVALID_ARGUMENT naming every malformed field (paths as in RecordRouteRequest)."""
    v = v if v is not None else Violations()
    v.check(route.fulfillment_type is not None, "fulfillment_type", "required")
    v.check(bool(route.lines), "lines", "route at least one line")
    v.check(len(route.lines) <= MAX_LINES, "lines", f"at most {MAX_LINES} lines")
    _check_numbers(v, [line.line_number for line in route.lines])
    for i, line in enumerate(route.lines):
        path = f"lines[{i}].allocations"
        v.check(len(line.allocations) <= MAX_ALLOCATIONS, path, f"at most {MAX_ALLOCATIONS}")
        seen: set[str] = set()
        for j, allocation in enumerate(line.allocations):
            _check_location(v, allocation.location_id, f"{path}[{j}].location_id")
            v.check(allocation.location_id not in seen, f"{path}[{j}].location_id", "duplicate")
            seen.add(allocation.location_id)
            quantity_ok = 0 < allocation.quantity <= MAX_QUANTITY
            v.check(quantity_ok, f"{path}[{j}].quantity", f"1..{MAX_QUANTITY}")
    v.check(len(route.explanation) <= MAX_CANDIDATES, "explanation", f"at most {MAX_CANDIDATES}")
    for i, candidate in enumerate(route.explanation):
        path = f"explanation[{i}]"
        _check_location(v, candidate.location_id, f"{path}.location_id")
        v.check(candidate.verdict in VERDICTS, f"{path}.verdict", "CHOSEN, REJECTED or CONSIDERED")
        v.check(len(candidate.reason) <= MAX_TEXT, f"{path}.reason", f"at most {MAX_TEXT} chars")
        distance_ok = math.isfinite(candidate.distance_km) and candidate.distance_km >= 0
        v.check(distance_ok, f"{path}.distance_km", "a distance of 0 km or more")
    v.raise_if_any()


def check_allocations(lines: Mapping[int, LineQuantity], routed: Sequence[LineAllocation]) -> None:
    """Every routed line exists, and its allocations cover exactly the units still to come."""
    unknown, mismatched = Violations(), Violations()
    for i, line in enumerate(routed):
        known = lines.get(line.line_number)
        if known is None:
            unknown.add(f"lines[{i}].line_number", f"the order has no line {line.line_number}")
            continue
        allocated = sum(allocation.quantity for allocation in line.allocations)
        if allocated != known.remaining:
            mismatched.add(
                f"lines[{i}].allocations",
                f"allocate the {known.remaining} units still to come, not {allocated}",
            )
    unknown.raise_if_any("UNKNOWN_LINE")
    mismatched.raise_if_any("ALLOCATION_MISMATCH")


def first_sources(routed: Iterable[LineAllocation]) -> dict[int, str]:
    """Each line's source location: its first allocation's (lines without units keep theirs)."""
    return {
        line.line_number: line.allocations[0].location_id for line in routed if line.allocations
    }


def route_summary(route: Route) -> str:
    """The timeline detail of a route, e.g. "ship-to-store from DC-01, STORE-002"."""
    assert route.fulfillment_type is not None
    kind = KIND_WORDS[route.fulfillment_type]
    sources = dict.fromkeys(a.location_id for line in route.lines for a in line.allocations)
    summary = f"{kind} from {', '.join(sources)}" if sources else kind
    return _clip(summary)


def validate_cancellations(
    cancellations: Sequence[Cancellation], reason: str, v: Violations | None = None
) -> None:
    """Raises INVALID_ARGUMENT naming every malformed field (paths as in CancelLinesRequest)."""
    v = v if v is not None else Violations()
    v.check(bool(cancellations), "lines", "cancel at least one line")
    v.check(len(cancellations) <= MAX_LINES, "lines", f"at most {MAX_LINES} lines")
    _check_numbers(v, [c.line_number for c in cancellations])
    for i, cancellation in enumerate(cancellations):
        quantity_ok = 0 < cancellation.quantity <= MAX_QUANTITY
        v.check(quantity_ok, f"lines[{i}].quantity", f"1..{MAX_QUANTITY}")
    v.check(bool(reason.strip()), "reason", "say why the units are cancelled")
    v.check(len(reason) <= MAX_TEXT, "reason", f"at most {MAX_TEXT} characters")
    v.raise_if_any()


def cancelled_after(
    lines: Mapping[int, LineQuantity], cancellations: Sequence[Cancellation]
) -> dict[int, int]:
    """The new cancelled quantity of each named line; never more than was ordered."""
    unknown, exceeding = Violations(), Violations()
    result: dict[int, int] = {}
    for i, cancellation in enumerate(cancellations):
        number = cancellation.line_number
        known = lines.get(number)
        if known is None:
            unknown.add(f"lines[{i}].line_number", f"the order has no line {number}")
        elif cancellation.quantity > known.remaining:
            exceeding.add(
                f"lines[{i}].quantity",
                f"only {known.remaining} units of line {known.line_number} are left to cancel",
            )
        else:
            result[known.line_number] = known.cancelled + cancellation.quantity
    unknown.raise_if_any("UNKNOWN_LINE")
    exceeding.raise_if_any("CANCELLATION_EXCEEDS_QUANTITY")
    return result


def remaining_total(lines: Iterable[LineQuantity], currency: str) -> Money:
    """The order total over the units still coming: sum of (quantity - cancelled) x price."""
    return Money(sum(line.remaining * line.unit_price_minor for line in lines), currency)


def cancellation_summary(cancellations: Sequence[Cancellation], reason: str) -> str:
    """The timeline detail, e.g. "line 1: 2 units (SHORT_PICK)"."""
    parts = [
        f"line {c.line_number}: {c.quantity} unit{'s' if c.quantity != 1 else ''}"
        for c in cancellations
    ]
    return _clip(f"{', '.join(parts)} ({reason})")


def _check_numbers(v: Violations, numbers: Sequence[int]) -> None:
    seen: set[int] = set()
    for i, number in enumerate(numbers):
        v.check(number > 0, f"lines[{i}].line_number", "must be 1 or more")
        v.check(number not in seen, f"lines[{i}].line_number", "duplicate line number")
        seen.add(number)


def _check_location(v: Violations, location_id: str, path: str) -> None:
    v.check(ids.is_location_id(location_id), path, "must be a location id like STORE-001 or DC-01")


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"
