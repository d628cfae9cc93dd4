"""Return requests and lifecycle: what a request must contain, and which state allows what."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from services.common.errors import FailedPrecondition, InvalidArgument, Violations
from services.orders.returns.domain import (
    ItemCondition,
    NewReturn,
    ReturnItem,
    ReturnMethod,
    ReturnState,
    check_expirable,
    check_receipt,
    check_receivable,
    check_refundable,
    comparable,
    summary,
    validate_new_return,
)

R = ReturnState
GOOD = ItemCondition.RESELLABLE


def a_return(**fields: Any) -> NewReturn:
    """2 x SKU-1 brought back to STORE-002."""
    new = NewReturn(
        return_id="RET-0123456789",
        order_id="ORD-0123456789",
        method=ReturnMethod.IN_STORE,
        receiving_location_id="STORE-002",
        items=(ReturnItem("SKU-1", 2, GOOD),),
    )
    return replace(new, **fields)


def violations_of(new: NewReturn) -> set[str]:
    """The fields a new return is refused for; empty when it is accepted."""
    try:
        validate_new_return(new, Violations())
    except InvalidArgument as refused:
        assert refused.violations, "a refusal names at least one field"
        return {v.field for v in refused.violations}
    return set()


def test_an_in_store_return_and_a_mail_return_with_its_rma_expiry_are_accepted() -> None:
    mail = a_return(
        method=ReturnMethod.MAIL,
        receiving_location_id="",
        items=(ReturnItem("SKU-1", 2),),
        expire_time=datetime(2030, 1, 15, tzinfo=UTC),
    )

    assert violations_of(a_return()) == set()
    assert violations_of(mail) == set()


def test_in_store_return_names_its_store_and_each_items_condition() -> None:
    new = a_return(receiving_location_id="", items=(ReturnItem("SKU-1", 1),))

    assert violations_of(new) == {"receiving_location_id", "items[0].condition"}


def test_mail_return_needs_an_rma_expiry() -> None:
    new = a_return(method=ReturnMethod.MAIL, items=(ReturnItem("SKU-1", 1),))

    assert violations_of(new) == {"expire_time"}


def test_override_names_who_and_why() -> None:
    assert violations_of(a_return(override_reason="faulty")) == {"overridden_by"}
    assert violations_of(a_return(overridden_by="assoc-7")) == {"override_reason"}
    assert violations_of(a_return(override_reason="x" * 501, overridden_by="a")) == {
        "override_reason"
    }


def test_a_sku_named_twice_keeps_one_condition() -> None:
    items = (ReturnItem("SKU-1", 1, GOOD), ReturnItem("SKU-1", 1, ItemCondition.DAMAGED))

    assert violations_of(a_return(items=items)) == {"items[1].condition"}


def test_a_return_needs_items_and_a_method() -> None:
    assert violations_of(a_return(items=(), method=None)) == {"items", "method"}


def mismatches(expected: dict[str, int], items: list[ReturnItem]) -> list[str]:
    """The fields a receipt is refused for (RETURN_ITEMS_MISMATCH); [] when it is accepted."""
    try:
        check_receipt(expected, items)
    except InvalidArgument as refused:
        assert refused.reason == "RETURN_ITEMS_MISMATCH"
        return [v.field for v in refused.violations]
    return []


def test_receipt_must_be_exactly_the_returns_units() -> None:
    expected = {"SKU-1": 2, "SKU-2": 1}
    in_any_order = [
        ReturnItem("SKU-2", 1, GOOD),
        ReturnItem("SKU-1", 1, GOOD),
        ReturnItem("SKU-1", 1),
    ]

    assert mismatches(expected, in_any_order) == []
    assert mismatches(expected, [ReturnItem("SKU-1", 1, GOOD), ReturnItem("SKU-9", 1, GOOD)]) == [
        "items[0].quantity",
        "items[1].sku",
        "items",
    ]


def refusal_of(check: Any, state: R) -> str:
    """The reason ``check`` refuses a return in ``state`` for; "" when it lets the step go on."""
    try:
        check("RET-0123456789", state)
    except FailedPrecondition as refused:
        assert refused.metadata == {"return_id": "RET-0123456789", "state": state.value}
        return refused.reason
    return ""


@pytest.mark.parametrize(
    ("check", "by_state"),
    [
        (
            check_receivable,
            {
                R.AUTHORIZED: "",
                R.RECEIVED: "RETURN_ALREADY_RECEIVED",
                R.REFUNDED: "RETURN_ALREADY_RECEIVED",
                R.EXPIRED: "RETURN_EXPIRED",
            },
        ),
        (
            check_refundable,
            {
                R.AUTHORIZED: "RETURN_NOT_RECEIVED",
                R.RECEIVED: "",
                R.REFUNDED: "",  # a repeated refund is answered, not refused
                R.EXPIRED: "RETURN_EXPIRED",
            },
        ),
        (
            check_expirable,
            {
                R.AUTHORIZED: "",
                R.RECEIVED: "RETURN_ALREADY_RECEIVED",
                R.REFUNDED: "RETURN_ALREADY_RECEIVED",
                R.EXPIRED: "",  # a repeated expiry is answered, not refused
            },
        ),
    ],
    ids=["receive", "refund", "expire"],
)
def test_each_step_goes_on_only_from_its_own_states(check: Any, by_state: dict[R, str]) -> None:
    assert set(by_state) == set(R)
    assert {state: refusal_of(check, state) for state in R} == by_state


def test_a_repeat_is_the_same_return_whatever_the_order_of_its_items() -> None:
    first = a_return(items=(ReturnItem("SKU-1", 1, GOOD), ReturnItem("SKU-2", 1, GOOD)))
    merged = a_return(
        items=(
            ReturnItem("SKU-2", 1, GOOD),
            ReturnItem("SKU-1", 1, GOOD),
        )
    )

    assert comparable(first) == comparable(merged)
    assert comparable(first) != comparable(a_return())


def test_a_mail_return_is_the_same_after_its_parcel_was_received() -> None:
    authorized = a_return(
        method=ReturnMethod.MAIL, receiving_location_id="", items=(ReturnItem("SKU-1", 2),)
    )
    received = replace(
        authorized, receiving_location_id="DC-01", items=(ReturnItem("SKU-1", 2, GOOD),)
    )

    assert comparable(authorized) == comparable(received)


def test_timeline_detail_names_the_return_and_fits_an_event() -> None:
    assert summary("RET-0123456789", [("SKU-1", 2)], "at DC-01") == (
        "RET-0123456789: 2 x SKU-1 (at DC-01)"
    )
    assert len(summary("RET-0123456789", [("SKU-1", 1)] * 100)) == 500
