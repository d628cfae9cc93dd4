"""Transfer activities: move reserved stock between locations (inventory) and keep the order's
shipment record current (orders)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from services.common.fields import clipped
from services.common.timeconv import to_timestamp
from workflows.calls import StockAndOrderActivities, call
from workflows.contracts.transfers import TransferInput, TransferLineInput
from workflows.ship_to_store.types import ReceiveTransferInput, ShipmentRecord


def _lines(lines: list[TransferLineInput]) -> list[inventory_pb2.TransferLine]:
    return [inventory_pb2.TransferLine(sku=x.sku, quantity=x.quantity) for x in lines]


class TransferActivities(StockAndOrderActivities):
    @activity.defn
    async def create_transfer(self, transfer: TransferInput) -> None:
        request = inventory_pb2.CreateTransferRequest(
            transfer_id=transfer.transfer_id,
            reservation_id=transfer.reservation_id,
            source_id=transfer.source_id,
            destination_id=transfer.destination_id,
            lines=_lines(transfer.lines),
        )
        await call(self.inventory.CreateTransfer, request)

    @activity.defn
    async def ship_transfer(self, transfer_id: str) -> None:
        request = inventory_pb2.ShipTransferRequest(transfer_id=transfer_id)
        await call(self.inventory.ShipTransfer, request)

    @activity.defn
    async def receive_transfer(self, receipt: ReceiveTransferInput) -> list[TransferLineInput]:
        """What was received (all that was shipped when no lines are given)."""
        request = inventory_pb2.ReceiveTransferRequest(
            transfer_id=receipt.transfer_id,
            location_id=receipt.location_id,
            lines=_lines(receipt.lines),
        )
        transfer = (await call(self.inventory.ReceiveTransfer, request)).transfer
        return [TransferLineInput(x.sku, x.quantity) for x in transfer.received_lines]

    @activity.defn
    async def record_shipment(self, shipment: ShipmentRecord) -> None:
        request = orders_pb2.RecordShipmentRequest(
            view=orders_pb2.ORDER_VIEW_BASIC,
            request_id=shipment.request_id,
            order_id=shipment.order_id,
            shipment=orders_pb2.Shipment(
                transfer_id=shipment.transfer_id,
                source_id=shipment.source_id,
                state=orders_pb2.ShipmentState.Value(f"SHIPMENT_STATE_{shipment.state}"),
                lines=[
                    orders_pb2.ShipmentLine(sku=x.sku, quantity=x.quantity) for x in shipment.lines
                ],
                expected_arrival=to_timestamp(shipment.expected_arrival),
                ready_by=to_timestamp(shipment.ready_by),
                late=shipment.late,
            ),
            event=shipment.event,
            detail=clipped(shipment.detail),
        )
        await call(self.orders.RecordShipment, request)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.create_transfer,
            self.ship_transfer,
            self.receive_transfer,
            self.record_shipment,
        ]
