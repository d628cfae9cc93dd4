"""Short-pick activities: correct the shelf (inventory), cancel what cannot come (orders), and
release the money for it (orders' payment provider)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from workflows.calls import StockAndOrderActivities, call
from workflows.order.activities.types import CancelLinesInput, PaymentInput, ShortPickInput


class ShortPickActivities(StockAndOrderActivities):
    @activity.defn
    async def record_short_pick(self, short: ShortPickInput) -> None:
        request = inventory_pb2.RecordShortPickRequest(
            request_id=short.request_id,
            reservation_id=short.reservation_id,
            location_id=short.location_id,
            sku=short.sku,
            quantity=short.quantity,
            reason=short.reason,
        )
        await call(self.inventory.RecordShortPick, request)

    @activity.defn
    async def cancel_lines(self, cancel: CancelLinesInput) -> None:
        request = orders_pb2.CancelLinesRequest(
            view=orders_pb2.ORDER_VIEW_BASIC,
            request_id=cancel.request_id,
            order_id=cancel.order_id,
            lines=[
                orders_pb2.LineCancellation(line_number=number, quantity=quantity)
                for number, quantity in sorted(cancel.quantities.items())
            ],
            reason=cancel.reason,
        )
        await call(self.orders.CancelLines, request)

    @activity.defn
    async def reduce_authorization(self, payment: PaymentInput) -> None:
        request = orders_pb2.ReduceAuthorizationRequest(
            request_id=payment.request_id,
            order_id=payment.order_id,
            amount=money_pb2.Money(
                amount_minor=payment.amount_minor, currency_code=payment.currency_code
            ),
        )
        await call(self.orders.ReduceAuthorization, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.record_short_pick, self.cancel_lines, self.reduce_authorization]
