"""What every internal service does with bytes that are not a request, page tokens it never
handed out, and health checks; over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import symbol_database
from google.protobuf.descriptor import MethodDescriptor, ServiceDescriptor
from grpc_health.v1 import health_pb2, health_pb2_grpc
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.notifications.v1 import notifications_pb2
from clickcollect.orders.v1 import customers_pb2, orders_pb2
from clickcollect.stores.v1 import stores_pb2
from services.common.grpc_errors import details_of
from tests.support.services import Services, running_services

SERVICES: list[ServiceDescriptor] = [
    stores_pb2.DESCRIPTOR.services_by_name["StoreService"],
    inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"],
    orders_pb2.DESCRIPTOR.services_by_name["OrderService"],
    notifications_pb2.DESCRIPTOR.services_by_name["NotificationService"],
    customers_pb2.DESCRIPTOR.services_by_name["CustomerService"],
]
TARGET = {"StoreService": "stores", "InventoryService": "inventory"}
TARGET |= {"OrderService": "orders", "NotificationService": "notifications"}
TARGET |= {"CustomerService": "orders"}
# The other fields a list needs before it looks at its page token.
LIST_FILTERS: dict[str, dict[str, Any]] = {
    "ListMovements": {"location_id": "STORE-001", "sku": "TSHIRT-WHT-M"},
    "ListOrders": {"customer_id": "cust-1001"},
    "ListStoreOrders": {"store_id": "STORE-001"},
    "SearchLocations": {"latitude": 52.37, "longitude": 4.89},
    "ListNotifications": {"order_id": "ORD-0000000000"},
}
HUGE_OFFSET = base64.urlsafe_b64encode(b'{"o": 9223372036854775808}').decode()


@pytest.fixture
async def services(
    database_url_factory: Callable[[str], str], tmp_path: Path
) -> AsyncIterator[Services]:
    async with running_services(database_url_factory, tmp_path) as running:
        yield running


def _methods() -> list[tuple[ServiceDescriptor, MethodDescriptor]]:
    return [(service, method) for service in SERVICES for method in service.methods]


def _raw(channel: grpc.aio.Channel, service: ServiceDescriptor, method: MethodDescriptor) -> Any:
    return channel.unary_unary(f"/{service.full_name}/{method.name}", None, None)


async def test_bytes_that_are_no_request_are_invalid_argument_on_every_method(
    services: Services,
) -> None:
    for service, method in _methods():
        target = services.targets[TARGET[service.name]]
        async with grpc.aio.insecure_channel(target) as channel:
            for payload in (b"\xff", b"\x00", b"\x0a\x7f" + b"truncated"):
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    await _raw(channel, service, method)(payload, timeout=10)
                error = details_of(raised.value)
                assert (error.code, error.message) == (
                    grpc.StatusCode.INVALID_ARGUMENT,
                    "the request could not be decoded",
                ), method.full_name
                assert error.reason == "REQUEST_UNDECODABLE"


async def test_a_page_token_no_list_handed_out_is_invalid_argument_on_every_list(
    services: Services,
) -> None:
    lists = [(s, m) for s, m in _methods() if "page_token" in m.input_type.fields_by_name]
    assert len(lists) == 8
    for service, method in lists:
        request_type = symbol_database.Default().GetSymbol(method.input_type.full_name)
        request = request_type(page_token=HUGE_OFFSET, **LIST_FILTERS.get(method.name, {}))
        async with grpc.aio.insecure_channel(services.targets[TARGET[service.name]]) as channel:
            call = channel.unary_unary(
                f"/{service.full_name}/{method.name}",
                request_serializer=lambda message: message.SerializeToString(),
                response_deserializer=None,
            )
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await call(request, timeout=10)
        error = details_of(raised.value)
        assert (error.code, error.reason) == (
            grpc.StatusCode.INVALID_ARGUMENT,
            "INVALID_PAGE_TOKEN",
        ), method.full_name
        assert [v.field for v in error.violations] == ["page_token"]


async def test_health_checks_write_no_log_line_and_each_business_call_writes_one(
    services: Services,
) -> None:
    async with grpc.aio.insecure_channel(services.targets["stores"]) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        with capture_logs([merge_contextvars]) as logs:
            for _ in range(5):
                await health.Check(health_pb2.HealthCheckRequest())
            await services.stores.GetLocation(stores_pb2.GetLocationRequest(location_id="DC-01"))
    finished = [entry for entry in logs if entry["event"] == "rpc_finished"]
    assert [entry["method"] for entry in finished] == [
        "/clickcollect.stores.v1.StoreService/GetLocation"
    ]
