"""The gateway's rules for returns and till sales: what a return request must say, and where
returns and sales may happen."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from clickcollect.gateway.v1 import order_views_pb2
from services.common.errors import FailedPrecondition, InvalidArgument, Violations
from services.common.fields import RECEIPT_NUMBER_RULE
from services.gateway.domain import (
    ReturnLine,
    check_receipt_number,
    check_return_lines,
    ensure_accepts_returns,
    ensure_sells_over_the_counter,
    enum_name,
)


def fields_of(errors: Violations) -> list[str]:
    with pytest.raises(InvalidArgument) as refused:
        errors.raise_if_any()
    return [v.field for v in refused.value.violations]


def test_inspected_lines_each_need_a_condition() -> None:
    errors = Violations()
    check_return_lines([ReturnLine("TSHIRT-WHT-M", 1)], errors, inspected=True)
    assert fields_of(errors) == ["lines[0].condition"]


def test_a_mail_request_names_units_only() -> None:
    errors = Violations()
    lines = check_return_lines([ReturnLine("TSHIRT-WHT-M", 1)], errors, inspected=False)
    assert errors.items == []
    assert lines == [ReturnLine("TSHIRT-WHT-M", 1)]


def test_repeated_sku_with_the_same_condition_is_merged() -> None:
    errors = Violations()
    lines = check_return_lines(
        [ReturnLine("MUG-CERAMIC", 1, "DAMAGED"), ReturnLine("MUG-CERAMIC", 2, "DAMAGED")],
        errors,
        inspected=True,
    )
    assert errors.items == []
    assert lines == [ReturnLine("MUG-CERAMIC", 3, "DAMAGED")]


def test_one_sku_in_two_conditions_is_refused_on_the_second_line() -> None:
    errors = Violations()
    check_return_lines(
        [ReturnLine("MUG-CERAMIC", 1, "RESELLABLE"), ReturnLine("MUG-CERAMIC", 1, "DAMAGED")],
        errors,
        inspected=True,
    )
    assert fields_of(errors) == ["lines[1].condition"]


def test_bad_skus_quantities_and_an_empty_request_name_their_fields() -> None:
    errors = Violations()
    check_return_lines([ReturnLine("not a sku", 0)], errors, inspected=False)
    assert fields_of(errors) == ["lines[0].sku", "lines[0].quantity"]
    errors = Violations()
    check_return_lines([], errors, inspected=False)
    assert fields_of(errors) == ["lines"]


@pytest.mark.parametrize("receipt", ["", "R 1", "x" * 65])
def test_receipt_numbers_are_short_plain_tokens(receipt: str) -> None:
    errors = Violations()
    check_receipt_number(receipt, errors)
    assert fields_of(errors) == ["receipt_number"]


def refusal(check: Callable[[], object]) -> FailedPrecondition | None:
    """The refusal ``check`` raises; None when it lets the request go on."""
    try:
        check()
    except FailedPrecondition as refused:
        return refused
    return None


def test_a_location_without_the_returns_capability_takes_no_returns() -> None:
    refused = refusal(lambda: ensure_accepts_returns("Pop-up kiosk", False, "STORE-009"))
    assert refused is not None
    assert refused.reason == "RETURNS_NOT_ACCEPTED"
    assert refused.message == "Pop-up kiosk does not take returns"
    assert refused.metadata == {"location_id": "STORE-009"}
    assert refusal(lambda: ensure_accepts_returns("Amsterdam Zuid", True, "STORE-002")) is None


def test_only_stores_have_tills() -> None:
    refused = refusal(lambda: ensure_sells_over_the_counter("DC-01"))
    assert refused is not None
    assert refused.reason == "NOT_A_STORE"
    assert refused.message == "DC-01 has no till"
    assert refused.metadata == {"location_id": "DC-01"}
    assert refusal(lambda: ensure_sells_over_the_counter("STORE-002")) is None


def test_enum_values_a_client_invents_have_no_name() -> None:
    assert enum_name(order_views_pb2.ItemCondition, 2, "ITEM_CONDITION_") == "DAMAGED"
    assert enum_name(order_views_pb2.ItemCondition, 7, "ITEM_CONDITION_") == ""


def described(errors: Violations) -> list[tuple[str, str]]:
    return [(v.field, v.description) for v in errors.items]


def test_a_return_line_takes_one_to_ninety_nine_units() -> None:
    errors = Violations()
    lines = [ReturnLine("MUG-CERAMIC", 99), ReturnLine("SOCKS-5PK", 1)]
    assert check_return_lines(lines, errors, inspected=False) == lines
    assert errors.items == []

    check_return_lines([ReturnLine("MUG-CERAMIC", 100)], errors, inspected=False, field="items")
    assert described(errors) == [("items[0].quantity", "must be 1..99")]


def test_fifty_lines_is_the_longest_return() -> None:
    errors = Violations()
    fifty = [ReturnLine(f"SKU-{n}", 1) for n in range(50)]
    check_return_lines(fifty, errors, inspected=False)
    assert errors.items == []

    check_return_lines([*fifty, ReturnLine("SKU-50", 1)], errors, inspected=False)
    assert described(errors) == [("lines", "at most 50 lines")]


def test_refused_return_lines_are_told_what_they_should_be() -> None:
    errors = Violations()
    check_return_lines([], errors, inspected=False)
    check_return_lines(
        [ReturnLine("not a sku", 1, "DAMAGED"), ReturnLine("MUG-CERAMIC", 1, "broken")],
        errors,
        inspected=True,
    )
    check_return_lines(
        [ReturnLine("MUG-CERAMIC", 1, "RESELLABLE"), ReturnLine("MUG-CERAMIC", 1, "DAMAGED")],
        errors,
        inspected=True,
    )
    assert described(errors) == [
        ("lines", "name at least one item to return"),
        ("lines[0].sku", "'not a sku' is not a sku"),
        ("lines[1].condition", "RESELLABLE or DAMAGED"),
        (
            "lines[1].condition",
            "one condition per sku in a return; take the other units back as a second return",
        ),
    ]


@pytest.mark.parametrize("receipt", ["R", "R-2030.01_7", "x" * 64])
def test_a_receipt_number_within_the_rule_is_accepted(receipt: str) -> None:
    errors = Violations()
    check_receipt_number(receipt, errors)
    assert errors.items == []


def test_a_refused_receipt_number_is_told_the_rule() -> None:
    errors = Violations()
    check_receipt_number("R 1", errors)
    assert described(errors) == [("receipt_number", RECEIPT_NUMBER_RULE)]
