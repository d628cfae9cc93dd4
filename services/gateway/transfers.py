"""Transfers at the terminal: the source dispatches, the pickup store receives (ship-to-store)."""

from __future__ import annotations

import re

import grpc

from clickcollect.gateway.v1 import store_ops_pb2
from clickcollect.orders.v1 import orders_pb2
from services.common.errors import NotFound, PermissionDenied, Violations
from services.gateway.auth import TokenAuthority
from services.gateway.commands import OrderCommands, WorkflowClosed, refuse_closed
from services.gateway.domain import (
    CountedLine,
    Principal,
    Role,
    check_counted,
    check_request_id,
)
from services.gateway.reads import Reads, without_pickup_code
from workflows.ship_to_store.types import (
    ReceiveInput,
    ShipInput,
    TransferLineInput,
)

TRANSFER_ID = re.compile(r"^transfer-(ORD-[0-9A-Z]{10})-[0-9]{1,3}$")
TERMINALS = (Role.STORE, Role.OPS)


class TransferOps:
    """StoreOpsService methods for transfers (mixed into the servicer)."""

    auth: TokenAuthority
    commands: OrderCommands
    reads: Reads

    async def ShipTransfer(
        self, request: store_ops_pb2.ShipTransferRequest, context: grpc.aio.ServicerContext
    ) -> store_ops_pb2.ShipTransferResponse:
        principal = self.auth.authenticate(context, *TERMINALS)
        order, shipment = await self._shipment(request.request_id, request.transfer_id)
        _ensure_at(principal, shipment.source_id, "ship it from")
        ship = ShipInput(request.request_id, principal.subject)
        try:
            await self.commands.update_workflow(
                shipment.transfer_id, "ship", ship, f"ship:{request.request_id}"
            )
        except WorkflowClosed:
            refuse_closed(order, "TRANSFER_NOT_SHIPPABLE", "transfer_shipped", request.request_id)
        fresh = await self.reads.order(order.order_id)
        return store_ops_pb2.ShipTransferResponse(order=without_pickup_code(fresh))

    async def ReceiveTransfer(
        self, request: store_ops_pb2.ReceiveTransferRequest, context: grpc.aio.ServicerContext
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
        try:
            await self.commands.update_workflow(
                shipment.transfer_id, "receive", receive, f"receive:{request.request_id}"
            )
        except WorkflowClosed:
            refuse_closed(order, "ALREADY_RECEIVED", "transfer_received", request.request_id)
        fresh = await self.reads.order(order.order_id)
        return store_ops_pb2.ReceiveTransferResponse(order=without_pickup_code(fresh))

    async def _shipment(
        self, request_id: str, transfer_id: str
    ) -> tuple[orders_pb2.Order, orders_pb2.Shipment]:
        errors = Violations()
        check_request_id(request_id, errors)
        match = TRANSFER_ID.fullmatch(transfer_id)
        errors.check(match is not None, "transfer_id", "format transfer-ORD-XXXXXXXXXX-<n>")
        errors.raise_if_any()
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
