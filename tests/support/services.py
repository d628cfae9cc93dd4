"""The four internal services in-process, on free loopback ports, over real gRPC and real
databases, seeded with the demo retailer (deploy/local/demo_data.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from clickcollect.inventory.v1 import inventory_pb2, inventory_pb2_grpc
from clickcollect.notifications.v1 import notifications_pb2, notifications_pb2_grpc
from clickcollect.orders.v1 import orders_pb2, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from deploy.local.seed import seed
from services.common.clients import channel
from services.common.server import GrpcService
from services.inventory.config import InventorySettings
from services.inventory.server import create_server as create_inventory
from services.notifications.config import NotificationsSettings
from services.notifications.server import create_server as create_notifications
from services.orders.config import OrdersSettings
from services.orders.payments.provider import PaymentProvider
from services.orders.server import create_server as create_orders
from services.stores.config import StoresSettings
from services.stores.server import create_server as create_stores


@dataclass
class Services:
    targets: dict[str, str]
    stores: stores_pb2_grpc.StoreServiceAsyncStub
    inventory: inventory_pb2_grpc.InventoryServiceAsyncStub
    orders: orders_pb2_grpc.OrderServiceAsyncStub
    notifications: notifications_pb2_grpc.NotificationServiceAsyncStub

    async def order(self, order_id: str) -> orders_pb2.Order:
        return (await self.orders.GetOrder(orders_pb2.GetOrderRequest(order_id=order_id))).order

    async def stock(self, location_id: str, sku: str) -> inventory_pb2.StockLevel:
        request = inventory_pb2.GetStockRequest(location_ids=[location_id], skus=[sku])
        return (await self.inventory.GetStock(request)).levels[0]

    async def drain(self, location_id: str, sku: str) -> None:
        """Takes every unreserved unit off the shelf (a stock count found them gone)."""
        level = await self.stock(location_id, sku)
        await self.inventory.AdjustStock(
            inventory_pb2.AdjustStockRequest(
                request_id=f"drain-{location_id}-{sku}-{level.on_hand}",
                location_id=location_id,
                sku=sku,
                on_hand_delta=-(level.on_hand - level.reserved),
                kind=inventory_pb2.MOVEMENT_KIND_ADJUSTMENT,
                reason="stock count",
            )
        )

    async def templates_sent(self, order_id: str) -> list[str]:
        request = notifications_pb2.ListNotificationsRequest(order_id=order_id, page_size=200)
        sent = (await self.notifications.ListNotifications(request)).notifications
        return [notifications_pb2.Template.Name(n.template).removeprefix("TEMPLATE_") for n in sent]

    async def template_sent(self, order_id: str, template: str, seconds: float = 10) -> bool:
        """Whether `template` was sent for the order, waiting a little: mail goes out after the
        command that caused it has been answered."""
        for _ in range(int(seconds / 0.05)):
            if template in await self.templates_sent(order_id):
                return True
            await asyncio.sleep(0.05)
        return False


@asynccontextmanager
async def running_services(
    database_url: Callable[[str], str], outbox_dir: Any, provider: PaymentProvider | None = None
) -> AsyncIterator[Services]:
    """Starts stores, inventory, orders and notifications; seeds the demo retailer. ``provider``
    stands in for the payment provider the orders service talks to (the sandbox by default)."""
    common: dict[str, Any] = {"host": "127.0.0.1", "port": 0}
    builds: dict[str, GrpcService] = {
        "stores": await create_stores(
            StoresSettings(**common, database_url=database_url("stores"))
        ),
        "inventory": await create_inventory(
            InventorySettings(**common, database_url=database_url("inventory"))
        ),
        "orders": await create_orders(
            OrdersSettings(**common, database_url=database_url("orders")), provider
        ),
        "notifications": await create_notifications(
            NotificationsSettings(
                **common,
                database_url=database_url("notifications"),
                outbox_path=str(outbox_dir / "outbox.txt"),
                sms_outbox_path=str(outbox_dir / "sms.txt"),
            )
        ),
    }
    async with AsyncExitStack() as stack:
        for service in builds.values():
            await service.start()
            stack.push_async_callback(service.stop, 0)
        targets = {name: f"127.0.0.1:{service.port}" for name, service in builds.items()}
        channels = {name: channel(target) for name, target in targets.items()}
        for open_channel in channels.values():
            stack.push_async_callback(open_channel.close, None)
        await seed(targets["stores"], targets["inventory"])
        yield Services(
            targets,
            stores_pb2_grpc.StoreServiceStub(channels["stores"]),
            inventory_pb2_grpc.InventoryServiceStub(channels["inventory"]),
            orders_pb2_grpc.OrderServiceStub(channels["orders"]),
            notifications_pb2_grpc.NotificationServiceStub(channels["notifications"]),
        )
