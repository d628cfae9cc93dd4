"""Money over an order's life: keeping the card hold alive (orders service) and putting units a
customer did not take back on the shelf (inventory service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from workflows.calls import StockAndOrderActivities, call
from workflows.order.activities.types import (
    AuthorizationResult,
    PaymentInput,
    PlanReleaseInput,
    ReleaseUnitsInput,
)


def authorization_of(payment: orders_pb2.Payment) -> AuthorizationResult:
    lifetime = 0
    if payment.HasField("expire_time") and payment.HasField("time"):
        lifetime = int(payment.expire_time.ToSeconds() - payment.time.ToSeconds())
    return AuthorizationResult(payment.payment_id, max(0, lifetime))


class PaymentActivities(StockAndOrderActivities):
    @activity.defn
    async def reauthorize_payment(self, payment: PaymentInput) -> AuthorizationResult:
        request = orders_pb2.ReauthorizePaymentRequest(
            request_id=payment.request_id,
            order_id=payment.order_id,
            payment_method=payment.payment_method,
        )
        return authorization_of((await call(self.orders.ReauthorizePayment, request)).payment)

    @activity.defn
    async def plan_release(self, plan: PlanReleaseInput) -> list[ReleaseUnitsInput]:
        """Which of the order's reservations hold the units at the store, and how many to take
        from each. Planned once (the answer is kept in the workflow's history), so a retried
        release repeats the same request rather than recounting what is left."""
        rows: list[ReleaseUnitsInput] = []
        left = plan.quantity
        for reservation_id in plan.reservation_ids:
            request = inventory_pb2.GetReservationRequest(reservation_id=reservation_id)
            held = (await call(self.inventory.GetReservation, request)).reservation
            if held.state != inventory_pb2.RESERVATION_STATE_ACTIVE or left == 0:
                continue
            here = sum(
                line.quantity
                for line in held.lines
                if line.location_id == plan.location_id and line.sku == plan.sku
            )
            take = min(left, here)
            if take > 0:
                rows.append(
                    ReleaseUnitsInput(
                        f"{plan.request_id}:{len(rows) + 1}",
                        reservation_id,
                        plan.location_id,
                        plan.sku,
                        take,
                    )
                )
                left -= take
        return rows

    @activity.defn
    async def release_units(self, release: ReleaseUnitsInput) -> None:
        """Units the customer did not take go back on the shelf (idempotent by request id)."""
        request = inventory_pb2.ReleaseUnitsRequest(
            request_id=release.request_id,
            reservation_id=release.reservation_id,
            location_id=release.location_id,
            sku=release.sku,
            quantity=release.quantity,
            reason="NOT_COLLECTED",
        )
        await call(self.inventory.ReleaseUnits, request)

    def all(self) -> list[Callable[..., Any]]:
        return [self.reauthorize_payment, self.plan_release, self.release_units]
