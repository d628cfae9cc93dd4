"""Inventory rules: available to promise, the reservation state machine, request validation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from services.inventory.domain import (
    MovementKind,
    Product,
    Reservation,
    ReservationLine,
    ReservationState,
    StockLevel,
    available_to_promise,
    check_repeat,
    line_deltas,
    needs_finishing,
)
from services.inventory.validation import (
    AdjustCommand,
    ReserveCommand,
    unknown_skus,
    validate_adjust,
    validate_product,
    validate_reserve,
    validate_stock_query,
)

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def a_reservation(state: ReservationState) -> Reservation:
    line = ReservationLine("STORE-001", "MUG-1", 2)
    return Reservation("res-00000001", "ORD-0000000001", state, (line,), NOW, NOW)


def violated_fields(error: DomainError) -> list[str]:
    return [violation.field for violation in error.violations]


@pytest.mark.parametrize(
    ("on_hand", "reserved", "safety", "atp"),
    [(10, 0, 0, 10), (10, 3, 2, 5), (10, 8, 2, 0), (10, 9, 5, 0), (0, 0, 0, 0)],
)
def test_available_to_promise_keeps_safety_stock_back_and_never_goes_below_zero(
    on_hand: int, reserved: int, safety: int, atp: int
) -> None:
    assert available_to_promise(on_hand, reserved, safety) == atp
    assert StockLevel("STORE-001", "MUG-1", on_hand, reserved, safety).available_to_promise == atp


def test_reserving_holds_stock_releasing_gives_it_back_committing_takes_it_out() -> None:
    assert line_deltas(MovementKind.RESERVE, 3) == (0, 3)
    assert line_deltas(MovementKind.RELEASE, 3) == (0, -3)
    assert line_deltas(MovementKind.COMMIT, 3) == (-3, -3)
    with pytest.raises(ValueError):
        line_deltas(MovementKind.RECEIPT, 3)


@pytest.mark.parametrize("kind", [MovementKind.RELEASE, MovementKind.COMMIT])
def test_active_reservation_can_be_released_or_committed(kind: MovementKind) -> None:
    assert needs_finishing(a_reservation(ReservationState.ACTIVE), kind)


def test_repeating_a_release_or_commit_changes_nothing() -> None:
    assert not needs_finishing(a_reservation(ReservationState.RELEASED), MovementKind.RELEASE)
    assert not needs_finishing(a_reservation(ReservationState.COMMITTED), MovementKind.COMMIT)


@pytest.mark.parametrize(
    ("state", "kind"),
    [
        (ReservationState.COMMITTED, MovementKind.RELEASE),
        (ReservationState.RELEASED, MovementKind.COMMIT),
    ],
)
def test_finished_reservation_cannot_end_the_other_way(
    state: ReservationState, kind: MovementKind
) -> None:
    with pytest.raises(FailedPrecondition) as raised:
        needs_finishing(a_reservation(state), kind)

    assert raised.value.reason == "RESERVATION_NOT_ACTIVE"
    assert raised.value.metadata == {"reservation_id": "res-00000001", "state": str(state)}


def test_repeated_reserve_returns_the_reservation_but_not_for_another_order() -> None:
    existing = a_reservation(ReservationState.ACTIVE)

    assert check_repeat(existing, "ORD-0000000001") is existing
    with pytest.raises(AlreadyExists) as raised:
        check_repeat(existing, "ORD-0000000002")
    assert raised.value.reason == "RESERVATION_ID_IN_USE"


def test_duplicate_reservation_lines_are_merged_and_sorted() -> None:
    command = ReserveCommand(
        "res-00000001",
        "ORD-0000000001",
        (
            ReservationLine("STORE-002", "MUG-1", 1),
            ReservationLine("STORE-001", "MUG-1", 2),
            ReservationLine("STORE-002", "MUG-1", 4),
            ReservationLine("STORE-001", "BOWL-1", 1),
        ),
    )

    assert validate_reserve(command).lines == (
        ReservationLine("STORE-001", "BOWL-1", 1),
        ReservationLine("STORE-001", "MUG-1", 2),
        ReservationLine("STORE-002", "MUG-1", 5),
    )


def test_reserve_request_names_every_bad_field() -> None:
    command = ReserveCommand(
        "short",
        "order-1",
        (
            ReservationLine("STORE-001", "MUG-1", 1),
            ReservationLine("WAREHOUSE", "mug 1", 0),
            ReservationLine("STORE-001", "MUG-1", -2),
        ),
    )

    with pytest.raises(InvalidArgument) as raised:
        validate_reserve(command)

    assert violated_fields(raised.value) == [
        "reservation_id",
        "order_id",
        "lines[1].location_id",
        "lines[1].sku",
        "lines[1].quantity",
        "lines[2].quantity",
    ]


def test_reserve_needs_at_least_one_line() -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_reserve(ReserveCommand("res-00000001", "ORD-0000000001", ()))

    assert violated_fields(raised.value) == ["lines"]


def test_unspecified_adjustment_kind_is_an_adjustment() -> None:
    command = AdjustCommand("req-00000001", "STORE-001", "MUG-1", -2, None, None)

    assert validate_adjust(command).kind is MovementKind.ADJUSTMENT


def test_adjustment_cannot_reserve_or_do_nothing() -> None:
    command = AdjustCommand("req-00000001", "STORE-001", "MUG-1", 0, None, MovementKind.RESERVE)

    with pytest.raises(InvalidArgument) as raised:
        validate_adjust(command)

    assert violated_fields(raised.value) == ["on_hand_delta", "kind"]


def test_safety_stock_alone_is_a_valid_adjustment_but_not_negative() -> None:
    only_safety = AdjustCommand("req-00000001", "STORE-001", "MUG-1", 0, 3, None)
    negative = AdjustCommand("req-00000001", "STORE-001", "MUG-1", 0, -1, None)

    assert validate_adjust(only_safety).safety_stock == 3
    with pytest.raises(InvalidArgument) as raised:
        validate_adjust(negative)
    assert violated_fields(raised.value) == ["safety_stock"]


def test_product_needs_sku_name_price_and_currency() -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_product(Product("mug", " ", -1, "euro"), request_id="x")

    assert violated_fields(raised.value) == [
        "request_id",
        "product.sku",
        "product.name",
        "product.price.amount_minor",
        "product.price.currency_code",
    ]
    assert validate_product(Product("MUG-1", " Mug ", 0, "EUR")).name == "Mug"


def test_stock_query_checks_every_location_and_sku() -> None:
    with pytest.raises(InvalidArgument) as raised:
        validate_stock_query(["STORE-001", "nowhere"], [])

    assert violated_fields(raised.value) == ["location_ids[1]", "skus"]


def test_unknown_skus_are_all_named_once_in_the_order_asked() -> None:
    with pytest.raises(NotFound) as raised:
        unknown_skus(["B-1", "MUG-1", "A-1", "B-1"], {"MUG-1"})

    assert raised.value.reason == "SKU_NOT_FOUND"
    assert raised.value.metadata == {"skus": "B-1,A-1"}
