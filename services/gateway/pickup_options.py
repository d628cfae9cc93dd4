"""GetPickupOptions: for a basket, where it can be collected and when; with a hold, the stock of
the chosen store held for a few minutes (one hold per customer and request_id)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from clickcollect.gateway.v1 import checkout_pb2, routes_pb2
from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common import fields, ids
from services.common.errors import AlreadyExists, DomainError, ErrorKind, Violations
from services.common.timeconv import utcnow
from services.gateway.domain import BasketLine, check_basket, check_request_id, same_units
from services.gateway.reads import Reads, ask
from services.gateway.route_views import explanation_of, store_queues
from services.routing.model import Allocation, RoutePlan, RouteRequest, Unroutable
from services.routing.model import BasketLine as RouteLine
from services.routing.network import explanations_for, plan_for, plans_for


def check_pickup_request(request: checkout_pb2.GetPickupOptionsRequest) -> list[BasketLine]:
    """Raises INVALID_ARGUMENT naming every bad field; returns the merged basket."""
    errors = Violations()
    basket = check_basket([BasketLine(x.sku, x.quantity) for x in request.lines], errors)
    check_where(request.store_id, request.latitude, request.longitude, request.radius_km, errors)
    if not request.store_id:
        errors.check(not request.hold, "hold", "a hold needs a store_id")
    if request.hold or request.request_id:
        check_request_id(request.request_id, errors)
    errors.raise_if_any()
    return basket


def check_where(
    store_id: str, latitude: float, longitude: float, radius_km: float, errors: Violations
) -> None:
    """A store, or a point and a radius."""
    if store_id:
        errors.check(ids.is_location_id(store_id), "store_id", "not a store id")
    else:
        fields.check_point(latitude, longitude, errors)
        fields.check_radius(radius_km, errors)


async def stores_for(
    reads: Reads, store_id: str, latitude: float, longitude: float, radius_km: float
) -> list[stores_pb2.LocationDistance]:
    """The store asked for (NOT_FOUND when unknown), or the pickup stores in range of the point,
    nearest first (checked by check_where)."""
    if store_id:
        location = await reads.location(store_id)
        return [stores_pb2.LocationDistance(location=location, distance_km=0)]
    radius = fields.check_radius(radius_km, Violations())
    return await reads.pickup_stores_near(latitude, longitude, radius)


class PickupOptions:
    def __init__(self, reads: Reads, hold_ttl_seconds: int = 600) -> None:
        self.reads = reads
        self.hold_ttl_seconds = hold_ttl_seconds
        self.queues = store_queues(reads.orders)  # store capacity: a busy store promises later

    async def for_request(
        self, request: checkout_pb2.GetPickupOptionsRequest, customer_id: str
    ) -> list[checkout_pb2.PickupOption]:
        """One option per store (none when no pickup store is in range). With a hold, the
        customer's hold for this request_id: made now, or the one a previous call made."""
        basket = check_pickup_request(request)
        await self.reads.products([line.sku for line in basket])  # NOT_FOUND for unknown skus
        now = utcnow()
        lines = [RouteLine(line.sku, line.quantity) for line in basket]
        found = await self._stores(request)
        if request.hold:
            hold_id = ids.hold_id_for(customer_id, request.request_id)
            return [await self._held(found[0], lines, now, hold_id, customer_id)]
        return await self._options(found, lines, now)

    async def explained(
        self, request: checkout_pb2.GetPickupOptionsRequest
    ) -> tuple[list[checkout_pb2.PickupOption], list[routes_pb2.RouteExplanation]]:
        """Operations: every store's option and how it was routed (what-if, nothing held)."""
        basket = check_pickup_request(request)
        await self.reads.products([line.sku for line in basket])  # NOT_FOUND for unknown skus
        now = utcnow()
        lines = [RouteLine(line.sku, line.quantity) for line in basket]
        found = await self._stores(request)
        offering = [f.location.location_id for f in found if _offers_pickup(f)]
        asks = [RouteRequest(store_id, lines, now) for store_id in offering]
        answers = await explanations_for(
            self.reads.directory, self.reads.inventory, asks, queues=self.queues
        )
        planned = {pickup.location_id: explained.result for explained, pickup in answers}
        options = [_option_of(f, planned.get(f.location.location_id)) for f in found]
        return options, [explanation_of(explained, pickup, now) for explained, pickup in answers]

    async def _held(
        self,
        found: stores_pb2.LocationDistance,
        lines: list[RouteLine],
        now: datetime,
        hold_id: str,
        customer_id: str,
    ) -> checkout_pb2.PickupOption:
        """The store's option with its hold. A hold made earlier for the same request is
        answered as it is (same id, same expiry); for another basket, REQUEST_ID_REUSED."""
        hold = await self._existing_hold(hold_id)
        option: checkout_pb2.PickupOption | None = None
        if hold is None:
            option, plan = await self._option(found, lines, now)
            if plan is None:
                return option  # nothing to hold
            hold = await self._reserve(hold_id, customer_id, plan)
            if _rows(hold.lines) != _rows(plan.allocations):  # a twin request held first
                option = None
        asked = [(line.sku, line.quantity) for line in lines]
        if not same_units([(x.sku, x.quantity) for x in hold.lines], asked):
            raise AlreadyExists(
                "REQUEST_ID_REUSED",
                "this request_id already holds another basket; use a new request_id",
                {"hold_id": hold_id},
            )
        if option is None:  # the option as the units held make it
            held = [Allocation(x.location_id, x.sku, x.quantity) for x in hold.lines]
            option, _ = await self._option(found, lines, now, fixed=held)
        option.hold_id = hold.reservation_id
        option.hold_expire_time.CopyFrom(hold.expire_time)
        return option

    async def _existing_hold(self, hold_id: str) -> inventory_pb2.Reservation | None:
        request = inventory_pb2.GetReservationRequest(reservation_id=hold_id)
        try:
            return (await ask(self.reads.inventory.GetReservation, request)).reservation
        except DomainError as error:
            if error.kind is ErrorKind.NOT_FOUND:
                return None
            raise

    async def _reserve(
        self, hold_id: str, customer_id: str, plan: RoutePlan
    ) -> inventory_pb2.Reservation:
        """Reserves the plan for a few minutes; PlaceOrder with the hold id converts it. A
        concurrent twin of this request may have reserved first: then that hold is answered."""
        request = inventory_pb2.ReserveRequest(
            reservation_id=hold_id,
            lines=[
                inventory_pb2.ReservationLine(
                    location_id=a.location_id, sku=a.sku, quantity=a.quantity
                )
                for a in plan.allocations
            ],
            ttl_seconds=self.hold_ttl_seconds,
            owner_id=customer_id,
        )
        return (await ask(self.reads.inventory.Reserve, request)).reservation

    async def _stores(
        self, request: checkout_pb2.GetPickupOptionsRequest
    ) -> list[stores_pb2.LocationDistance]:
        return await stores_for(
            self.reads, request.store_id, request.latitude, request.longitude, request.radius_km
        )

    async def _options(
        self,
        found: list[stores_pb2.LocationDistance],
        lines: list[RouteLine],
        now: datetime,
    ) -> list[checkout_pb2.PickupOption]:
        """Every store's option, the stock of all of them read in one call."""
        offering = [f.location.location_id for f in found if _offers_pickup(f)]
        asks = [RouteRequest(store_id, lines, now) for store_id in offering]
        plans = await plans_for(
            self.reads.directory, self.reads.inventory, asks, queues=self.queues
        )
        planned = dict(zip(offering, plans, strict=True))
        return [_option_of(f, planned.get(f.location.location_id)) for f in found]

    async def _option(
        self,
        found: stores_pb2.LocationDistance,
        lines: list[RouteLine],
        now: datetime,
        fixed: list[Allocation] | None = None,
    ) -> tuple[checkout_pb2.PickupOption, RoutePlan | None]:
        """The same routing the order will use: shelf, shipped in, or why not (and the plan,
        when there is one). ``fixed``: units already held, whose shipments are planned."""
        if not _offers_pickup(found):
            return _option_of(found, None), None
        request = RouteRequest(found.location.location_id, lines, now, fixed=fixed or [])
        plan = await plan_for(
            self.reads.directory, self.reads.inventory, request, queues=self.queues
        )
        option = _option_of(found, plan)
        usable = option.availability != checkout_pb2.PICKUP_AVAILABILITY_UNAVAILABLE
        return option, plan if usable and isinstance(plan, RoutePlan) else None


