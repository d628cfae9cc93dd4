"""What a customer may say about collecting an order (services/common/pickup_fields.py) and
which facts the orders service takes with a timeline event (services/orders/orders/facts.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.common import pickup_fields as rules
from services.common.errors import FailedPrecondition, Violations
from services.orders.orders.facts import (
    Arrival,
    EventFacts,
    changes_of,
    check_allowed,
    validate_facts,
)

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def bad_fields(check: object, *args: object) -> set[str]:
    errors = Violations()
    check(*args, errors)  # type: ignore[operator]
    return {item.field for item in errors.items}


def test_curbside_details_are_optional_and_fit_the_store_screen() -> None:
    assert bad_fields(rules.check_curbside, "", "") == set()
    assert bad_fields(rules.check_curbside, "v" * 60, "b" * 16) == set()
    assert bad_fields(rules.check_curbside, "v" * 61, "b" * 16) == {"vehicle_description"}
    assert bad_fields(rules.check_curbside, "blue Volvo", "b" * 17) == {"bay"}


def test_curbside_details_stay_on_one_line_without_control_characters() -> None:
    assert bad_fields(rules.check_curbside, "blue\nVolvo", "") == {"vehicle_description"}
    assert bad_fields(rules.check_curbside, "", "B\x007") == {"bay"}


def test_a_customer_says_they_are_arriving_or_here() -> None:
    assert bad_fields(rules.check_arrival_state, "ARRIVING") == set()
    assert bad_fields(rules.check_arrival_state, "HERE") == set()
    assert bad_fields(rules.check_arrival_state, "UNSPECIFIED") == {"state"}


@pytest.mark.parametrize("name", ["Bo", "Grace Hopper", "x" * 80, "  Ada  "])
def test_a_collector_is_named_in_one_to_eighty_characters(name: str) -> None:
    assert bad_fields(rules.check_collector_name, name) == set()


@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "Ada\nLovelace"])
def test_a_collector_name_empty_too_long_or_on_two_lines_is_refused(name: str) -> None:
    assert bad_fields(rules.check_collector_name, name) == {"collector_name"}


def test_a_customer_extends_by_the_stores_days_and_operations_by_up_to_two_weeks() -> None:
    assert bad_fields(rules.check_extension_days, 0, "customer") == set()
    assert bad_fields(rules.check_extension_days, 2, "customer") == {"days"}
    assert bad_fields(rules.check_extension_days, 0, "operations") == set()
    assert bad_fields(rules.check_extension_days, 14, "operations") == set()
    assert bad_fields(rules.check_extension_days, 15, "operations") == {"days"}
    assert bad_fields(rules.check_extension_days, -1, "operations") == {"days"}
    assert bad_fields(rules.check_extension_days, 1, "store") == {"requested_by"}


def test_an_extension_adds_the_days_asked_else_the_stores_else_three() -> None:
    assert rules.extension_days(5, 2) == 5
    assert rules.extension_days(0, 2) == 2
    assert rules.extension_days(0, 0) == 3


def test_without_a_named_collector_the_counter_hands_over_to_whoever_shows_the_code() -> None:
    assert rules.may_collect("Anyone At All", "", ("ada@example.com", "cust-1"))


def test_a_named_collector_matches_in_any_case_and_spacing() -> None:
    assert rules.may_collect("  grace   HOPPER ", "Grace Hopper", ("ada@example.com", "cust-1"))
    assert not rules.may_collect("Grace Hoppers", "Grace Hopper", ("ada@example.com", "cust-1"))


def test_with_a_named_collector_the_customer_may_still_collect_by_email_or_id() -> None:
    customer = ("ada@example.com", "cust-1")
    assert rules.may_collect("ADA@example.com", "Grace Hopper", customer)
    assert rules.may_collect("cust-1", "Grace Hopper", customer)
    assert not rules.may_collect("Ada Lovelace", "Grace Hopper", customer)


def facts_violations(facts: EventFacts) -> set[str]:
    errors = Violations()
    validate_facts(facts, errors)
    return {item.field for item in errors.items}


def test_event_facts_name_every_bad_field() -> None:
    facts = EventFacts(
        pickup_store_id="DC-01",
        pickup_extensions=-1,
        arrival=Arrival("LATE", NOON, "v" * 61, "b" * 17),
        collector_name="",
        client_request_id="short",
    )
    assert facts_violations(facts) == {
        "pickup_store_id",
        "pickup_extensions",
        "customer_arrival.state",
        "customer_arrival.vehicle_description",
        "customer_arrival.bay",
        "collector_name",
        "client_request_id",
    }


def test_unset_facts_change_nothing() -> None:
    assert facts_violations(EventFacts()) == set()
    assert changes_of(EventFacts()) == {}


def test_an_arrival_sets_the_state_time_and_trimmed_curbside_details() -> None:
    changes = changes_of(EventFacts(arrival=Arrival("HERE", NOON, " blue Volvo ", " B7 ")))
    assert changes == {
        "arrival_state": "HERE",
        "arrival_time": NOON,
        "vehicle_description": "blue Volvo",
        "arrival_bay": "B7",
    }


def test_a_store_change_is_recorded_only_before_the_order_is_picked() -> None:
    moved = changes_of(EventFacts(pickup_store_id="STORE-002"))
    check_allowed("AWAITING_PICK", moved)
    with pytest.raises(FailedPrecondition) as refused:
        check_allowed("READY_FOR_PICKUP", moved)
    assert refused.value.metadata["state"] == "READY_FOR_PICKUP"


def test_an_arrival_or_extension_is_recorded_only_while_ready_for_pickup() -> None:
    arriving = changes_of(EventFacts(arrival=Arrival("ARRIVING", NOON)))
    extended = changes_of(EventFacts(pickup_expire_time=NOON))
    check_allowed("READY_FOR_PICKUP", {**arriving, **extended})
    for changes in (arriving, extended):
        with pytest.raises(FailedPrecondition):
            check_allowed("PICKED_UP", changes)


def test_a_collector_is_named_until_the_order_ends() -> None:
    named = changes_of(EventFacts(collector_name=" Grace Hopper "))
    assert named == {"collector_name": "Grace Hopper"}
    check_allowed("IN_TRANSIT", named)
    with pytest.raises(FailedPrecondition):
        check_allowed("CANCELLED", named)
