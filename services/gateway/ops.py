"""OpsService: operations' tools beside the Temporal UI (ops token only). ExplainRoute answers
what-if routing: every plan the router weighs for a basket and a pickup store, with its verdict
and ready-by, the store's capacity and queue counted. It reads stock; it reserves nothing."""

from __future__ import annotations

from clickcollect.gateway.v1 import devices_pb2, ops_pb2, ops_pb2_grpc
from clickcollect.stores.v1 import stores_pb2
from services.common import ids
from services.common.errors import FailedPrecondition, Violations
from services.common.server import Context
from services.common.timeconv import utcnow
from services.gateway.auth import TokenAuthority
from services.gateway.domain import BasketLine, Role, check_basket
from services.gateway.pairing import issue_pairing_code
from services.gateway.reads import Reads
from services.gateway.route_views import explanation_of, store_queues
from services.routing.model import BasketLine as RouteLine
from services.routing.model import RouteRequest
from services.routing.network import explanations_for


def check_explain_request(request: ops_pb2.ExplainRouteRequest) -> list[BasketLine]:
    """Raises INVALID_ARGUMENT naming every bad field; returns the merged basket."""
    errors = Violations()
    errors.check(ids.is_location_id(request.store_id), "store_id", "a store id like STORE-001")
    basket = check_basket([BasketLine(x.sku, x.quantity) for x in request.lines], errors)
    errors.raise_if_any()
    return basket


class OpsServicer(ops_pb2_grpc.OpsServiceServicer):
    def __init__(self, auth: TokenAuthority, reads: Reads, max_sources: int = 2) -> None:
        self.auth = auth
        self.reads = reads
        self.queues = store_queues(reads.orders)
        self.max_sources = max_sources

    async def ExplainRoute(
        self, request: ops_pb2.ExplainRouteRequest, context: Context
    ) -> ops_pb2.ExplainRouteResponse:
        self.auth.authenticate(context, Role.OPS)
        basket = check_explain_request(request)
        await self.reads.products([line.sku for line in basket])  # NOT_FOUND for unknown skus
        store = await self.reads.location(request.store_id)  # NOT_FOUND for an unknown store
        if stores_pb2.CAPABILITY_PICKUP not in store.capabilities:
            raise FailedPrecondition(
                "PICKUP_NOT_OFFERED",
                f"{store.name} does not offer pickup",
                {"store_id": store.location_id},
            )
        now = utcnow()
        ask = RouteRequest(store.location_id, [RouteLine(x.sku, x.quantity) for x in basket], now)
        [(explained, pickup)] = await explanations_for(
            self.reads.directory, self.reads.inventory, [ask], self.max_sources, self.queues
        )
        return ops_pb2.ExplainRouteResponse(explanation=explanation_of(explained, pickup, now))

    async def IssuePairingCode(
        self, request: devices_pb2.IssuePairingCodeRequest, context: Context
    ) -> devices_pb2.IssuePairingCodeResponse:
        self.auth.authenticate(context, Role.OPS)
        return await issue_pairing_code(self.reads, request)