def _offers_pickup(found: stores_pb2.LocationDistance) -> bool:
    return stores_pb2.CAPABILITY_PICKUP in found.location.capabilities


def _option_of(
    found: stores_pb2.LocationDistance, plan: RoutePlan | Unroutable | None
) -> checkout_pb2.PickupOption:
    """A store's option from its plan (None: the store does not offer pickup)."""
    store = found.location
    option = checkout_pb2.PickupOption(
        store_id=store.location_id, store_name=store.name, distance_km=round(found.distance_km, 2)
    )
    if plan is None:
        option.availability = checkout_pb2.PICKUP_AVAILABILITY_UNAVAILABLE
        option.unavailable_reason = "PICKUP_NOT_OFFERED"
        return option
    if isinstance(plan, Unroutable):
        option.availability = checkout_pb2.PICKUP_AVAILABILITY_UNAVAILABLE
        option.unavailable_reason = "OUT_OF_STOCK"
        option.unavailable_skus.extend(plan.missing)
        return option
    shipped = bool(plan.shipments)
    option.availability = (
        checkout_pb2.PICKUP_AVAILABILITY_SHIP_TO_STORE
        if shipped
        else checkout_pb2.PICKUP_AVAILABILITY_PICKUP_IN_STORE
    )
    option.source_ids.extend(s.source_id for s in plan.shipments)
    option.ready_by.FromDatetime(plan.ready_by)
    option.store_busy = plan.busy
    return option


def _rows(
    rows: Iterable[Allocation | inventory_pb2.ReservationLine],
) -> list[tuple[str, str, int]]:
    return sorted((a.location_id, a.sku, a.quantity) for a in rows)
