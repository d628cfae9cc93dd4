"""Proto <-> domain for products, stock, reservations, movements, transfers, returns and
sales."""

from __future__ import annotations

from collections.abc import Iterable

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2
from services.common.errors import FieldViolation, InvalidArgument
from services.common.timeconv import to_timestamp
from services.inventory.shelf.domain import (
    Disposition,
    ReturnCommand,
    ReturnedItem,
    SaleCommand,
    SaleItem,
)
from services.inventory.stock.domain import (
    Movement,
    MovementKind,
    Product,
    Reservation,
    ReservationLine,
    ReservationState,
    StockLevel,
)
from services.inventory.stock.validation import AdjustCommand, ReserveCommand
from services.inventory.transfers.domain import Transfer, TransferLine, TransferState
from services.inventory.transfers.validation import ReceiveCommand, TakeUnitsCommand

_KIND_FROM_PROTO: dict[inventory_pb2.MovementKind.ValueType, MovementKind] = {
    inventory_pb2.MOVEMENT_KIND_RECEIPT: MovementKind.RECEIPT,
    inventory_pb2.MOVEMENT_KIND_ADJUSTMENT: MovementKind.ADJUSTMENT,
    inventory_pb2.MOVEMENT_KIND_RESERVE: MovementKind.RESERVE,
    inventory_pb2.MOVEMENT_KIND_RELEASE: MovementKind.RELEASE,
    inventory_pb2.MOVEMENT_KIND_COMMIT: MovementKind.COMMIT,
    inventory_pb2.MOVEMENT_KIND_TRANSFER_OUT: MovementKind.TRANSFER_OUT,
    inventory_pb2.MOVEMENT_KIND_TRANSFER_IN: MovementKind.TRANSFER_IN,
    inventory_pb2.MOVEMENT_KIND_SHORT_PICK: MovementKind.SHORT_PICK,
    inventory_pb2.MOVEMENT_KIND_EXPIRE: MovementKind.EXPIRE,
    inventory_pb2.MOVEMENT_KIND_RETURN: MovementKind.RETURN,
    inventory_pb2.MOVEMENT_KIND_WRITE_OFF: MovementKind.WRITE_OFF,
    inventory_pb2.MOVEMENT_KIND_SALE: MovementKind.SALE,
}
_KIND_TO_PROTO = {kind: value for value, kind in _KIND_FROM_PROTO.items()}
_STATE_TO_PROTO = {
    ReservationState.ACTIVE: inventory_pb2.RESERVATION_STATE_ACTIVE,
    ReservationState.RELEASED: inventory_pb2.RESERVATION_STATE_RELEASED,
    ReservationState.COMMITTED: inventory_pb2.RESERVATION_STATE_COMMITTED,
    ReservationState.EXPIRED: inventory_pb2.RESERVATION_STATE_EXPIRED,
}
_DISPOSITION_FROM_PROTO = {
    inventory_pb2.DISPOSITION_RESTOCK: Disposition.RESTOCK,
    inventory_pb2.DISPOSITION_WRITE_OFF: Disposition.WRITE_OFF,
}
_TRANSFER_STATE_TO_PROTO = {
    TransferState.CREATED: inventory_pb2.TRANSFER_STATE_CREATED,
    TransferState.SHIPPED: inventory_pb2.TRANSFER_STATE_SHIPPED,
    TransferState.RECEIVED: inventory_pb2.TRANSFER_STATE_RECEIVED,
    TransferState.CANCELLED: inventory_pb2.TRANSFER_STATE_CANCELLED,
}


def product_from_proto(message: inventory_pb2.Product) -> Product:
    price = message.price
    return Product(
        message.sku, message.name, price.amount_minor, price.currency_code, message.final_sale
    )


def reserve_from_proto(request: inventory_pb2.ReserveRequest) -> ReserveCommand:
    lines = tuple(ReservationLine(x.location_id, x.sku, x.quantity) for x in request.lines)
    return ReserveCommand(
        request.reservation_id, request.order_id, lines, request.ttl_seconds, request.owner_id
    )


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


def take_units_from_proto(
    request: inventory_pb2.RecordShortPickRequest | inventory_pb2.ReleaseUnitsRequest,
) -> TakeUnitsCommand:
    return TakeUnitsCommand(
        request.request_id,
        request.reservation_id,
        request.location_id,
        request.sku,
        request.quantity,
        request.reason,
    )


def return_from_proto(request: inventory_pb2.ReceiveReturnRequest) -> ReturnCommand:
    """An unspecified (or unknown) disposition reads as None, which validation refuses."""
    items = tuple(
        ReturnedItem(x.sku, x.quantity, _DISPOSITION_FROM_PROTO.get(x.disposition))
        for x in request.items
    )
    return ReturnCommand(request.request_id, request.location_id, request.reference, items)


def sale_from_proto(request: inventory_pb2.RecordSaleRequest) -> SaleCommand:
    items = tuple(SaleItem(x.sku, x.quantity) for x in request.items)
    return SaleCommand(request.request_id, request.location_id, request.reference, items)


def adjust_from_proto(request: inventory_pb2.AdjustStockRequest) -> AdjustCommand:
    kind: MovementKind | None = None
    if request.kind != inventory_pb2.MOVEMENT_KIND_UNSPECIFIED:
        kind = _KIND_FROM_PROTO.get(request.kind)
        if kind is None:
            violation = FieldViolation("kind", "unknown movement kind")
            raise InvalidArgument("INVALID_REQUEST", "kind: unknown movement kind", [violation])
    safety = request.safety_stock if request.HasField("safety_stock") else None
    return AdjustCommand(
        request.request_id,
        request.location_id,
        request.sku,
        request.on_hand_delta,
        safety,
        kind,
        request.reason,
    )


def product_to_proto(product: Product) -> inventory_pb2.Product:
    return inventory_pb2.Product(
        sku=product.sku,
        name=product.name,
        price=money_pb2.Money(
            amount_minor=product.price_minor, currency_code=product.currency_code
        ),
        final_sale=product.final_sale,
    )


def level_to_proto(level: StockLevel) -> inventory_pb2.StockLevel:
    return inventory_pb2.StockLevel(
        location_id=level.location_id,
        sku=level.sku,
        on_hand=level.on_hand,
        reserved=level.reserved,
        safety_stock=level.safety_stock,
        in_transit=level.in_transit,
        available_to_promise=level.available_to_promise,
    )


def reservation_to_proto(reservation: Reservation) -> inventory_pb2.Reservation:
    return inventory_pb2.Reservation(
        reservation_id=reservation.reservation_id,
        order_id=reservation.order_id,
        state=_STATE_TO_PROTO[reservation.state],
        lines=[
            inventory_pb2.ReservationLine(location_id=x.location_id, sku=x.sku, quantity=x.quantity)
            for x in reservation.lines
        ],
        create_time=to_timestamp(reservation.create_time),
        update_time=to_timestamp(reservation.update_time),
        expire_time=to_timestamp(reservation.expire_time),
        owner_id=reservation.owner_id,
    )


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


def movement_to_proto(movement: Movement) -> inventory_pb2.Movement:
    return inventory_pb2.Movement(
        movement_id=movement.movement_id,
        location_id=movement.location_id,
        sku=movement.sku,
        kind=_KIND_TO_PROTO[movement.kind],
        on_hand_delta=movement.on_hand_delta,
        reserved_delta=movement.reserved_delta,
        reference=movement.reference,
        reason=movement.reason,
        create_time=to_timestamp(movement.create_time),
    )
