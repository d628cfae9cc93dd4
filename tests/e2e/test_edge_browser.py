"""What a browser gets from the edge: gRPC-Web to the public services (a store terminal's queue),
CORS for the configured origins only, and the store app's page at the root."""

from __future__ import annotations

import pytest

from clickcollect.gateway.v1 import store_ops_pb2
from deploy.local.stack import Stack
from services.gateway.domain import Role
from tests.support.edge import GrpcWebAnswer, bearer_header, grpc_web_call, http
from tests.support.gateway import Caller, token

LIST_STORE_ORDERS = "clickcollect.gateway.v1.StoreOpsService/ListStoreOrders"
TO_PICK = store_ops_pb2.ListStoreOrdersRequest(queue=store_ops_pb2.STORE_QUEUE_TO_PICK)
OTHER_ORIGIN = "https://shop.example.net"


@pytest.fixture
def edge(stack: Stack) -> str:
    return stack.config.edge_url


@pytest.fixture
def own_origin(stack: Stack) -> str:
    """The default CC_EDGE_ALLOWED_ORIGINS: the edge's own origin on this machine."""
    return f"http://localhost:{stack.config.ports['edge']}"


async def to_pick_at_store_001(edge: str, headers: dict[str, str]) -> list[str]:
    """Every order id in the queue, page after page, as the store app reads it."""
    found: list[str] = []
    request = store_ops_pb2.ListStoreOrdersRequest()
    request.CopyFrom(TO_PICK)
    request.page_size = 200
    while True:
        answer = await grpc_web_call(edge, LIST_STORE_ORDERS, request, headers)
        assert (answer.http_status, answer.grpc_status) == (200, 0), answer.trailers
        page = store_ops_pb2.ListStoreOrdersResponse.FromString(answer.messages[0])
        found += [order.order_id for order in page.orders]
        if not page.next_page_token:
            return found
        request.page_token = page.next_page_token


async def test_a_store_terminal_reads_its_queue_over_grpc_web(edge: str, customer: Caller) -> None:
    order = await customer.place(("SOCKS-5PK", 1))
    terminal = bearer_header(token(Role.STORE, "terminal-001-a", "STORE-001"))
    assert order.order_id in await to_pick_at_store_001(edge, terminal)


async def test_a_bad_token_is_refused_with_its_grpc_status(edge: str) -> None:
    answer: GrpcWebAnswer = await grpc_web_call(
        edge, LIST_STORE_ORDERS, TO_PICK, bearer_header("not.a.token")
    )
    assert answer.http_status == 200
    assert answer.grpc_status == 16  # UNAUTHENTICATED
    assert answer.messages == []
    # No message: a trailers-only answer, its trailers in the HTTP headers (as gRPC-Web has it),
    # with the ErrorInfo a browser script may read (CORS exposes it).
    assert answer.headers["grpc-status"] == "16"
    assert answer.headers["grpc-status-details-bin"]


async def test_an_allowed_origin_gets_the_cors_headers(edge: str, own_origin: str) -> None:
    preflight = await http(
        "OPTIONS",
        f"{edge}/{LIST_STORE_ORDERS}",
        headers={
            "origin": own_origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type,x-grpc-web",
        },
    )
    assert preflight.status == 200
    assert preflight.headers["access-control-allow-origin"] == own_origin
    assert "x-grpc-web" in preflight.headers["access-control-allow-headers"]
    terminal = bearer_header(token(Role.STORE, "terminal-001-a", "STORE-001"))
    call = await grpc_web_call(edge, LIST_STORE_ORDERS, TO_PICK, {"origin": own_origin, **terminal})
    assert call.grpc_status == 0
    assert call.headers["access-control-allow-origin"] == own_origin
    assert "grpc-status-details-bin" in call.headers["access-control-expose-headers"]


async def test_another_origin_gets_no_cors_headers(edge: str) -> None:
    preflight = await http(
        "OPTIONS",
        f"{edge}/{LIST_STORE_ORDERS}",
        headers={"origin": OTHER_ORIGIN, "access-control-request-method": "POST"},
    )
    assert not [name for name in preflight.headers if name.startswith("access-control-")]
    terminal = bearer_header(token(Role.STORE, "terminal-001-a", "STORE-001"))
    call = await grpc_web_call(
        edge, LIST_STORE_ORDERS, TO_PICK, {"origin": OTHER_ORIGIN, **terminal}
    )
    assert "access-control-allow-origin" not in call.headers


async def test_the_root_answers_the_store_app_page(edge: str) -> None:
    page = await http("GET", f"{edge}/")
    assert page.status == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text.lower()
