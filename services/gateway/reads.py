"""Reads go to the services: thin wrappers that re-raise a service's refusal as the same domain
error, so the gateway answers with the service's code and reason."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import grpc

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.orders.v1 import customers_pb2_grpc, orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2, stores_pb2_grpc
from services.common import paging
from services.common.clients import DEFAULT_TIMEOUT_SECONDS
from services.common.errors import NotFound
from services.common.grpc_errors import domain_error_from_rpc
from services.common.kept import Kept
from services.routing.network import StoreDirectory

Response = TypeVar("Response")
# How long a product read from the catalogue is used for pricing before it is read again.
CATALOGUE_TTL_SECONDS = 5.0


async def ask(rpc: Callable[..., Awaitable[Response]], request: Any) -> Response:
    try:
        return await rpc(request, timeout=DEFAULT_TIMEOUT_SECONDS)
    except grpc.aio.AioRpcError as error:
        raise domain_error_from_rpc(error) from None


class Reads:
    def __init__(
        self,
        stores: stores_pb2_grpc.StoreServiceAsyncStub,
        inventory: inventory_pb2_grpc.InventoryServiceAsyncStub,
        orders: orders_pb2_grpc.OrderServiceAsyncStub,
        customers: customers_pb2_grpc.CustomerServiceAsyncStub | None = None,
    ) -> None:
        self.stores = stores
        self.inventory = inventory
        self.orders = orders
        self._customers = customers
        self.directory = StoreDirectory(ask, stores)  # locations and lanes, kept a few seconds
        self._products: Kept[str, inventory_pb2.Product] = Kept(CATALOGUE_TTL_SECONDS)

    @property
    def customers(self) -> customers_pb2_grpc.CustomerServiceAsyncStub:
        """Profiles, served by the orders process (see profiles.py); set by the gateway."""
        if self._customers is None:
            raise RuntimeError("these reads were made without a CustomerService client")
        return self._customers

    async def order(self, order_id: str) -> orders_pb2.Order:
        response = await ask(self.orders.GetOrder, orders_pb2.GetOrderRequest(order_id=order_id))
        return response.order

    async def customer_orders(
        self, customer_id: str, page_size: int, page_token: str
    ) -> orders_pb2.ListOrdersResponse:
        """One customer's history across channels, newest first (page size and token checked
        here, by the orders service's own rules)."""
        paging.page_size(page_size)
        paging.decode_token(page_token)
        request = orders_pb2.ListOrdersRequest(
            customer_id=customer_id, page_size=page_size, page_token=page_token
        )
        return await ask(self.orders.ListOrders, request)

    async def location(self, location_id: str) -> stores_pb2.Location:
        return await self.directory.location(location_id)

    async def products(self, skus: list[str]) -> list[inventory_pb2.Product]:
        """The catalogue's products (kept a few seconds); NOT_FOUND for an unknown sku."""
        found = {sku: self._products.cached(sku) for sku in skus if self._products.fresh(sku)}
        missing = sorted(set(skus) - set(found))
        if missing:
            request = inventory_pb2.BatchGetProductsRequest(skus=missing)
            for product in (await ask(self.inventory.BatchGetProducts, request)).products:
                self._products.put(product.sku, product)
                found[product.sku] = product
        unknown = [sku for sku in skus if sku not in found]
        if unknown:
            message = f"unknown sku(s): {', '.join(unknown)}"
            raise NotFound("SKU_NOT_FOUND", message, {"skus": ",".join(unknown)})
        return [found[sku] for sku in skus]

    async def stock(
        self, location_ids: list[str], skus: list[str]
    ) -> list[inventory_pb2.StockLevel]:
        request = inventory_pb2.GetStockRequest(location_ids=location_ids, skus=skus)
        return list((await ask(self.inventory.GetStock, request)).levels)

    async def pickup_stores_near(
        self, latitude: float, longitude: float, radius_km: float
    ) -> list[stores_pb2.LocationDistance]:
        request = stores_pb2.SearchLocationsRequest(
            latitude=latitude,
            longitude=longitude,
            radius_km=radius_km,
            capability=stores_pb2.CAPABILITY_PICKUP,
            page_size=20,
        )
        return list((await ask(self.stores.SearchLocations, request)).results)


def state_name(order: orders_pb2.Order) -> str:
    """An order's state as the workflows name it (AWAITING_PICK)."""
    return orders_pb2.OrderState.Name(order.state).removeprefix("ORDER_STATE_")
