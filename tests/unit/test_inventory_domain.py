"""Inventory rules: available to promise, the reservation state machine, checkout holds,
request validation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
)
from services.inventory.reservations.domain import (
    Reservation,
    ReservationLine,
    ReservationState,
    check_repeat,
    hold_expiry,
    hold_not_found,
    line_change,
    line_deltas,
    needs_conversion,
    needs_finishing,
    not_active,
    out_of_stock,
    take_exceeds,
)
from services.inventory.reservations.validation import ReserveCommand, validate_reserve
from services.inventory.stock.domain import (
    MovementKind,
    Product,
    StockChange,
    StockLevel,
    available_to_promise,
    insufficient_stock,
    lock_order,
)
from services.inventory.stock.validation import (
    AdjustCommand,
    unknown_skus,
    validate_adjust,
    validate_product,
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


def test_expiry_gives_stock_back_while_shipping_away_and_short_picks_take_it_out() -> None:
    assert line_deltas(MovementKind.EXPIRE, 2) == (0, -2)
    assert line_deltas(MovementKind.TRANSFER_OUT, 2) == (-2, -2)
    assert line_deltas(MovementKind.SHORT_PICK, 2) == (-2, -2)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (MovementKind.SHORT_PICK, "SHORT_PICK_EXCEEDS_RESERVATION"),
        (MovementKind.RELEASE, "RELEASE_EXCEEDS_RESERVATION"),
    ],
)
def test_taking_more_units_than_the_reservation_holds_is_refused_with_its_own_reason(
    kind: MovementKind, reason: str
) -> None:
    refusal = take_exceeds(kind, ReservationLine("STORE-001", "MUG-1", 3), held=2)

    assert isinstance(refusal, FailedPrecondition)
    assert refusal.reason == reason
    assert (refusal.metadata["requested"], refusal.metadata["held"]) == ("3", "2")


def test_stock_rows_are_changed_in_location_then_sku_order() -> None:
    changes = [
        StockChange("STORE-002", "A-1", MovementKind.RELEASE, "r1"),
        StockChange("DC-01", "B-1", MovementKind.TRANSFER_IN, "t1/cancelled"),
        StockChange("DC-01", "A-1", MovementKind.RELEASE, "r1"),
    ]

    ordered = lock_order(changes)

    assert [(c.location_id, c.sku) for c in ordered] == [
        ("DC-01", "A-1"),
        ("DC-01", "B-1"),
        ("STORE-002", "A-1"),
    ]


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


def test_releasing_an_expired_hold_is_answered_as_is_but_committing_it_is_refused() -> None:
    expired = a_reservation(ReservationState.EXPIRED)

    assert not needs_finishing(expired, MovementKind.RELEASE)
    with pytest.raises(FailedPrecondition) as raised:
        needs_finishing(expired, MovementKind.COMMIT)
    assert raised.value.reason == "RESERVATION_NOT_ACTIVE"


def a_hold(ttl_seconds: int = 600, order_id: str = "") -> Reservation:
    held = a_reservation(ReservationState.ACTIVE)
    return replace(held, order_id=order_id, expire_time=hold_expiry(NOW, ttl_seconds))


def test_a_hold_expires_ttl_seconds_from_now_and_a_plain_reservation_never() -> None:
    assert hold_expiry(NOW, 90) == NOW + timedelta(seconds=90)
    assert hold_expiry(NOW, 0) is None


def test_live_hold_can_be_converted_for_an_order() -> None:
    assert needs_conversion(a_hold(), "ORD-0000000001", "", NOW + timedelta(seconds=599))
    assert needs_conversion(a_hold(order_id="ORD-0000000001"), "ORD-0000000001", "", NOW)


def test_converted_hold_is_answered_as_is_for_the_same_order() -> None:
    converted = replace(a_hold(), order_id="ORD-0000000001", expire_time=None)

    assert not needs_conversion(converted, "ORD-0000000001", "", NOW)
    with pytest.raises(AlreadyExists) as raised:
        needs_conversion(converted, "ORD-0000000002", "", NOW)
    assert raised.value.reason == "RESERVATION_ID_IN_USE"


@pytest.mark.parametrize(
    ("state", "seconds_later"),
    [
        (ReservationState.ACTIVE, 600),
        (ReservationState.ACTIVE, 601),
        (ReservationState.EXPIRED, 700),
        (ReservationState.RELEASED, 1),
    ],
)
def test_hold_past_its_expiry_or_released_cannot_be_converted(
    state: ReservationState, seconds_later: int
) -> None:
    hold = replace(a_hold(), state=state)

    with pytest.raises(FailedPrecondition) as raised:
        needs_conversion(hold, "ORD-0000000001", "", NOW + timedelta(seconds=seconds_later))

    assert raised.value.reason == "HOLD_EXPIRED"
    assert raised.value.metadata["state"] == str(state)


def test_only_its_owner_converts_a_hold_and_anyone_else_is_told_there_is_none() -> None:
    mine = replace(a_hold(), owner_id="cust-1001")

    assert needs_conversion(mine, "ORD-0000000001", "cust-1001", NOW)
    for stranger in ("cust-2002", ""):
        with pytest.raises(NotFound) as raised:
            needs_conversion(mine, "ORD-0000000002", stranger, NOW)
        assert raised.value.reason == "HOLD_NOT_FOUND"
        assert raised.value == hold_not_found(mine.reservation_id)
    converted = replace(mine, order_id="ORD-0000000001", expire_time=None)
    with pytest.raises(NotFound):
        needs_conversion(converted, "ORD-0000000001", "cust-2002", NOW)


def test_a_hold_made_before_owners_were_recorded_converts_for_anyone() -> None:
    assert needs_conversion(a_hold(), "ORD-0000000001", "cust-2002", NOW)


def test_a_repeated_hold_must_name_the_same_owner() -> None:
    mine = replace(a_hold(), owner_id="cust-1001")

    assert check_repeat(mine, "", "cust-1001") is mine
    with pytest.raises(AlreadyExists):
        check_repeat(mine, "", "cust-2002")


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


def test_only_a_hold_may_leave_the_order_out_and_its_ttl_is_bounded() -> None:
    lines = (ReservationLine("STORE-001", "MUG-1", 1),)

    hold = validate_reserve(ReserveCommand("hold-00000001", "", lines, ttl_seconds=3600))
    with pytest.raises(InvalidArgument) as no_order:
        validate_reserve(ReserveCommand("res-00000001", "", lines))
    with pytest.raises(InvalidArgument) as too_long:
        validate_reserve(ReserveCommand("hold-00000001", "", lines, ttl_seconds=3601))
    with pytest.raises(InvalidArgument) as negative:
        validate_reserve(ReserveCommand("res-00000001", "ORD-0000000001", lines, ttl_seconds=-5))

    assert hold.ttl_seconds == 3600
    assert violated_fields(no_order.value) == ["order_id"]
    assert violated_fields(too_long.value) == ["ttl_seconds"]
    assert violated_fields(negative.value) == ["ttl_seconds"]


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


# -- What each refusal tells the caller: the reason, the words, and the figures in metadata.


def test_out_of_stock_names_the_line_and_what_is_available() -> None:
    refusal = out_of_stock(ReservationLine("STORE-001", "MUG-1", 3), available=1)

    assert (refusal.reason, refusal.message) == (
        "OUT_OF_STOCK",
        "3 x MUG-1 requested at STORE-001, 1 available",
    )
    assert refusal.metadata == {
        "location_id": "STORE-001",
        "sku": "MUG-1",
        "requested": "3",
        "available": "1",
    }


def test_stock_on_hand_that_cannot_drop_names_the_stock_row() -> None:
    refusal = insufficient_stock(StockLevel("STORE-001", "MUG-1", 5, 4), on_hand_delta=-2)

    assert (refusal.reason, refusal.message) == (
        "INSUFFICIENT_STOCK",
        "on hand of MUG-1 at STORE-001 cannot drop by 2: 5 on hand, 4 reserved",
    )
    assert refusal.metadata == {
        "location_id": "STORE-001",
        "sku": "MUG-1",
        "on_hand": "5",
        "reserved": "4",
        "on_hand_delta": "-2",
    }


def test_a_reservation_that_is_no_longer_active_says_what_it_is() -> None:
    refusal = not_active(a_reservation(ReservationState.COMMITTED))

    assert (refusal.reason, refusal.message) == (
        "RESERVATION_NOT_ACTIVE",
        "reservation res-00000001 is COMMITTED",
    )
    assert refusal.metadata == {"reservation_id": "res-00000001", "state": "COMMITTED"}


def test_a_hold_nobody_may_see_is_not_found_by_its_id() -> None:
    refusal = hold_not_found("hold-00000001")

    assert (refusal.reason, refusal.message) == ("HOLD_NOT_FOUND", "no hold hold-00000001")
    assert refusal.metadata == {"reservation_id": "hold-00000001"}


def test_a_reservation_id_of_another_order_names_that_order() -> None:
    with pytest.raises(AlreadyExists) as raised:
        check_repeat(a_reservation(ReservationState.ACTIVE), "ORD-0000000002")

    assert raised.value.message == "reservation res-00000001 belongs to order ORD-0000000001"
    assert raised.value.metadata == {
        "reservation_id": "res-00000001",
        "order_id": "ORD-0000000001",
    }


def test_a_finished_reservation_says_what_it_can_no_longer_be() -> None:
    with pytest.raises(FailedPrecondition) as raised:
        needs_finishing(a_reservation(ReservationState.RELEASED), MovementKind.COMMIT)

    assert raised.value.message == "reservation res-00000001 is RELEASED, cannot be committed"
    assert raised.value.metadata == {"reservation_id": "res-00000001", "state": "RELEASED"}


@pytest.mark.parametrize(
    ("state", "why"),
    [(ReservationState.ACTIVE, "past its expiry"), (ReservationState.RELEASED, "released")],
)
def test_a_hold_that_can_no_longer_be_converted_says_why(state: ReservationState, why: str) -> None:
    hold = replace(a_hold(), state=state)

    with pytest.raises(FailedPrecondition) as raised:
        needs_conversion(hold, "ORD-0000000001", "", NOW + timedelta(seconds=600))

    assert raised.value.message == f"hold res-00000001 can no longer be converted: {why}"
    assert raised.value.metadata == {"reservation_id": "res-00000001", "state": str(state)}


@pytest.mark.parametrize(
    ("kind", "verb"), [(MovementKind.SHORT_PICK, "short"), (MovementKind.RELEASE, "released")]
)
def test_taking_too_many_units_says_how_many_the_reservation_holds(
    kind: MovementKind, verb: str
) -> None:
    refusal = take_exceeds(kind, ReservationLine("STORE-001", "MUG-1", 3), held=2)

    assert refusal.message == f"3 x MUG-1 {verb} at STORE-001, reservation holds 2"
    assert refusal.metadata == {
        "location_id": "STORE-001",
        "sku": "MUG-1",
        "requested": "3",
        "held": "2",
    }


def test_a_reservation_line_becomes_the_stock_change_of_its_movement() -> None:
    line = ReservationLine("STORE-001", "MUG-1", 2)

    assert line_change(line, MovementKind.COMMIT, "ORD-0000000001", "PICKED_UP") == StockChange(
        "STORE-001", "MUG-1", MovementKind.COMMIT, "ORD-0000000001", "PICKED_UP", -2, -2
    )
    assert line_change(line, MovementKind.RESERVE, "res-1") == StockChange(
        "STORE-001", "MUG-1", MovementKind.RESERVE, "res-1", "", 0, 2
    )


def test_a_movement_that_is_not_a_reservations_is_a_bug_that_names_it() -> None:
    with pytest.raises(ValueError, match="RECEIPT is not a reservation movement"):
        line_deltas(MovementKind.RECEIPT, 1)


def test_a_hold_of_one_second_still_expires() -> None:
    assert hold_expiry(NOW, 1) == NOW + timedelta(seconds=1)
