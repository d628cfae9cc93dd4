"""Proto <-> domain for transfers."""

from __future__ import annotations

from collections.abc import Iterable

from clickcollect.inventory.v1 import inventory_pb2
from services.common.timeconv import to_timestamp
from services.inventory.transfers.domain import Transfer, TransferLine, TransferState
from services.inventory.transfers.validation import ReceiveCommand

_TRANSFER_STATE_TO_PROTO = {
    TransferState.CREATED: inventory_pb2.TRANSFER_STATE_CREATED,
    TransferState.SHIPPED: inventory_pb2.TRANSFER_STATE_SHIPPED,
    TransferState.RECEIVED: inventory_pb2.TRANSFER_STATE_RECEIVED,
    TransferState.CANCELLED: inventory_pb2.TRANSFER_STATE_CANCELLED,
}


def _transfer_lines(lines: Iterable[inventory_pb2.TransferLine]) -> tuple[TransferLine, ...]:
    return tuple(TransferLine(x.sku, x.quantity) for x in lines)


def transfer_from_proto(request: inventory_pb2.CreateTransferRequest) -> Transfer:
    return Transfer(
        request.transfer_id,
        request.reservation_id,
        request.source_id,
        request.destination_id,
        TransferState.CREATED,
        _transfer_lines(request.lines),
    )


def receive_from_proto(request: inventory_pb2.ReceiveTransferRequest) -> ReceiveCommand:
    return ReceiveCommand(request.transfer_id, request.location_id, _transfer_lines(request.lines))


def transfer_to_proto(transfer: Transfer) -> inventory_pb2.Transfer:
    def lines(items: Iterable[TransferLine]) -> list[inventory_pb2.TransferLine]:
        return [inventory_pb2.TransferLine(sku=x.sku, quantity=x.quantity) for x in items]

    return inventory_pb2.Transfer(
        transfer_id=transfer.transfer_id,
        reservation_id=transfer.reservation_id,
        source_id=transfer.source_id,
        destination_id=transfer.destination_id,
        state=_TRANSFER_STATE_TO_PROTO[transfer.state],
        lines=lines(transfer.lines),
        received_lines=lines(transfer.received_lines),
        create_time=to_timestamp(transfer.create_time),
        ship_time=to_timestamp(transfer.ship_time),
        receive_time=to_timestamp(transfer.receive_time),
    )
