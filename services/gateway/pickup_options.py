"""GetPickupOptions: for a basket, where it can be collected and when."""

from __future__ import annotations

import uuid
from datetime import datetime

from clickcollect.gateway.v1 import checkout_pb2
from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common import ids
from services.common.errors import Violations
from services.common.timeconv import utcnow
from services.gateway.domain import BasketLine, check_basket
from services.gateway.reads import Reads, ask
from workflows.order.route_types import (
    PlanRouteInput,
    RoutePlanResult,
)
from workflows.route_inputs import plan_for
from workflows.ship_to_store.types import (
    TransferLineInput,
)

DEFAULT_RADIUS_KM = 25.0


class PickupOptions:
    def __init__(self, reads: Reads, hold_ttl_seconds: int = 600) -> None:
        self.reads = reads
        self.hold_ttl_seconds = hold_ttl_seconds

    async def for_request(
        self, request: checkout_pb2.GetPickupOptionsRequest
    ) -> list[checkout_pb2.PickupOption]:
        errors = Violations()
        basket = check_basket([BasketLine(x.sku, x.quantity) for x in request.lines], errors)
        if request.store_id:
            errors.check(ids.is_location_id(request.store_id), "store_id", "not a store id")
        else:
            errors.check(-90 <= request.latitude <= 90, "latitude", "must be -90..90")
            errors.check(-180 <= request.longitude <= 180, "longitude", "must be -180..180")
            errors.check(request.radius_km >= 0, "radius_km", "must not be negative")
            errors.check(not request.hold, "hold", "a hold needs a store_id")
        errors.raise_if_any()
        await self.reads.products([line.sku for line in basket])  # NOT_FOUND for unknown skus
        now = utcnow()
        lines = [TransferLineInput(line.sku, line.quantity) for line in basket]
        planned = [await self._option(found, lines, now) for found in await self._stores(request)]
        first, plan = planned[0]
        if request.hold and plan is not None:
            await self._hold(first, plan)
        return [option for option, _ in planned]

    async def _hold(self, option: checkout_pb2.PickupOption, plan: RoutePlanResult) -> None:
        """Reserves the option's plan for a few minutes; PlaceOrder with the hold id converts it."""
        hold_id = f"hold-{uuid.uuid4().hex}"
        request = inventory_pb2.ReserveRequest(
            reservation_id=hold_id,
            lines=[
                inventory_pb2.ReservationLine(
                    location_id=a.location_id, sku=a.sku, quantity=a.quantity
                )
                for a in plan.allocations
            ],
            ttl_seconds=self.hold_ttl_seconds,
        )
        reservation = (await ask(self.reads.inventory.Reserve, request)).reservation
        option.hold_id = hold_id
        option.hold_expire_time.CopyFrom(reservation.expire_time)

    async def _stores(
        self, request: checkout_pb2.GetPickupOptionsRequest
    ) -> list[stores_pb2.LocationDistance]:
        if request.store_id:
            location = await self.reads.location(request.store_id)
            return [stores_pb2.LocationDistance(location=location, distance_km=0)]
        radius = request.radius_km or DEFAULT_RADIUS_KM
        return await self.reads.pickup_stores_near(request.latitude, request.longitude, radius)

    async def _option(
        self, found: stores_pb2.LocationDistance, lines: list[TransferLineInput], now: datetime
    ) -> tuple[checkout_pb2.PickupOption, RoutePlanResult | None]:
        """The same routing the order will use: shelf, shipped in, or why not (and the plan,
        when there is one)."""
        store = found.location
        option = checkout_pb2.PickupOption(
            store_id=store.location_id,
            store_name=store.name,
            distance_km=round(found.distance_km, 2),
        )
        if stores_pb2.CAPABILITY_PICKUP not in store.capabilities:
            option.availability = checkout_pb2.PICKUP_AVAILABILITY_UNAVAILABLE
            option.unavailable_reason = "PICKUP_NOT_OFFERED"
            return option, None
        request = PlanRouteInput(store.location_id, lines, now)
        plan = await plan_for(self.reads.directory, self.reads.inventory, request)
        if not plan.routable or plan.ready_by is None:
            option.availability = checkout_pb2.PICKUP_AVAILABILITY_UNAVAILABLE
            option.unavailable_reason = "OUT_OF_STOCK"
            option.unavailable_skus.extend(plan.missing)
            return option, None
        shipped = bool(plan.shipments)
        option.availability = (
            checkout_pb2.PICKUP_AVAILABILITY_SHIP_TO_STORE
            if shipped
            else checkout_pb2.PICKUP_AVAILABILITY_PICKUP_IN_STORE
        )
        option.source_ids.extend(s.source_id for s in plan.shipments)
        option.ready_by.FromDatetime(plan.ready_by)
        return option, plan
