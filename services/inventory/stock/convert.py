"""Proto <-> domain for products, stock levels, adjustments and movements."""

from __future__ import annotations

from clickcollect.common.v1 import money_pb2
from clickcollect.inventory.v1 import inventory_pb2
from services.common.errors import FieldViolation, InvalidArgument
from services.common.timeconv import to_timestamp
from services.inventory.stock.domain import (
    Movement,
    MovementKind,
    Product,
    StockLevel,
)
from services.inventory.stock.validation import AdjustCommand

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


def product_from_proto(message: inventory_pb2.Product) -> Product:
    price = message.price
    return Product(
        message.sku, message.name, price.amount_minor, price.currency_code, message.final_sale
    )


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
