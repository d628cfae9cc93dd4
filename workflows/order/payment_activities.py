"""Money over an order's life: keeping the card hold alive (orders service) and putting units a
customer did not take back on the shelf (inventory service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from workflows.calls import StockAndOrderActivities, call
from workflows.order.types import AuthorizationResult, PaymentInput, ReleaseUncollectedInput


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
    async def release_uncollected(self, release: ReleaseUncollectedInput) -> None:
        """Takes the units out of whichever of the order's reservations holds them at the store;
        each step's request id is fixed, so a retry repeats rather than releases twice."""
        left = release.quantity
        for reservation_id in release.reservation_ids:
            held = await call(
                self.inventory.GetReservation,
                inventory_pb2.GetReservationRequest(reservation_id=reservation_id),
            )
            if held.reservation.state != inventory_pb2.RESERVATION_STATE_ACTIVE:
                continue
            here = sum(
                line.quantity
                for line in held.reservation.lines
                if line.location_id == release.location_id and line.sku == release.sku
            )
            take = min(left, here)
            if take <= 0:
                continue
            await call(
                self.inventory.ReleaseUnits,
                inventory_pb2.ReleaseUnitsRequest(
                    request_id=f"{release.request_id}:{reservation_id}",
                    reservation_id=reservation_id,
                    location_id=release.location_id,
                    sku=release.sku,
                    quantity=take,
                    reason="NOT_COLLECTED",
                ),
            )
            left -= take
            if left == 0:
                return

    def all(self) -> list[Callable[..., Any]]:
        return [self.reauthorize_payment, self.release_uncollected]
