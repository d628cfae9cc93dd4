"""StoreOpsService.LookupStock: a product's stock as the terminal's store sees it — its shelf's
counts, the promise an order placed now would get here, and every other location that ships
holding some, each with when it could be ready at this store. By sku, or by search text over
the catalogue, a page of products at a time."""

from __future__ import annotations

from clickcollect.gateway.v1 import stock_pb2, store_ops_pb2
from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common import paging
from services.common.server import Context
from services.common.timeconv import utcnow
from services.gateway.auth import TokenAuthority
from services.gateway.domain import Role, ensure_sells_over_the_counter
from services.gateway.reads import Reads, ask
from services.gateway.stock.promises import store_promises
from services.gateway.stock.rules import StockLookup, check_stock_lookup, lookup_page_size
from services.gateway.stock.views import elsewhere_of, levels_by_key, product_stock
from services.routing.network import Queues


class StockLookupRpcs:
    auth: TokenAuthority
    reads: Reads
    queues: Queues

    async def LookupStock(
        self, request: store_ops_pb2.LookupStockRequest, context: Context
    ) -> store_ops_pb2.LookupStockResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        paging.page_size(request.page_size)
        paging.decode_token(request.page_token)
        lookup = check_stock_lookup(request.sku, request.query, request.quantity)
        ensure_sells_over_the_counter(principal.store_id)
        store = await self.reads.location(principal.store_id)  # NOT_FOUND: an unknown store
        products, next_token = await self._products(lookup, request)
        answer = store_ops_pb2.LookupStockResponse(next_page_token=next_token)
        if products:
            answer.products.extend(await self._stock(store, products, lookup.quantity))
        return answer

    async def _products(
        self, lookup: StockLookup, request: store_ops_pb2.LookupStockRequest
    ) -> tuple[list[inventory_pb2.Product], str]:
        """The page of products: the sku's (NOT_FOUND when unknown), or the search's."""
        if lookup.sku:
            return await self.reads.products([lookup.sku]), ""
        search = inventory_pb2.ListProductsRequest(
            query=lookup.query,
            page_size=lookup_page_size(request.page_size),
            page_token=request.page_token,
        )
        found = await ask(self.reads.inventory.ListProducts, search)
        return list(found.products), found.next_page_token

    async def _stock(
        self, store: stores_pb2.Location, products: list[inventory_pb2.Product], quantity: int
    ) -> list[stock_pb2.ProductStock]:
        """The stock of every location that ships, read once; then the router's promises."""
        others = [
            location
            for location in await self.reads.directory.shipping_locations()
            if location.location_id != store.location_id
        ]
        skus = [product.sku for product in products]
        location_ids = [store.location_id, *(location.location_id for location in others)]
        levels = levels_by_key(await self.reads.stock(location_ids, skus))
        sources = [
            (sku, location.location_id)
            for sku in skus
            for location in others
            if (level := levels.get((location.location_id, sku))) is not None
            and level.available_to_promise >= quantity
        ]
        promised = await store_promises(
            self.reads, self.queues, store.location_id, skus, sources, quantity, utcnow()
        )
        return [
            product_stock(
                product,
                levels.get((store.location_id, product.sku)),
                promised.plans[product.sku],
                elsewhere_of(product.sku, others, levels, promised.source_ready),
            )
            for product in products
        ]
