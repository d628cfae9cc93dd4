"""A web shop checks out over JSON through the edge (Envoy's transcoder in front of the real
gateway): the answers use the public API's field names, bad JSON is refused at the edge naming
what is wrong, and every refusal, the edge's or the gateway's, is an HTTP status with a
google.rpc.Status body (its ErrorInfo reason, a BadRequest naming fields)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from deploy.local.stack import Stack
from services.common.ids import order_id_for
from services.gateway.domain import Role
from tests.support.edge import HttpAnswer, bearer_header, http
from tests.support.gateway import token

CUSTOMER = "cust-1001"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"


@pytest.fixture
def edge(stack: Stack) -> str:
    return stack.config.edge_url


@pytest.fixture
def customer_headers() -> dict[str, str]:
    return bearer_header(token(Role.CUSTOMER, CUSTOMER))


def an_order(request_id: str, *lines: tuple[str, int], **fields: Any) -> dict[str, Any]:
    return {
        "request_id": request_id,
        "pickup_store_id": "STORE-001",
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "channel": "CHANNEL_WEB",
        "customer_email": "ada@example.com",
        "payment_method": "pm_card_visa",
        **fields,
    }


def a_request_id() -> str:
    return f"edge-{uuid.uuid4().hex}"


def details(answer: HttpAnswer, kind: str) -> list[dict[str, Any]]:
    assert answer.headers["content-type"] == "application/json"
    return [d for d in answer.json()["details"] if d["@type"] == kind]


def reason_of(answer: HttpAnswer) -> tuple[int, str]:
    """The google.rpc.Status code and the ErrorInfo reason of a refusal."""
    [info] = details(answer, ERROR_INFO)
    return answer.json()["code"], info["reason"]


async def assert_no_order(edge: str, headers: dict[str, str], request_id: str) -> None:
    order_id = order_id_for(CUSTOMER, request_id)
    answer = await http("GET", f"{edge}/v1/orders/{order_id}", headers=headers)
    assert answer.status == 404, answer.text


async def test_a_web_shop_checks_out_over_json(edge: str, customer_headers: dict[str, str]) -> None:
    basket = {"store_id": "STORE-001", "lines": [{"sku": "MUG-CERAMIC", "quantity": 1}]}
    options = await http("POST", f"{edge}/v1/pickup-options:search", basket, customer_headers)
    assert options.status == 200, options.text
    assert options.headers["content-type"] == "application/json"
    option = options.json()["options"][0]
    assert option["store_id"] == "STORE-001"
    assert option["availability"] == "PICKUP_AVAILABILITY_PICKUP_IN_STORE"
    assert option["hold_id"] == ""  # every field is in the answer, by its proto name

    request_id = a_request_id()
    placed = await http(
        "POST",
        f"{edge}/v1/orders:place",
        an_order(request_id, ("MUG-CERAMIC", 1)),
        customer_headers,
    )
    assert placed.status == 200, placed.text
    order = placed.json()["order"]
    assert order["order_id"] == order_id_for(CUSTOMER, request_id)
    assert order["state"] == "ORDER_STATE_AWAITING_PICK"
    assert order["lines"][0]["sku"] == "MUG-CERAMIC"

    read = await http("GET", f"{edge}/v1/orders/{order['order_id']}", headers=customer_headers)
    assert read.status == 200, read.text
    assert read.json()["order"]["state"] == "ORDER_STATE_AWAITING_PICK"
    again = await http(
        "POST",
        f"{edge}/v1/orders:place",
        an_order(request_id, ("MUG-CERAMIC", 1)),
        customer_headers,
    )
    assert again.json()["order"]["order_id"] == order["order_id"]


async def test_unknown_json_fields_are_refused_naming_each(
    edge: str, customer_headers: dict[str, str]
) -> None:
    request_id = a_request_id()
    body = an_order(request_id, ("MUG-CERAMIC", 1), giftWrap=True)
    body["lines"][0]["colour"] = "red"
    answer = await http("POST", f"{edge}/v1/orders:place", body, customer_headers)
    assert answer.status == 400
    assert reason_of(answer) == (3, "INVALID_REQUEST")
    [bad_request] = details(answer, BAD_REQUEST)
    assert [v["field"] for v in bad_request["field_violations"]] == ["lines[0].colour", "giftWrap"]
    await assert_no_order(edge, customer_headers, request_id)


async def test_a_field_of_the_wrong_type_is_refused_naming_it(
    edge: str, customer_headers: dict[str, str]
) -> None:
    request_id = a_request_id()
    body = an_order(request_id)
    body["lines"] = [{"sku": "MUG-CERAMIC", "quantity": "a few"}]
    answer = await http("POST", f"{edge}/v1/orders:place", body, customer_headers)
    assert answer.status == 400
    assert reason_of(answer) == (3, "INVALID_REQUEST")
    assert "lines[0].quantity" in answer.json()["message"]
    await assert_no_order(edge, customer_headers, request_id)


async def test_a_body_over_the_size_limit_is_refused(
    edge: str, customer_headers: dict[str, str]
) -> None:
    request_id = a_request_id()
    body = an_order(request_id, ("MUG-CERAMIC", 1), customer_email="a" * (1024 * 1024) + "@x.nl")
    answer = await http("POST", f"{edge}/v1/orders:place", body, customer_headers)
    assert answer.status == 413
    assert reason_of(answer) == (3, "REQUEST_TOO_LARGE")
    await assert_no_order(edge, customer_headers, request_id)


async def test_unknown_paths_and_query_parameters_are_refused(
    edge: str, customer_headers: dict[str, str]
) -> None:
    order_id = order_id_for(CUSTOMER, a_request_id())
    unknown_parameter = await http(
        "GET", f"{edge}/v1/orders/{order_id}?colour=red", headers=customer_headers
    )
    assert unknown_parameter.status == 400
    assert reason_of(unknown_parameter) == (3, "INVALID_REQUEST")
    assert '"colour"' in unknown_parameter.json()["message"]
    unknown_method = await http("POST", f"{edge}/v1/orders:teleport", {}, customer_headers)
    assert unknown_method.status == 404
    assert reason_of(unknown_method) == (5, "METHOD_NOT_FOUND")


async def test_a_refusal_arrives_as_an_http_status_with_its_reason(
    edge: str, customer_headers: dict[str, str]
) -> None:
    body = an_order(a_request_id(), ("HEADPHONES-X1", 50))
    answer = await http("POST", f"{edge}/v1/orders:place", body, customer_headers)
    assert answer.status == 400  # FAILED_PRECONDITION
    assert answer.json()["code"] == 9
    [info] = details(answer, ERROR_INFO)
    assert info["reason"] == "OUT_OF_STOCK"
    assert info["metadata"]["sku"] == "HEADPHONES-X1"


async def test_bad_input_the_gateway_finds_names_its_field(
    edge: str, customer_headers: dict[str, str]
) -> None:
    request_id = a_request_id()
    answer = await http(
        "POST",
        f"{edge}/v1/orders:place",
        an_order(request_id, ("MUG-CERAMIC", 0)),
        customer_headers,
    )
    assert answer.status == 400
    assert answer.json()["code"] == 3  # INVALID_ARGUMENT
    [bad_request] = details(answer, BAD_REQUEST)
    assert "lines[0].quantity" in [v["field"] for v in bad_request["field_violations"]]
    await assert_no_order(edge, customer_headers, request_id)


async def test_a_request_without_a_token_is_unauthenticated(edge: str) -> None:
    answer = await http(
        "POST", f"{edge}/v1/orders:place", an_order(a_request_id(), ("MUG-CERAMIC", 1))
    )
    assert answer.status == 401
    [info] = details(answer, ERROR_INFO)
    assert info["reason"] == "TOKEN_MISSING"


async def test_hostile_json_is_refused_and_the_edge_still_answers(
    edge: str, customer_headers: dict[str, str]
) -> None:
    nested = b'{"lines":' + b"[" * 5000 + b"]" * 5000 + b"}"
    deep = await http("POST", f"{edge}/v1/orders:place", nested, customer_headers)
    assert deep.status == 400
    assert reason_of(deep) == (3, "INVALID_REQUEST")
    escaped = b'{"request_id":"edge-escaped-name","gift\\u005fwrap":true,"\\u00e9\\"":1}'
    named = await http("POST", f"{edge}/v1/orders:place", escaped, customer_headers)
    assert named.status == 400
    [bad_request] = details(named, BAD_REQUEST)
    assert [v["field"] for v in bad_request["field_violations"]] == ["gift_wrap", '\\u00e9"']
    options = await http(
        "POST",
        f"{edge}/v1/pickup-options:search",
        {"store_id": "STORE-001", "lines": [{"sku": "MUG-CERAMIC", "quantity": 1}]},
        customer_headers,
    )
    assert options.status == 200
