"""InventoryService's product and stock RPCs: products, stock levels, adjustments and the
movements of a (location, sku); one transaction each."""

from __future__ import annotations

from clickcollect.inventory.v1 import inventory_pb2 as pb
from clickcollect.inventory.v1 import inventory_pb2_grpc
from services.common.db import Database
from services.common.paging import decode_token, next_token, page_size
from services.common.server import Context
from services.common.timeconv import Clock
from services.inventory.stock import adjustments, convert, repository
from services.inventory.stock.postings import first_writer_wins
from services.inventory.stock.validation import (
    unknown_skus,
    validate_adjust,
    validate_location_sku,
    validate_product,
    validate_product_query,
    validate_skus,
    validate_stock_query,
)


class StockRpcs(inventory_pb2_grpc.InventoryServiceServicer):
    """Products, stock levels, adjustments, movements."""

    db: Database
    clock: Clock

    async def UpsertProduct(
        self, request: pb.UpsertProductRequest, context: Context
    ) -> pb.UpsertProductResponse:
        product = validate_product(convert.product_from_proto(request.product), request.request_id)
        saved = await self.db.run(lambda s: repository.save_product(s, product))
        return pb.UpsertProductResponse(product=convert.product_to_proto(saved))

    async def BatchGetProducts(
        self, request: pb.BatchGetProductsRequest, context: Context
    ) -> pb.BatchGetProductsResponse:
        skus = list(request.skus)
        validate_skus(skus)
        found = await self.db.read(lambda s: repository.products_by_sku(s, skus))
        unknown_skus(skus, set(found))
        return pb.BatchGetProductsResponse(
            products=[convert.product_to_proto(found[sku]) for sku in skus]
        )

    async def ListProducts(
        self, request: pb.ListProductsRequest, context: Context
    ) -> pb.ListProductsResponse:
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        query = validate_product_query(request.query)
        found = await self.db.read(lambda s: repository.list_products(s, offset, size + 1, query))
        return pb.ListProductsResponse(
            products=[convert.product_to_proto(p) for p in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )

    async def GetStock(self, request: pb.GetStockRequest, context: Context) -> pb.GetStockResponse:
        location_ids, skus = list(request.location_ids), list(request.skus)
        validate_stock_query(location_ids, skus)
        levels = await self.db.read(lambda s: repository.stock_levels(s, location_ids, skus))
        return pb.GetStockResponse(levels=[convert.level_to_proto(x) for x in levels])

    async def AdjustStock(
        self, request: pb.AdjustStockRequest, context: Context
    ) -> pb.AdjustStockResponse:
        command, now = validate_adjust(convert.adjust_from_proto(request)), self.clock()
        level = await first_writer_wins(self.db, lambda s: adjustments.adjust(s, command, now))
        return pb.AdjustStockResponse(level=convert.level_to_proto(level))

    async def ListMovements(
        self, request: pb.ListMovementsRequest, context: Context
    ) -> pb.ListMovementsResponse:
        location_id, sku = request.location_id, request.sku
        validate_location_sku(location_id, sku)
        size, offset = page_size(request.page_size), decode_token(request.page_token)
        found = await self.db.read(
            lambda s: repository.list_movements(s, location_id, sku, offset, size + 1)
        )
        return pb.ListMovementsResponse(
            movements=[convert.movement_to_proto(m) for m in found[:size]],
            next_page_token=next_token(offset, size, len(found)),
        )
