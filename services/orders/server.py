"""OrderService over gRPC: one servicer made of each package's RPCs, and the server that runs
it. Orders in ``orders``, OpenOrder in ``opening``, money in ``payments``, routes, cancellations
and shipments in ``fulfillment``, returns in ``returns``; the whole order as read in ``views``.
CustomerService (profiles, ``customers``) is served beside it, on the same database."""

from __future__ import annotations

from datetime import timedelta

from clickcollect.orders.v1 import customers_pb2, customers_pb2_grpc, orders_pb2_grpc
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.db import Database
from services.common.migrations import upgrade
from services.common.server import GrpcService, build_server
from services.orders import views
from services.orders.config import OrdersSettings
from services.orders.customers.rpcs import CustomerRpcs
from services.orders.fulfillment.rpcs import FulfillmentRpcs
from services.orders.migrations import SCHEMA
from services.orders.opening.rpcs import OpeningRpcs
from services.orders.orders.rpcs import OrderRpcs
from services.orders.payments.handlers import AUTHORIZATION_LIFETIME
from services.orders.payments.provider import PaymentProvider, provider_for
from services.orders.payments.rpcs import PaymentRpcs
from services.orders.queues.rpcs import QueueRpcs
from services.orders.returns.policy import ReturnWindows
from services.orders.returns.rpcs import ReturnRpcs

# Every table of the service, in the modules that declare them.
TABLE_MODULES = SCHEMA.table_modules


class OrderServicer(OrderRpcs, OpeningRpcs, PaymentRpcs, FulfillmentRpcs, ReturnRpcs, QueueRpcs):
    """The OrderService: every RPC of the packages above, over one database and provider."""

    def __init__(
        self,
        db: Database,
        provider: PaymentProvider,
        authorization_lifetime: timedelta = AUTHORIZATION_LIFETIME,
        return_windows: ReturnWindows | None = None,
    ) -> None:
        self.db = db
        self.provider = provider
        self.authorization_lifetime = authorization_lifetime
        self.return_windows = return_windows or ReturnWindows()
        self.views = views


async def create_server(
    settings: OrdersSettings, provider: PaymentProvider | None = None
) -> GrpcService:
    """The service; ``provider`` replaces the one the settings name (tests inject their own)."""
    provider = provider or provider_for(settings.payment_provider)
    db = Database(settings.database_url)
    upgrade(db, SCHEMA)
    windows = ReturnWindows(
        settings.return_window_days_web,
        settings.return_window_days_app,
        settings.return_window_days_store,
    )
    servicer = OrderServicer(db, provider, settings.authorization_lifetime, windows)
    customers = CustomerRpcs(db)

    async def on_stop() -> None:
        db.dispose()

    return build_server(
        settings,
        [
            lambda server: orders_pb2_grpc.add_OrderServiceServicer_to_server(servicer, server),
            lambda server: customers_pb2_grpc.add_CustomerServiceServicer_to_server(
                customers, server
            ),
        ],
        [
            pb.DESCRIPTOR.services_by_name["OrderService"].full_name,
            customers_pb2.DESCRIPTOR.services_by_name["CustomerService"].full_name,
        ],
        on_stop,
    )
