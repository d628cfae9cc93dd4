"""The public gateway: CheckoutService, StoreOpsService and OpsService over gRPC, authenticated
with JWTs. Commands go to Temporal; reads go to the services."""

from __future__ import annotations

from datetime import timedelta

import structlog

from clickcollect.gateway.v1 import (
    checkout_pb2,
    checkout_pb2_grpc,
    ops_pb2,
    ops_pb2_grpc,
    store_ops_pb2,
    store_ops_pb2_grpc,
)
from clickcollect.inventory.v1 import inventory_pb2_grpc
from clickcollect.orders.v1 import customers_pb2_grpc, orders_pb2_grpc
from clickcollect.stores.v1 import stores_pb2_grpc
from services.common.clients import channel
from services.common.codec import connect
from services.common.server import GrpcService, build_server
from services.gateway.auth import TokenAuthority
from services.gateway.checkout import CheckoutServicer
from services.gateway.commands import OrderCommands
from services.gateway.config import GatewaySettings
from services.gateway.keys import DEV_JWT_SECRET
from services.gateway.ops import OpsServicer
from services.gateway.payment_links import LinkTerms
from services.gateway.reads import Reads
from services.gateway.returns import Returns
from services.gateway.store_ops import StoreOpsServicer

log = structlog.get_logger("gateway")
SERVICE_NAMES = [
    checkout_pb2.DESCRIPTOR.services_by_name["CheckoutService"].full_name,
    store_ops_pb2.DESCRIPTOR.services_by_name["StoreOpsService"].full_name,
    ops_pb2.DESCRIPTOR.services_by_name["OpsService"].full_name,
]


async def create_server(settings: GatewaySettings) -> GrpcService:
    auth = TokenAuthority.of(settings)  # settings outside development have keys of their own
    if DEV_JWT_SECRET in auth.keys.secrets.values():
        log.warning("jwt_dev_secret_in_use", hint="CC_ENV=development only")
    client = await connect(
        settings.temporal_address,
        settings.temporal_namespace,
        settings.codec,
        tls=settings.temporal_tls.config(),
    )
    credentials = settings.tls.channel_credentials()
    channels = [
        channel(t, credentials)
        for t in (settings.stores_target, settings.inventory_target, settings.orders_target)
    ]
    stores, inventory, orders = channels
    reads = Reads(
        stores_pb2_grpc.StoreServiceStub(stores),
        inventory_pb2_grpc.InventoryServiceStub(inventory),
        orders_pb2_grpc.OrderServiceStub(orders),
        customers_pb2_grpc.CustomerServiceStub(orders),
    )
    commands = OrderCommands(
        client, settings.task_queue, timedelta(seconds=settings.command_timeout_seconds)
    )
    returns = Returns(
        commands, reads, settings.place_order_timeout_seconds, settings.rma_valid_days
    )
    checkout = CheckoutServicer(
        auth,
        commands,
        reads,
        settings.place_order_timeout_seconds,
        returns,
        settings.hold_ttl_seconds,
        settings.low_stock_threshold,
    )
    store_ops = StoreOpsServicer(
        auth,
        commands,
        reads,
        returns,
        settings.place_order_timeout_seconds,
        timedelta(days=settings.paired_device_token_days),
        LinkTerms(settings.payment_page_url, settings.payment_link_hours),
    )
    ops = OpsServicer(auth, reads)

    async def close_channels() -> None:
        for open_channel in channels:
            await open_channel.close(None)

    return build_server(
        settings,
        [
            lambda server: checkout_pb2_grpc.add_CheckoutServiceServicer_to_server(
                checkout, server
            ),
            lambda server: store_ops_pb2_grpc.add_StoreOpsServiceServicer_to_server(
                store_ops, server
            ),
            lambda server: ops_pb2_grpc.add_OpsServiceServicer_to_server(ops, server),
        ],
        SERVICE_NAMES,
        on_stop=close_channels,
        public=True,
    )
