"""Operations' rules: repeats, which message was due, lost-transfer deadlines, reasonable
promises, and where units come from once a transfer is replaced."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.common.order_states import OrderState
from workflows.contracts.operations import ForceCancelInput, UnlockInput
from workflows.contracts.orders import AllocationRow, CandidateRow
from workflows.order.operations.rules import (
    MAX_REASONS,
    fingerprint,
    keeps_promise,
    lost_at,
    moved_allocations,
    promise_limit,
    routing_reasons,
    why_not_due,
)

NOW = datetime(2030, 1, 7, 10, 0, tzinfo=UTC)


def test_a_request_repeated_word_for_word_has_the_same_fingerprint() -> None:
    first = ForceCancelInput("fc-00000001", "fraud", "anna")
    assert fingerprint("force_cancel", first) == fingerprint(
        "force_cancel", ForceCancelInput("fc-00000001", "fraud", "anna")
    )


@pytest.mark.parametrize(
    ("action", "asked"),
    [
        ("force_cancel", ForceCancelInput("fc-00000001", "fraud", "bob")),
        ("force_cancel", ForceCancelInput("fc-00000001", "other reason", "anna")),
        ("unlock", UnlockInput("fc-00000001", "fraud", "anna")),
    ],
)
def test_another_action_or_field_under_the_same_request_id_is_another_request(
    action: str, asked: object
) -> None:
    first = fingerprint("force_cancel", ForceCancelInput("fc-00000001", "fraud", "anna"))
    assert fingerprint(action, asked) != first


@pytest.mark.parametrize(
    "state", [OrderState.AWAITING_PICK, OrderState.IN_TRANSIT, OrderState.READY_FOR_PICKUP]
)
def test_the_confirmation_was_due_to_every_accepted_order(state: OrderState) -> None:
    assert why_not_due("order_confirmed", state, True, "") == ""


@pytest.mark.parametrize(
    ("state", "confirmed"), [(OrderState.PENDING, False), (OrderState.REJECTED, True)]
)
def test_the_confirmation_was_never_due_before_acceptance(
    state: OrderState, confirmed: bool
) -> None:
    assert state in why_not_due("order_confirmed", state, confirmed, "")


@pytest.mark.parametrize("message", ["ready_for_pickup", "pickup_reminder"])
def test_pickup_messages_are_due_only_while_ready_with_a_code(message: str) -> None:
    assert why_not_due(message, OrderState.READY_FOR_PICKUP, True, "123456") == ""
    assert "AWAITING_PICK" in why_not_due(message, OrderState.AWAITING_PICK, True, "")
    assert why_not_due(message, OrderState.READY_FOR_PICKUP, True, "") != ""


def test_a_message_that_is_not_resendable_is_never_due() -> None:
    assert why_not_due("order_cancelled", OrderState.READY_FOR_PICKUP, True, "1") != ""


def test_a_late_transfer_is_lost_after_the_policy_delay_and_never_before_it_was_late() -> None:
    assert lost_at(NOW, 3600) == NOW + timedelta(hours=1)
    assert lost_at(NOW, -5) == NOW


def test_a_reasonable_promise_is_ready_within_the_limit_boundary_included() -> None:
    limit = promise_limit(NOW, 3)
    assert limit == NOW + timedelta(days=3)
    assert keeps_promise(limit, limit)
    assert not keeps_promise(limit + timedelta(seconds=1), limit)
    assert not keeps_promise(None, limit)
    assert keeps_promise(NOW + timedelta(days=30), None)


def test_replacing_a_transfer_moves_only_its_units_from_its_source() -> None:
    current = [
        AllocationRow("DC-01", "LAMP", 2),
        AllocationRow("STORE-001", "LAMP", 1),
        AllocationRow("DC-01", "MUG", 1),
    ]
    moved = moved_allocations(
        current, "DC-01", [("LAMP", 2)], [AllocationRow("STORE-002", "LAMP", 2)]
    )
    assert sorted((a.location_id, a.sku, a.quantity) for a in moved) == [
        ("DC-01", "MUG", 1),
        ("STORE-001", "LAMP", 1),
        ("STORE-002", "LAMP", 2),
    ]


def test_a_replacement_from_a_source_already_used_is_merged_into_its_row() -> None:
    current = [AllocationRow("DC-01", "LAMP", 1), AllocationRow("STORE-002", "LAMP", 1)]
    moved = moved_allocations(
        current, "DC-01", [("LAMP", 1)], [AllocationRow("STORE-002", "LAMP", 1)]
    )
    assert [(a.location_id, a.quantity) for a in moved] == [("STORE-002", 2)]


def test_routing_reasons_quote_each_candidate_and_are_cut_to_fit() -> None:
    said = routing_reasons(
        [CandidateRow("DC-01", "REJECTED", "no stock"), CandidateRow("STORE-002", "REJECTED", "")]
    )
    assert said == "DC-01: no stock; STORE-002: REJECTED"
    assert routing_reasons([]) == "no location ships to this store"
    many = [CandidateRow(f"STORE-{n:03d}", "REJECTED", "no stock at all") for n in range(100)]
    assert len(routing_reasons(many)) == MAX_REASONS
