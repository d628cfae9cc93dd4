"""OrderService's CountStoreQueue: the orders each store has to pick, for store capacity."""

from __future__ import annotations

from clickcollect.orders.v1 import orders_pb2 as pb
from clickcollect.orders.v1 import orders_pb2_grpc
from services.common import ids
from services.common.db import Database
from services.common.errors import Violations
from services.common.server import Context
from services.orders.queues.repository import queued_orders

MAX_STORES = 100


class QueueRpcs(orders_pb2_grpc.OrderServiceServicer):
    db: Database

    async def CountStoreQueue(
        self, request: pb.CountStoreQueueRequest, context: Context
    ) -> pb.CountStoreQueueResponse:
        store_ids, exclude = list(request.store_ids), request.exclude_order_id
        v = Violations()
        v.check(bool(store_ids), "store_ids", "name at least one store")
        v.check(len(store_ids) <= MAX_STORES, "store_ids", f"at most {MAX_STORES} stores")
        for i, store_id in enumerate(store_ids[:MAX_STORES]):
            v.check(ids.is_location_id(store_id), f"store_ids[{i}]", "a store id like STORE-001")
        if exclude:
            v.check(ids.is_order_id(exclude), "exclude_order_id", "must look like ORD-XXXXXXXXXX")
        v.raise_if_any()
        counted = await self.db.read(lambda s: queued_orders(s, store_ids, exclude))
        return pb.CountStoreQueueResponse(
            queues=[
                pb.StoreQueueLength(store_id=store_id, queued_orders=counted.get(store_id, 0))
                for store_id in store_ids
            ]
        )
