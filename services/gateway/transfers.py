"""Transfers at the terminal: the source dispatches, the pickup store receives (ship-to-store)."""

from __future__ import annotations

import contextlib
import re
from typing import Any, TypeVar

from temporalio.workflow import UpdateMethodMultiParam

from clickcollect.gateway.v1 import store_ops_pb2
from clickcollect.orders.v1 import orders_pb2
from services.common.errors import DomainError, NotFound, PermissionDenied, Violations
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.catching_up import state_behind, until_caught_up
from services.gateway.commands import OrderCommands, WorkflowClosed, refuse_closed
from services.gateway.domain import (
    CountedLine,
    Principal,
    Role,
    check_counted,
    check_request_id,
)
from services.gateway.reads import Reads
from services.gateway.views import store_order
from workflows.contracts.interfaces import OrderWorkflow, ShipToStoreWorkflow
from workflows.contracts.transfers import ReceiveInput, ShipInput, TransferLineInput

TRANSFER_ID = re.compile(r"^transfer-(ORD-[0-9A-Z]{10})-[0-9]{1,3}$")
TERMINALS = (Role.STORE, Role.OPS)
U = TypeVar("U")  # what an update sends


class TransferOps:
    """StoreOpsService methods for transfers (mixed into the servicer)."""

    auth: TokenAuthority
    commands: OrderCommands
    reads: Reads

    async def ShipTransfer(
        self, request: store_ops_pb2.ShipTransferRequest, context: Context
    ) -> store_ops_pb2.ShipTransferResponse:
        principal = self.auth.authenticate(context, *TERMINALS)
        order, shipment = await self._shipment(request.request_id, request.transfer_id)
        _ensure_at(principal, shipment.source_id, "ship it from")
        ship = ShipInput(request.request_id, principal.subject)
        try:
            await self._scan(
                shipment, ShipToStoreWorkflow.ship, ship, f"ship:{request.request_id}", "PLANNED"
            )
        except WorkflowClosed:
            refuse_closed(order, "TRANSFER_NOT_SHIPPABLE", "transfer_shipped", request.request_id)
        fresh = await self.reads.order(order.order_id)
        return store_ops_pb2.ShipTransferResponse(order=store_order(fresh))

    async def ReceiveTransfer(
        self, request: store_ops_pb2.ReceiveTransferRequest, context: Context
    ) -> store_ops_pb2.ReceiveTransferResponse:
        principal = self.auth.authenticate(context, *TERMINALS)
        errors = Violations()
        counted = [CountedLine(x.sku, x.quantity) for x in request.items]
        items = check_counted(counted, "items", errors)
        errors.raise_if_any()
        order, shipment = await self._shipment(request.request_id, request.transfer_id)
        _ensure_at(principal, order.pickup_store_id, "receive it at")
        lines = [TransferLineInput(item.sku, item.quantity) for item in items]
        receive = ReceiveInput(request.request_id, principal.subject, lines)
        update_id = f"receive:{request.request_id}"
        try:
            await self._scan(shipment, ShipToStoreWorkflow.receive, receive, update_id, "SHIPPED")
        except WorkflowClosed:
            refuse_closed(order, "ALREADY_RECEIVED", "transfer_received", request.request_id)
        await self._taken_in(order.order_id, shipment.transfer_id)
        fresh = await self.reads.order(order.order_id)
        return store_ops_pb2.ReceiveTransferResponse(order=store_order(fresh))

    async def _scan(
        self,
        shipment: orders_pb2.Shipment,
        update: UpdateMethodMultiParam[[ShipToStoreWorkflow, U], Any],
        arg: U,
        update_id: str,
        needs: str,
    ) -> None:
        """Sends the scan to the transfer's workflow; waits while the workflow is behind what
        the order shows (its transfer not started yet, or its state not moved yet)."""
        transfer_id = shipment.transfer_id

        async def behind(refused: DomainError | None) -> bool:
            _, fresh = await self._recorded(transfer_id)
            shown = orders_pb2.ShipmentState.Name(fresh.state).removeprefix("SHIPMENT_STATE_")
            if refused is None:  # no workflow: one recorded as PLANNED is about to start
                return shown == needs == "PLANNED"
            return state_behind(refused, shown, frozenset({needs}))

        await until_caught_up(
            lambda seconds: self.commands.update_workflow(
                transfer_id, update, arg, update_id, seconds
            ),
            behind,
            self.commands.timeout.total_seconds(),
        )

    async def _taken_in(self, order_id: str, transfer_id: str) -> None:
        """Waits until the order has taken the received transfer in (the last one: the order is
        AWAITING_PICK), so the answer shows what the terminal may do next."""
        with contextlib.suppress(WorkflowClosed):  # the order is over: its record says so
            await self.commands.update(
                order_id,
                OrderWorkflow.transfer_received,
                transfer_id,
                f"received:{transfer_id}",
            )

    async def _shipment(
        self, request_id: str, transfer_id: str
    ) -> tuple[orders_pb2.Order, orders_pb2.Shipment]:
        """The scan's order and shipment, after its ids are checked."""
        errors = Violations()
        check_request_id(request_id, errors)
        errors.check(
            TRANSFER_ID.fullmatch(transfer_id) is not None,
            "transfer_id",
            "format transfer-ORD-XXXXXXXXXX-<n>",
        )
        errors.raise_if_any()
        return await self._recorded(transfer_id)

    async def _recorded(self, transfer_id: str) -> tuple[orders_pb2.Order, orders_pb2.Shipment]:
        """The transfer as its order records it (the id is well formed)."""
        match = TRANSFER_ID.fullmatch(transfer_id)
        assert match is not None
        order = await self.reads.order(match.group(1))
        for shipment in order.shipments:
            if shipment.transfer_id == transfer_id:
                return order, shipment
        raise NotFound(
            "TRANSFER_NOT_FOUND", f"no transfer {transfer_id}", {"transfer_id": transfer_id}
        )


def _ensure_at(principal: Principal, location_id: str, action: str) -> None:
    if principal.role is Role.STORE and principal.store_id != location_id:
        raise PermissionDenied(
            "WRONG_LOCATION",
            f"this terminal belongs to {principal.store_id}; {action} {location_id}",
            {"terminal_store_id": principal.store_id, "location_id": location_id},
        )
