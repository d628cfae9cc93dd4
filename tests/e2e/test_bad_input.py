"""Bad input through the public gateway: right status, reason and field; nothing changes."""

from __future__ import annotations

from datetime import timedelta

import grpc
import pytest

from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, store_ops_pb2
from services.gateway.domain import Role
from tests.support.gateway import Caller, bearer, refused, token

OK = grpc.StatusCode


@pytest.mark.parametrize(
    ("lines", "store", "code", "reason", "field"),
    [
        ([], "STORE-001", OK.INVALID_ARGUMENT, "INVALID_REQUEST", "lines"),
        (
            [("TSHIRT-WHT-M", 0)],
            "STORE-001",
            OK.INVALID_ARGUMENT,
            "INVALID_REQUEST",
            "lines[0].quantity",
        ),
        (
            [("TSHIRT-WHT-M", -3)],
            "STORE-001",
            OK.INVALID_ARGUMENT,
            "INVALID_REQUEST",
            "lines[0].quantity",
        ),
        (
            [("no such sku!", 1)],
            "STORE-001",
            OK.INVALID_ARGUMENT,
            "INVALID_REQUEST",
            "lines[0].sku",
        ),
        (
            [("TSHIRT-WHT-M", 1)],
            "STORE-1",
            OK.INVALID_ARGUMENT,
            "INVALID_REQUEST",
            "pickup_store_id",
        ),
        ([("TSHIRT-WHT-M", 1)], "STORE-999", OK.NOT_FOUND, "LOCATION_NOT_FOUND", ""),
        ([("NOPE-404", 1)], "STORE-001", OK.NOT_FOUND, "SKU_NOT_FOUND", ""),
        ([("TSHIRT-WHT-M", 1)], "DC-01", OK.FAILED_PRECONDITION, "PICKUP_NOT_OFFERED", ""),
    ],
)
async def test_bad_orders_are_refused_with_a_reason(
    customer: Caller,
    lines: list[tuple[str, int]],
    store: str,
    code: grpc.StatusCode,
    reason: str,
    field: str,
) -> None:
    error = await refused(customer.place(*lines, store=store))
    assert (error.code, error.reason) == (code, reason)
    if field:
        assert field in [v.field for v in error.violations]
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(), metadata=customer.metadata
    )
    assert all(o.state != order_views_pb2.ORDER_STATE_PENDING for o in history.orders)


async def test_declined_card_is_a_clear_rejection(customer: Caller) -> None:
    error = await refused(customer.place(("MUG-CERAMIC", 1), payment_method="pm_card_declined"))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "PAYMENT_DECLINED")


async def test_more_than_the_shelf_holds_is_out_of_stock(customer: Caller) -> None:
    error = await refused(customer.place(("HEADPHONES-X1", 50)))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "OUT_OF_STOCK")
    assert error.metadata["sku"] == "HEADPHONES-X1"
    assert error.metadata["requested"] == "50"
    assert 0 <= int(error.metadata["available"]) < 50
    assert "50 x HEADPHONES-X1 asked" in error.message
    assert error.metadata["sku"] == "HEADPHONES-X1"


async def test_missing_and_expired_tokens_are_unauthenticated(
    anonymous: Caller, gateway_channel: grpc.aio.Channel
) -> None:
    error = await refused(anonymous.place(("MUG-CERAMIC", 1)))
    assert (error.code, error.reason) == (OK.UNAUTHENTICATED, "TOKEN_MISSING")
    expired = Caller(
        gateway_channel, bearer(token(Role.CUSTOMER, "cust-1001", ttl=timedelta(seconds=-5)))
    )
    error = await refused(expired.place(("MUG-CERAMIC", 1)))
    assert (error.code, error.reason) == (OK.UNAUTHENTICATED, "TOKEN_EXPIRED")
    forged = Caller(gateway_channel, bearer("not.a.token"))
    error = await refused(forged.place(("MUG-CERAMIC", 1)))
    assert (error.code, error.reason, error.message) == (
        OK.UNAUTHENTICATED,
        "TOKEN_INVALID",
        "the token is not valid: malformed",  # our words, not the token library's
    )


async def test_a_terminal_cannot_place_orders(terminal: Caller) -> None:
    error = await refused(terminal.place(("MUG-CERAMIC", 1)))
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ROLE_NOT_ALLOWED")


