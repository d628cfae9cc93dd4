"""CheckoutService.GetAvailability: for a few skus and a store (or the pickup stores near a
point), whether each is on the store's shelf — in stock, low (at most the low-stock threshold
available to promise) or out of stock, never a count — and whether and by when one could be
shipped to the store for pickup (the router's ship-to-store promise; nothing is held)."""

from __future__ import annotations

import asyncio

from clickcollect.gateway.v1 import checkout_pb2, stock_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.errors import Violations
from services.common.timeconv import utcnow
from services.gateway.pickup_options import check_where, stores_for
from services.gateway.reads import Reads
from services.gateway.stock.promises import shipped_in
from services.gateway.stock.rules import check_availability_skus
from services.gateway.stock.views import levels_by_key, store_availability
from services.routing.network import Queues


def check_availability_request(request: checkout_pb2.GetAvailabilityRequest) -> list[str]:
    """Raises INVALID_ARGUMENT naming every bad field; returns the distinct skus, in order."""
    errors = Violations()
    skus = check_availability_skus(list(request.skus), errors)
    check_where(request.store_id, request.latitude, request.longitude, request.radius_km, errors)
    errors.raise_if_any()
    return skus


class Availability:
    def __init__(self, reads: Reads, low_stock_threshold: int, queues: Queues) -> None:
        self.reads = reads
        self.low_stock_threshold = low_stock_threshold
        self.queues = queues

    async def for_request(
        self, request: checkout_pb2.GetAvailabilityRequest
    ) -> list[stock_pb2.StoreAvailability]:
        """One entry per store (none when no pickup store is in range)."""
        skus = check_availability_request(request)
        await self.reads.products(skus)  # NOT_FOUND for unknown skus
        found = await stores_for(
            self.reads, request.store_id, request.latitude, request.longitude, request.radius_km
        )
        if not found:
            return []
        store_ids = [f.location.location_id for f in found]
        offering = [
            f.location.location_id
            for f in found
            if stores_pb2.CAPABILITY_PICKUP in f.location.capabilities
        ]
        read, shipped = await asyncio.gather(
            self.reads.stock(store_ids, skus),
            shipped_in(self.reads, self.queues, offering, skus, utcnow()),
        )
        levels = levels_by_key(read)
        return [
            store_availability(f, skus, levels, shipped, self.low_stock_threshold) for f in found
        ]
