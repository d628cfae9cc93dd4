"""Proto <-> domain for reservations and the units taken out of them."""

from __future__ import annotations

from clickcollect.inventory.v1 import inventory_pb2
from services.common.timeconv import to_timestamp
from services.inventory.reservations.domain import Reservation, ReservationLine, ReservationState
from services.inventory.reservations.validation import ReserveCommand, TakeUnitsCommand

_STATE_TO_PROTO = {
    ReservationState.ACTIVE: inventory_pb2.RESERVATION_STATE_ACTIVE,
    ReservationState.RELEASED: inventory_pb2.RESERVATION_STATE_RELEASED,
    ReservationState.COMMITTED: inventory_pb2.RESERVATION_STATE_COMMITTED,
    ReservationState.EXPIRED: inventory_pb2.RESERVATION_STATE_EXPIRED,
}


def reserve_from_proto(request: inventory_pb2.ReserveRequest) -> ReserveCommand:
    lines = tuple(ReservationLine(x.location_id, x.sku, x.quantity) for x in request.lines)
    return ReserveCommand(
        request.reservation_id, request.order_id, lines, request.ttl_seconds, request.owner_id
    )


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