async def test_customers_see_only_their_own_orders(
    customer: Caller, other_customer: Caller
) -> None:
    """Another customer's order is answered as one that does not exist, word for word."""
    order = await customer.place(("SOCKS-5PK", 1))
    unknown = "ORD-0000000000"
    nothing = await refused(
        other_customer.checkout.GetOrder(
            checkout_pb2.GetOrderRequest(order_id=unknown), metadata=other_customer.metadata
        )
    )
    request = checkout_pb2.GetOrderRequest(order_id=order.order_id)
    error = await refused(
        other_customer.checkout.GetOrder(request, metadata=other_customer.metadata)
    )
    assert (error.code, error.reason) == (OK.NOT_FOUND, "ORDER_NOT_FOUND")
    assert error.message.replace(order.order_id, unknown) == nothing.message
    assert error.metadata == {"order_id": order.order_id}
    cancel = checkout_pb2.CancelOrderRequest(request_id="cancel-other-1", order_id=order.order_id)
    error = await refused(
        other_customer.checkout.CancelOrder(cancel, metadata=other_customer.metadata)
    )
    assert (error.code, error.reason) == (OK.NOT_FOUND, "ORDER_NOT_FOUND")
    mine = await customer.checkout.GetOrder(request, metadata=customer.metadata)
    assert mine.order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK


async def test_terminal_acts_only_on_its_own_store(
    customer: Caller, other_terminal: Caller, terminal: Caller
) -> None:
    order = await customer.place(("SOCKS-5PK", 1))
    pick = store_ops_pb2.MarkPickedRequest(request_id="pick-other-store", order_id=order.order_id)
    error = await refused(
        other_terminal.store_ops.MarkPicked(pick, metadata=other_terminal.metadata)
    )
    assert (error.code, error.reason) == (OK.PERMISSION_DENIED, "ORDER_OF_ANOTHER_STORE")
    handover = store_ops_pb2.ConfirmPickupRequest(
        request_id="early-handover",
        order_id=order.order_id,
        pickup_code="123456",
        collector_name="Ada",
    )
    error = await refused(terminal.store_ops.ConfirmPickup(handover, metadata=terminal.metadata))
    assert (error.code, error.reason) == (OK.FAILED_PRECONDITION, "ORDER_NOT_READY")
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    assert mine.order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK


async def test_malformed_and_unknown_order_ids(customer: Caller) -> None:
    error = await refused(
        customer.checkout.GetOrder(
            checkout_pb2.GetOrderRequest(order_id="12; DROP"), metadata=customer.metadata
        )
    )
    assert (error.code, error.violations[0].field) == (OK.INVALID_ARGUMENT, "order_id")
    error = await refused(
        customer.checkout.GetOrder(
            checkout_pb2.GetOrderRequest(order_id="ORD-0000000000"), metadata=customer.metadata
        )
    )
    assert (error.code, error.reason) == (OK.NOT_FOUND, "ORDER_NOT_FOUND")


async def test_repeated_place_order_never_makes_a_second_order_or_reservation(
    customer: Caller,
) -> None:
    first = await customer.place(("KETTLE-1L", 1), request_id="repeat-me-0001")
    repeats = [
        await customer.place(("KETTLE-1L", 1), request_id="repeat-me-0001") for _ in range(3)
    ]
    assert {r.order_id for r in repeats} == {first.order_id}
    history = await customer.checkout.ListOrders(
        checkout_pb2.ListOrdersRequest(page_size=200), metadata=customer.metadata
    )
    assert [o.order_id for o in history.orders].count(first.order_id) == 1


async def test_a_short_pick_listing_the_same_units_twice_counts_them_twice(
    customer: Caller, terminal: Caller
) -> None:
    order = await customer.place(("SOCKS-5PK", 2))
    twice = store_ops_pb2.MissingItem(
        sku="SOCKS-5PK", quantity=2, reason=store_ops_pb2.SHORT_PICK_REASON_DAMAGED
    )
    pick = store_ops_pb2.MarkPickedRequest(
        request_id="pick-twice-0001", order_id=order.order_id, missing=[twice, twice]
    )
    error = await refused(terminal.store_ops.MarkPicked(pick, metadata=terminal.metadata))
    assert (error.code, error.reason) == (OK.INVALID_ARGUMENT, "INVALID_SHORT_PICK")
    mine = await customer.checkout.GetOrder(
        checkout_pb2.GetOrderRequest(order_id=order.order_id), metadata=customer.metadata
    )
    assert mine.order.state == order_views_pb2.ORDER_STATE_AWAITING_PICK
    assert list(mine.order.shipments) == []
