"""Activities for operations' actions and lost transfers: a transfer's state in inventory,
giving up a transfer that was not shipped, and the lost-transfer policy (worker settings, read
once per order so the workflow stays deterministic)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from workflows.calls import call
from workflows.order.operations.log import LostTransferPolicy

NOT_CANCELLABLE = "TRANSFER_NOT_CANCELLABLE"


class OperationsActivities:
    def __init__(
        self,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        lost_after_seconds: int,
        promise_days: int,
    ) -> None:
        self.inventory = inventory
        self.policy = LostTransferPolicy(lost_after_seconds, promise_days)

    @activity.defn
    async def transfer_state(self, transfer_id: str) -> str:
        """CREATED, SHIPPED, RECEIVED or CANCELLED, as inventory knows it. A transfer the order
        started but its workflow has not created yet (its first step, moments later on a busy
        machine) is asked for again, not refused: the order lists it as under way."""
        request = inventory_pb2.GetTransferRequest(transfer_id=transfer_id)
        try:
            transfer = (await call(self.inventory.GetTransfer, request)).transfer
        except ApplicationError as missing:
            if missing.type != "TRANSFER_NOT_FOUND":
                raise
            raise ApplicationError(
                f"transfer {transfer_id} is not created yet", type="TRANSFER_NOT_CREATED_YET"
            ) from None
        return inventory_pb2.TransferState.Name(transfer.state).removeprefix("TRANSFER_STATE_")

    @activity.defn
    async def cancel_transfer(self, transfer_id: str) -> str:
        """Gives up a transfer not shipped yet (the destination no longer expects it); returns
        its state afterwards (SHIPPED or RECEIVED when it could not be given up)."""
        request = inventory_pb2.CancelTransferRequest(transfer_id=transfer_id)
        try:
            await call(self.inventory.CancelTransfer, request)
        except ApplicationError as refused:
            if refused.type != NOT_CANCELLABLE:
                raise
        return await self.transfer_state(transfer_id)

    @activity.defn
    async def lost_transfer_policy(self, order_id: str) -> LostTransferPolicy:
        return self.policy

    def all(self) -> list[Callable[..., Any]]:
        return [self.transfer_state, self.cancel_transfer, self.lost_transfer_policy]
