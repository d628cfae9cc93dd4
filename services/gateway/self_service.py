"""CheckoutService's self-service before hand-over: ChangePickupStore, ExtendPickup,
AnnounceArrival and SetCollector. Each checks the request, finds the customer's own order
(another customer's is NOT_FOUND exactly like one that does not exist), sends the order's
workflow its update (waiting, bounded, while the workflow is behind what the customer read)
and answers with the customer's view of the order as the update left it. A repeat after the
order ended is answered from the order's timeline."""

from __future__ import annotations

from typing import Any, TypeVar

from temporalio.workflow import UpdateMethodMultiParam

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2
from clickcollect.orders.v1 import orders_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common import ids, pickup_fields
from services.common.errors import DomainError, ErrorKind, FailedPrecondition, Violations
from services.common.order_states import OrderState
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.catching_up import state_behind, until_caught_up
from services.gateway.commands import OrderCommands, WorkflowClosed, answered_before
from services.gateway.domain import Role, check_order_id, check_request_id, enum_name, no_order
from services.gateway.reads import Reads, state_name
from services.gateway.views import customer_order
from workflows.contracts.interfaces import OrderWorkflow
from workflows.contracts.orders import (
    AnnounceArrivalInput,
    ChangePickupStoreInput,
    ExtendPickupInput,
    SetCollectorInput,
    pickup_store_of,
)
from workflows.contracts.states import CANCEL_REQUEST_STATES

U = TypeVar("U")  # what an update sends
READY = frozenset({OrderState.READY_FOR_PICKUP})


class SelfServiceRpcs:
    """Mixed into CheckoutServicer (which gives it auth, commands and reads)."""

    auth: TokenAuthority
    commands: OrderCommands
    reads: Reads

    async def ChangePickupStore(
        self, request: checkout_pb2.ChangePickupStoreRequest, context: Context
    ) -> checkout_pb2.ChangePickupStoreResponse:
        customer = self.auth.authenticate(context, Role.CUSTOMER).subject
        errors = _ids(request.request_id, request.order_id)
        store_id = request.pickup_store_id
        errors.check(ids.is_location_id(store_id), "pickup_store_id", "not a store id")
        errors.raise_if_any()
        order = await self._own_order(customer, request.order_id)
        store = await self.reads.location(store_id)
        if stores_pb2.CAPABILITY_PICKUP not in store.capabilities:
            raise FailedPrecondition(
                "PICKUP_NOT_OFFERED", f"{store.name} does not offer pickup", {"store_id": store_id}
            )
        change = ChangePickupStoreInput(request.request_id, store_id, pickup_store_of(store))
        await self._send(
            order,
            OrderWorkflow.change_pickup_store,
            change,
            frozenset({OrderState.AWAITING_PICK}),
            ("pickup_store_changed",),
        )
        return checkout_pb2.ChangePickupStoreResponse(order=await self._view(order))

    async def ExtendPickup(
        self, request: checkout_pb2.ExtendPickupRequest, context: Context
    ) -> checkout_pb2.ExtendPickupResponse:
        customer = self.auth.authenticate(context, Role.CUSTOMER).subject
        _ids(request.request_id, request.order_id).raise_if_any()
        order = await self._own_order(customer, request.order_id)
        extend = ExtendPickupInput(request.request_id, 0, pickup_fields.CUSTOMER)
        await self._send(order, OrderWorkflow.extend_pickup, extend, READY, ("pickup_extended",))
        return checkout_pb2.ExtendPickupResponse(order=await self._view(order))

    async def AnnounceArrival(
        self, request: checkout_pb2.AnnounceArrivalRequest, context: Context
    ) -> checkout_pb2.AnnounceArrivalResponse:
        customer = self.auth.authenticate(context, Role.CUSTOMER).subject
        errors = _ids(request.request_id, request.order_id)
        state = enum_name(order_views_pb2.ArrivalState, request.state, "ARRIVAL_STATE_")
        pickup_fields.check_arrival_state(state, errors)
        pickup_fields.check_curbside(request.vehicle_description, request.bay, errors)
        errors.raise_if_any()
        order = await self._own_order(customer, request.order_id)
        arrival = AnnounceArrivalInput(
            request.request_id, state, request.vehicle_description.strip(), request.bay.strip()
        )
        events = ("customer_on_the_way", "customer_arrived")
        await self._send(order, OrderWorkflow.announce_arrival, arrival, READY, events)
        return checkout_pb2.AnnounceArrivalResponse(order=await self._view(order))

    async def SetCollector(
        self, request: checkout_pb2.SetCollectorRequest, context: Context
    ) -> checkout_pb2.SetCollectorResponse:
        customer = self.auth.authenticate(context, Role.CUSTOMER).subject
        errors = _ids(request.request_id, request.order_id)
        pickup_fields.check_collector_name(request.collector_name, errors)
        errors.raise_if_any()
        order = await self._own_order(customer, request.order_id)
        named = SetCollectorInput(request.request_id, request.collector_name.strip())
        needs = frozenset(OrderState(s) for s in CANCEL_REQUEST_STATES)
        await self._send(order, OrderWorkflow.set_collector, named, needs, ("collector_named",))
        return checkout_pb2.SetCollectorResponse(order=await self._view(order))

    async def _own_order(self, customer_id: str, order_id: str) -> orders_pb2.Order:
        """The customer's own order; another customer's is NOT_FOUND as an unknown one is."""
        try:
            order = await self.reads.order(order_id)
        except DomainError as error:
            if error.kind is ErrorKind.NOT_FOUND:
                raise no_order(order_id) from None
            raise
        if order.customer_id != customer_id:
            raise no_order(order_id)
        return order

    async def _send(
        self,
        order: orders_pb2.Order,
        update: UpdateMethodMultiParam[[OrderWorkflow, U], Any],
        arg: U,
        needs: frozenset[OrderState],
        events: tuple[str, ...],
    ) -> None:
        """The update, by request id (a repeat is answered as the first time), waited for
        while the workflow is behind what reads show; after the order ended, the answer is
        read from its timeline, or the state it ended in is refused."""
        request_id: str = getattr(arg, "request_id")  # noqa: B009
        update_id = f"{events[0]}:{request_id}"
        allowed = frozenset(s.value for s in needs)

        async def behind(refused: DomainError | None) -> bool:
            fresh = await self.reads.order(order.order_id)
            return state_behind(refused, state_name(fresh), allowed)

        try:
            await until_caught_up(
                lambda seconds: self.commands.update(
                    order.order_id, update, arg, update_id, seconds
                ),
                behind,
                self.commands.timeout.total_seconds(),
            )
        except WorkflowClosed:
            ended = await self.reads.order(order.order_id)
            if not any(answered_before(ended, event, request_id) for event in events):
                state = state_name(ended)
                raise FailedPrecondition(
                    "ORDER_NOT_CHANGEABLE", f"order is {state}", {"state": state}
                ) from None

    async def _view(self, order: orders_pb2.Order) -> order_views_pb2.CustomerOrder:
        return customer_order(await self.reads.order(order.order_id))


def _ids(request_id: str, order_id: str) -> Violations:
    errors = Violations()
    check_request_id(request_id, errors)
    check_order_id(order_id, errors)
    return errors
