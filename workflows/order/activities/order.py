"""Order activities: thin calls to our gRPC services. Request ids derive from the workflow id and
step, so a retried activity repeats the same request; failures translate as workflows/calls.py says.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from temporalio import activity

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from services.common.fields import clipped
from services.common.order_states import OrderState, order_state_to_proto
from services.common.timeconv import to_timestamp
from workflows.calls import call
from workflows.contracts.orders import PickupStore, PlaceOrderInput, pickup_store_of
from workflows.order.activities.capacity import queued_at, shelf_promise
from workflows.order.activities.payment import authorization_of
from workflows.order.activities.records import order_record
from workflows.order.activities.types import (
    AuthorizationResult,
    PaymentInput,
    PickupTimes,
    PlanPickupTimesInput,
    ReserveInput,
    TransitionInput,
)
from workflows.shared.recipients import Contacts, profile_in


class OrderActivities:
    def __init__(
        self,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        contacts: Contacts | None = None,
    ) -> None:
        self.stores = stores
        self.inventory = inventory
        self.orders = orders
        self.contacts = contacts or Contacts(None)

    @activity.defn
    async def create_order(self, order: PlaceOrderInput) -> None:
        request = orders_pb2.CreateOrderRequest(
            request_id=f"create-{order.order_id}",
            order=order_record(order),
            view=orders_pb2.ORDER_VIEW_BASIC,
        )
        await call(self.orders.CreateOrder, request)

    @activity.defn
    async def get_pickup_store(self, store_id: str) -> PickupStore:
        request = stores_pb2.GetLocationRequest(location_id=store_id)
        return pickup_store_of((await call(self.stores.GetLocation, request)).location)

    @activity.defn
    async def plan_pickup_times(self, plan: PlanPickupTimesInput) -> PickupTimes:
        """The pick deadline counts the store's opening minutes only, in its own time zone; at a
        busy store (store capacity) the orders already queued there push it later."""
        queued = await queued_at(self.orders, plan.store)
        deadline = shelf_promise(plan.store, plan.accepted_at, queued)
        return PickupTimes(pick_deadline=deadline, ready_by=deadline)

    @activity.defn
    async def reserve_stock(self, reserve: ReserveInput) -> None:
        request = inventory_pb2.ReserveRequest(
            reservation_id=reserve.reservation_id,
            order_id=reserve.order_id,
            lines=[
                inventory_pb2.ReservationLine(
                    location_id=reserve.location_id, sku=line.sku, quantity=line.quantity
                )
                for line in reserve.lines
            ]
            + [
                inventory_pb2.ReservationLine(
                    location_id=a.location_id, sku=a.sku, quantity=a.quantity
                )
                for a in reserve.allocations
            ],
        )
        await call(self.inventory.Reserve, request)

    @activity.defn
    async def release_stock(self, reservation_id: str) -> None:
        await call(
            self.inventory.Release, inventory_pb2.ReleaseRequest(reservation_id=reservation_id)
        )

    @activity.defn
    async def commit_stock(self, reservation_id: str) -> None:
        await call(
            self.inventory.Commit, inventory_pb2.CommitRequest(reservation_id=reservation_id)
        )

    @activity.defn
    async def authorize_payment(self, payment: PaymentInput) -> AuthorizationResult | None:
        """The hold and its lifetime (None only in histories from before holds were renewed)."""
        request = orders_pb2.AuthorizePaymentRequest(
            request_id=payment.request_id,
            order_id=payment.order_id,
            amount=_money(payment),
            payment_method=payment.payment_method,
        )
        return authorization_of((await call(self.orders.AuthorizePayment, request)).payment)

    @activity.defn
    async def capture_payment(self, payment: PaymentInput) -> None:
        request = orders_pb2.CapturePaymentRequest(
            request_id=payment.request_id, order_id=payment.order_id, amount=_money(payment)
        )
        await call(self.orders.CapturePayment, request)

    @activity.defn
    async def void_payment(self, payment: PaymentInput) -> None:
        request = orders_pb2.VoidPaymentRequest(
            request_id=payment.request_id, order_id=payment.order_id
        )
        await call(self.orders.VoidPayment, request)

    @activity.defn
    async def transition_order(self, change: TransitionInput) -> None:
        request = orders_pb2.TransitionOrderRequest(
            view=orders_pb2.ORDER_VIEW_BASIC,
            request_id=change.request_id,
            order_id=change.order_id,
            state=order_state_to_proto(OrderState(change.state)),
            event=change.event,
            detail=clipped(change.detail),
            state_reason=change.state_reason,
            ready_by=_stamp(change.ready_by),
            pick_deadline=_stamp(change.pick_deadline),
            pickup_expire_time=_stamp(change.pickup_expire_time),
            pickup_code=change.pickup_code,
            collected_by=change.collected_by,
            payment_due_time=_stamp(change.payment_due_time),
            client_request_id=change.client_request_id,
        )
        changed = await call(self.orders.TransitionOrder, request)
        self.contacts.learned(changed.order.customer_id, profile_in(changed))

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.create_order,
            self.get_pickup_store,
            self.plan_pickup_times,
            self.reserve_stock,
            self.release_stock,
            self.commit_stock,
            self.authorize_payment,
            self.capture_payment,
            self.void_payment,
            self.transition_order,
        ]


def _money(payment: PaymentInput) -> money_pb2.Money:
    return money_pb2.Money(amount_minor=payment.amount_minor, currency_code=payment.currency_code)


def _stamp(value: datetime | None) -> Any:
    return to_timestamp(value)
