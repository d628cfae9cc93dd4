"""Return policy: may these units of this order come back, and what does each one refund?

Plain Python over the order as it was handed over: no transport, no storage. Refusals raise the
shared domain errors. The window and final-sale rules yield to an associate's override with a
reason; the quantity rule never does (no one can return more than they took home).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.common.errors import FailedPrecondition, Violations
from services.common.order_states import OrderState
from services.orders.orders.domain import Channel, Money


@dataclass(frozen=True)
class SoldLine:
    line_number: int
    sku: str
    quantity: int
    cancelled_quantity: int
    final_sale: bool
    unit_price: Money

    @property
    def handed_over(self) -> int:
        return self.quantity - self.cancelled_quantity


@dataclass(frozen=True)
class SoldOrder:
    state: OrderState
    channel: Channel
    handover_time: datetime | None
    lines: tuple[SoldLine, ...]


@dataclass(frozen=True)
class ReturnWindows:
    """Days after the hand-over within which a return is accepted, per sales channel."""

    web_days: int = 30
    app_days: int = 30
    store_days: int = 30

    def days(self, channel: Channel) -> int:
        return {
            Channel.WEB: self.web_days,
            Channel.APP: self.app_days,
            Channel.STORE: self.store_days,
        }[channel]


@dataclass(frozen=True)
class Override:
    """An associate's exception to the window and final-sale rules; only with a reason."""

    reason: str
    by: str = ""

    @property
    def applies(self) -> bool:
        return bool(self.reason.strip())


@dataclass(frozen=True)
class PlannedLine:
    """Units of one order line coming back, and what they refund."""

    line_number: int
    sku: str
    quantity: int
    refund: Money


def plan_return(
    order: SoldOrder,
    returned: Mapping[int, int],
    items: Sequence[tuple[str, int]],
    at: datetime,
    windows: ReturnWindows,
    override: Override | None = None,
) -> tuple[PlannedLine, ...]:
    """The return lines for ``items`` [(sku, units)] requested at ``at``.

    ``returned`` holds, per line number, the units already in returns that still count
    (authorized, received or refunded). A sku on several lines fills from the first line that
    still has returnable units.
    """
    wanted = requested_units(order, items)
    if order.state is not OrderState.PICKED_UP:
        raise FailedPrecondition(
            "ORDER_NOT_HANDED_OVER",
            f"only a handed-over order can be returned; this one is {order.state}",
            {"state": order.state.value},
        )
    if override is None or not override.applies:
        check_window(order, at, windows.days(order.channel))
        check_not_final_sale(order, wanted)
    return allocate(order, returned, wanted)


def requested_units(order: SoldOrder, items: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Units per sku, a sku named twice merged; INVALID_ARGUMENT names each bad item."""
    v = Violations()
    v.check(bool(items), "items", "a return needs at least one item")
    on_order = {line.sku for line in order.lines}
    wanted: dict[str, int] = {}
    for i, (sku, quantity) in enumerate(items):
        v.check(sku in on_order, f"items[{i}].sku", "not on the order")
        v.check(quantity > 0, f"items[{i}].quantity", "must be greater than 0")
        if sku in on_order and quantity > 0:
            wanted[sku] = wanted.get(sku, 0) + quantity
    v.raise_if_any("INVALID_RETURN")
    return wanted


def check_window(order: SoldOrder, at: datetime, days: int) -> None:
    """Open until ``days`` after the hand-over; closed when the hand-over time is unknown."""
    deadline = None if order.handover_time is None else order.handover_time + timedelta(days)
    if deadline is not None and at <= deadline:
        return
    raise FailedPrecondition(
        "RETURN_WINDOW_CLOSED",
        f"returns are accepted for {days} days after the hand-over",
        {
            "window_days": str(days),
            "handed_over": order.handover_time.isoformat() if order.handover_time else "",
            "deadline": deadline.isoformat() if deadline else "",
        },
    )


def check_not_final_sale(order: SoldOrder, wanted: Mapping[str, int]) -> None:
    for line in order.lines:
        if line.final_sale and line.sku in wanted:
            raise FailedPrecondition(
                "FINAL_SALE", f"{line.sku} was sold as final sale", {"sku": line.sku}
            )


def allocate(
    order: SoldOrder, returned: Mapping[int, int], wanted: Mapping[str, int]
) -> tuple[PlannedLine, ...]:
    """Takes each sku's units from its lines in order; refuses more than is still returnable."""
    left = {
        line.line_number: line.handed_over - returned.get(line.line_number, 0)
        for line in order.lines
    }
    planned: list[PlannedLine] = []
    for sku, requested in wanted.items():
        lines = [line for line in order.lines if line.sku == sku]
        returnable = sum(max(left[line.line_number], 0) for line in lines)
        if requested > returnable:
            raise FailedPrecondition(
                "QUANTITY_NOT_RETURNABLE",
                f"{requested} x {sku} requested; {returnable} can still be returned",
                {"sku": sku, "requested": str(requested), "returnable": str(returnable)},
            )
        for line in lines:
            take = min(requested, max(left[line.line_number], 0))
            if take:
                planned.append(_planned(line, take))
                requested -= take
    return tuple(sorted(planned, key=lambda p: p.line_number))


def _planned(line: SoldLine, units: int) -> PlannedLine:
    price = line.unit_price
    return PlannedLine(
        line.line_number, line.sku, units, Money(units * price.amount_minor, price.currency)
    )
