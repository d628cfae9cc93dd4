"""StoreOpsService: the public API of store terminals, scoped to the terminal's store."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from temporalio.workflow import UpdateMethodMultiParam

from clickcollect.gateway.v1 import store_ops_pb2, store_ops_pb2_grpc
from clickcollect.orders.v1 import orders_pb2
from services.common import fields, paging
from services.common.errors import DomainError, ErrorKind, Violations
from services.common.order_states import OrderState, order_state_to_proto
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.catching_up import state_behind, until_caught_up
from services.gateway.commands import OrderCommands, WorkflowClosed, refuse_closed
from services.gateway.customer_lookup import CustomerLookup
from services.gateway.domain import (
    QUEUE_STATES,
    CountedLine,
    Principal,
    Role,
    check_counted,
    check_order_id,
    check_pickup_code,
    check_request_id,
    ensure_store_may_act,
    enum_name,
)
from services.gateway.endless_aisle import EndlessAisle
from services.gateway.pairing import DevicePairing
from services.gateway.payment_links import LinkTerms
from services.gateway.placing import OrderPlacing
from services.gateway.reads import Reads, ask, state_name
from services.gateway.returns import Returns
from services.gateway.route_views import store_queues
from services.gateway.stock.lookup import StockLookupRpcs
from services.gateway.store_counter import StoreCounter
from services.gateway.transfers import TransferOps
from services.gateway.views import store_order
from workflows.contracts.interfaces import OrderWorkflow
from workflows.contracts.orders import (
    CollectedLineInput,
    ConfirmPickupInput,
    MarkPickedInput,
    MissingLineInput,
)

TERMINALS = (Role.STORE, Role.OPS)
U = TypeVar("U")  # what an update sends


class StoreOpsServicer(
    TransferOps,
    StoreCounter,
    CustomerLookup,
    StockLookupRpcs,
    EndlessAisle,
    DevicePairing,
    store_ops_pb2_grpc.StoreOpsServiceServicer,
):
    def __init__(
        self,
        auth: TokenAuthority,
        commands: OrderCommands,
        reads: Reads,
        returns: Returns,
        decision_timeout: float = 30.0,
        device_token_ttl: timedelta = timedelta(days=7),
        link_terms: LinkTerms | None = None,
    ) -> None:
        self.auth = auth
        self.commands = commands
        self.reads = reads
        self.returns = returns
        self.device_token_ttl = device_token_ttl
        self.link_terms = link_terms or LinkTerms()
        self.queues = store_queues(reads.orders)  # store capacity: a busy store promises later
        self.placing = OrderPlacing(commands, reads, timedelta(seconds=decision_timeout))

    async def ListStoreOrders(
        self, request: store_ops_pb2.ListStoreOrdersRequest, context: Context
    ) -> store_ops_pb2.ListStoreOrdersResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        paging.page_size(request.page_size)
        paging.decode_token(request.page_token)
        queue = enum_name(store_ops_pb2.StoreQueue, request.queue, "STORE_QUEUE_")
        if queue not in QUEUE_STATES:
            errors = Violations()
            errors.add("queue", "one of TO_PICK, READY, OVERDUE, ARRIVING")
            errors.raise_if_any()
        states, overdue_only = QUEUE_STATES[queue]
        listed = await ask(
            self.reads.orders.ListStoreOrders,
            orders_pb2.ListStoreOrdersRequest(
                store_id=principal.store_id,
                states=[order_state_to_proto(OrderState(s)) for s in states],
                overdue_only=overdue_only,
                page_size=request.page_size,
                page_token=request.page_token,
            ),
        )
        return store_ops_pb2.ListStoreOrdersResponse(
            orders=[store_order(order) for order in listed.orders],
            next_page_token=listed.next_page_token,
        )

    async def MarkPicked(
        self, request: store_ops_pb2.MarkPickedRequest, context: Context
    ) -> store_ops_pb2.MarkPickedResponse:
        principal = self.auth.authenticate(context, *TERMINALS)
        missing = check_missing(request)
        check_command_ids(request.request_id, request.order_id)
        picked = MarkPickedInput(
            request.request_id, principal.subject, missing, terminal_store(principal)
        )
        update_id = f"mark-picked:{request.request_id}"
        try:
            await self._command(
                principal,
                request.order_id,
                OrderWorkflow.mark_picked,
                picked,
                update_id,
                frozenset({OrderState.AWAITING_PICK}),
            )
        except WorkflowClosed:
            order = await self._own_order(principal, request.order_id)
            refuse_closed(
                order, "ORDER_NOT_AWAITING_PICK", "order_ready_for_pickup", request.request_id
            )
        fresh = await self._own_order(principal, request.order_id)
        return store_ops_pb2.MarkPickedResponse(order=store_order(fresh))

    async def ConfirmPickup(
        self, request: store_ops_pb2.ConfirmPickupRequest, context: Context
    ) -> store_ops_pb2.ConfirmPickupResponse:
        principal = self.auth.authenticate(context, *TERMINALS)
        errors = Violations()
        check_pickup_code(request.pickup_code, errors)
        fields.check_name(request.collector_name, "collector_name", errors)
        counted = [CountedLine(item.sku, item.quantity) for item in request.collected]
        collected = check_counted(counted, "collected", errors, zero_allowed=True)
        errors.raise_if_any()
        check_command_ids(request.request_id, request.order_id)
        handover = ConfirmPickupInput(
            request.request_id,
            request.pickup_code,
            request.collector_name.strip(),
            [CollectedLineInput(item.sku, item.quantity) for item in collected],
            terminal_store(principal),
        )
        update_id = f"confirm-pickup:{request.request_id}"
        try:
            await self._command(
                principal,
                request.order_id,
                OrderWorkflow.confirm_pickup,
                handover,
                update_id,
                frozenset({OrderState.READY_FOR_PICKUP}),
            )
        except WorkflowClosed:
            order = await self._own_order(principal, request.order_id)
            reason = "ORDER_ALREADY_PICKED_UP" if _picked_up(order) else "ORDER_NOT_READY"
            refuse_closed(order, reason, "order_picked_up", request.request_id)
        fresh = await self._own_order(principal, request.order_id)
        return store_ops_pb2.ConfirmPickupResponse(order=store_order(fresh))

    async def _command(
        self,
        principal: Principal,
        order_id: str,
        update: UpdateMethodMultiParam[[OrderWorkflow, U], Any],
        arg: U,
        update_id: str,
        needs: frozenset[OrderState],
    ) -> None:
        """Sends a terminal's command to the order (its workflow checks the terminal's store);
        waits while the workflow is behind what the terminal read (catching_up.py): until it
        holds one of the states the command `needs`."""

        async def behind(refused: DomainError | None) -> bool:
            if refused is None or refused.kind is ErrorKind.PERMISSION_DENIED:
                return False
            order = await self._own_order(principal, order_id)
            return state_behind(refused, state_name(order), needs)

        await until_caught_up(
            lambda seconds: self.commands.update(order_id, update, arg, update_id, seconds),
            behind,
            self.commands.timeout.total_seconds(),
        )

    async def _own_order(self, principal: Principal, order_id: str) -> orders_pb2.Order:
        order = await self.reads.order(order_id)
        ensure_store_may_act(principal, order.pickup_store_id)
        return order


def check_command_ids(request_id: str, order_id: str) -> None:
    errors = Violations()
    check_request_id(request_id, errors)
    check_order_id(order_id, errors)
    errors.raise_if_any()


def terminal_store(principal: Principal) -> str:
    """The store a command is limited to: the terminal's own; operations act on any."""
    return principal.store_id if principal.role is Role.STORE else ""


def check_missing(request: store_ops_pb2.MarkPickedRequest) -> list[MissingLineInput]:
    """The short-picked units, validated: sku, a positive quantity, a reason for each."""
    errors = Violations()
    counted = []
    for index, item in enumerate(request.missing):
        reason = enum_name(store_ops_pb2.ShortPickReason, item.reason, "SHORT_PICK_REASON_")
        errors.check(
            reason not in ("", "UNSPECIFIED"), f"missing[{index}].reason", "NOT_FOUND or DAMAGED"
        )
        counted.append(CountedLine(item.sku, item.quantity, reason))
    missing = check_counted(counted, "missing", errors)
    errors.raise_if_any()
    return [MissingLineInput(item.sku, item.quantity, item.reason) for item in missing]


def _picked_up(order: orders_pb2.Order) -> bool:
    return order.state == orders_pb2.ORDER_STATE_PICKED_UP
