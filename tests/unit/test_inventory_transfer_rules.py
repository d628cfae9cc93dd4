"""Transfer rules: what a receipt may put on the shelf, repeats and refusals, the stock changes
of each step, and the validation of transfer and short-pick requests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from services.common.errors import AlreadyExists, DomainError, FailedPrecondition, InvalidArgument
from services.inventory.reservations.domain import ReservationLine
from services.inventory.reservations.validation import TakeUnitsCommand, validate_take_units
from services.inventory.stock.domain import MovementKind, StockChange
from services.inventory.transfers.domain import (
    Transfer,
    TransferLine,
    TransferState,
    cancelled_changes,
    check_receipt_repeat,
    check_same_request,
    created_changes,
    destination_lines,
    received_changes,
    received_quantities,
    repeat_of,
    shipped_changes,
)
from services.inventory.transfers.validation import (
    ReceiveCommand,
    validate_create_transfer,
    validate_receive,
)

TRANSFER_ID = "transfer-ORD-0000000001-1"


def a_transfer(state: TransferState = TransferState.SHIPPED, **fields: Any) -> Transfer:
    transfer = Transfer(
        TRANSFER_ID,
        "res-00000001",
        "DC-01",
        "STORE-001",
        state,
        (TransferLine("LAMP-1", 3), TransferLine("MUG-1", 1)),
    )
    return replace(transfer, **fields)


def violated_fields(error: DomainError) -> list[str]:
    return [violation.field for violation in error.violations]


def test_empty_receipt_means_everything_that_was_shipped() -> None:
    assert received_quantities(a_transfer(), "STORE-001", ()) == {"LAMP-1": 3, "MUG-1": 1}


def test_short_receipt_counts_missing_skus_as_none_arrived() -> None:
    got = received_quantities(a_transfer(), "STORE-001", (TransferLine("LAMP-1", 2),))

    assert got == {"LAMP-1": 2, "MUG-1": 0}


def test_receipt_at_another_location_is_the_wrong_destination() -> None:
    with pytest.raises(FailedPrecondition) as raised:
        received_quantities(a_transfer(), "STORE-002", ())

    assert raised.value.reason == "WRONG_DESTINATION"
    assert raised.value.metadata["destination_id"] == "STORE-001"


@pytest.mark.parametrize("line", [TransferLine("LAMP-1", 4), TransferLine("BOWL-1", 1)])
def test_receiving_more_than_shipped_of_any_sku_is_refused(line: TransferLine) -> None:
    with pytest.raises(FailedPrecondition) as raised:
        received_quantities(a_transfer(), "STORE-001", (line,))

    assert raised.value.reason == "RECEIVED_MORE_THAN_SHIPPED"
    assert raised.value.metadata["sku"] == line.sku


def test_identical_second_receipt_is_answered_as_is_another_is_already_received() -> None:
    received = a_transfer(TransferState.RECEIVED, received_lines=(TransferLine("LAMP-1", 2),))

    assert check_receipt_repeat(received, {"LAMP-1": 2, "MUG-1": 0}) is received
    with pytest.raises(FailedPrecondition) as raised:
        check_receipt_repeat(received, {"LAMP-1": 3, "MUG-1": 1})
    assert raised.value.reason == "ALREADY_RECEIVED"


@pytest.mark.parametrize("state", [TransferState.CREATED, TransferState.CANCELLED])
def test_transfer_that_was_not_shipped_cannot_be_received(state: TransferState) -> None:
    with pytest.raises(FailedPrecondition) as raised:
        check_receipt_repeat(a_transfer(state), {"LAMP-1": 3, "MUG-1": 1})

    assert raised.value.reason == "TRANSFER_NOT_SHIPPED"


def test_repeat_in_the_target_state_is_answered_as_is_any_other_state_is_refused() -> None:
    shipped = a_transfer(TransferState.SHIPPED)

    assert repeat_of(shipped, TransferState.SHIPPED, "TRANSFER_NOT_SHIPPABLE", "shipped") is shipped
    with pytest.raises(FailedPrecondition) as raised:
        repeat_of(shipped, TransferState.CANCELLED, "TRANSFER_NOT_CANCELLABLE", "cancelled")
    assert raised.value.reason == "TRANSFER_NOT_CANCELLABLE"
    assert raised.value.metadata == {"transfer_id": TRANSFER_ID, "state": "SHIPPED"}


def test_transfer_id_reused_for_other_content_is_refused() -> None:
    existing = a_transfer(TransferState.SHIPPED)
    same = a_transfer(TransferState.CREATED)

    assert check_same_request(existing, same) is existing
    with pytest.raises(AlreadyExists) as raised:
        check_same_request(existing, a_transfer(destination_id="STORE-002"))
    assert raised.value.reason == "TRANSFER_ID_IN_USE"


def test_created_transfer_puts_units_in_transit_and_cancelling_takes_them_back() -> None:
    created, cancelled = created_changes(a_transfer()), cancelled_changes(a_transfer())

    assert [(c.location_id, c.sku, c.in_transit_delta) for c in created] == [
        ("STORE-001", "LAMP-1", 3),
        ("STORE-001", "MUG-1", 1),
    ]
    assert [c.in_transit_delta for c in cancelled] == [-3, -1]
    assert {c.on_hand_delta for c in created + cancelled} == {0}
    assert [c.reference for c in created + cancelled] == [
        f"{TRANSFER_ID}/created",
        f"{TRANSFER_ID}/created",
        f"{TRANSFER_ID}/cancelled",
        f"{TRANSFER_ID}/cancelled",
    ]


def test_shipping_takes_the_units_out_of_the_source() -> None:
    [lamp, _mug] = shipped_changes(a_transfer())

    assert lamp == StockChange(
        "DC-01",
        "LAMP-1",
        MovementKind.TRANSFER_OUT,
        TRANSFER_ID,
        "shipped to STORE-001",
        on_hand_delta=-3,
        reserved_delta=-3,
    )


@pytest.mark.parametrize(("reserve", "reserved"), [(True, 2), (False, 0)])
def test_receipt_ends_in_transit_and_reserves_what_arrived_while_the_order_lives(
    reserve: bool, reserved: int
) -> None:
    received = {"LAMP-1": 2, "MUG-1": 0}

    changes = received_changes(a_transfer(), received, reserve)

    assert [(c.sku, c.on_hand_delta, c.reserved_delta, c.in_transit_delta) for c in changes] == [
        ("LAMP-1", 2, reserved, -3),
        ("MUG-1", 0, 0, -1),
    ]
    assert destination_lines(a_transfer(), received) == [ReservationLine("STORE-001", "LAMP-1", 2)]


def test_create_transfer_merges_lines_and_names_every_bad_field() -> None:
    good = a_transfer(
        TransferState.RECEIVED,
        lines=(TransferLine("MUG-1", 1), TransferLine("LAMP-1", 2), TransferLine("MUG-1", 2)),
    )
    bad = Transfer("x" * 101, "?", "DC-01", "DC-01", TransferState.CREATED, ())

    validated = validate_create_transfer(good)
    with pytest.raises(InvalidArgument) as raised:
        validate_create_transfer(bad)

    assert validated.state is TransferState.CREATED
    assert validated.lines == (TransferLine("LAMP-1", 2), TransferLine("MUG-1", 3))
    assert violated_fields(raised.value) == [
        "transfer_id",
        "reservation_id",
        "destination_id",
        "lines",
    ]


def test_receive_request_checks_location_and_lines() -> None:
    command = ReceiveCommand(TRANSFER_ID, "SHOP", (TransferLine("MUG-1", 0),))

    with pytest.raises(InvalidArgument) as raised:
        validate_receive(command)

    assert violated_fields(raised.value) == ["location_id", "lines[0].quantity"]


def test_short_pick_or_release_of_units_needs_a_reason() -> None:
    command = TakeUnitsCommand("short-0001", "res-00000001", "STORE-001", "MUG-1", 1, " ")

    with pytest.raises(InvalidArgument) as raised:
        validate_take_units(command)

    assert violated_fields(raised.value) == ["reason"]
    valid = TakeUnitsCommand("short-0001", "res-00000001", "STORE-001", "MUG-1", 1, " DAMAGED ")
    assert validate_take_units(valid).reason == "DAMAGED"


def test_taking_units_needs_a_request_id_of_its_own() -> None:
    """The request id keys the movement; the reservation id keys the whole reservation's."""
    command = TakeUnitsCommand("res-00000001", "res-00000001", "STORE-001", "MUG-1", 1, "X")

    with pytest.raises(InvalidArgument) as raised:
        validate_take_units(command)

    assert violated_fields(raised.value) == ["request_id"]
