"""The conditional UPDATEs that keep 0 <= reserved <= on_hand: a change of stock on hand goes
through only where what stays on hand still covers what is reserved; a settled change moves
every figure at once; a stock row is created once, all zeros. On an in-memory SQLite database:
the statements are what is specified here, not the service around them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session

from services.inventory.stock import tables
from services.inventory.stock.domain import MovementKind, StockChange
from services.inventory.stock.updates import apply, change_on_hand, ensure_stock_row

STORE, SKU = "STORE-001", "MUG-1"


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    tables.StockLevelRow.metadata.create_all(engine)
    with Session(engine) as session:
        yield session
    engine.dispose()


def row(session: Session, location_id: str = STORE, sku: str = SKU) -> tuple[int, int, int, int]:
    """(on_hand, reserved, safety_stock, in_transit) as stored."""
    stored = session.get(tables.StockLevelRow, (location_id, sku), populate_existing=True)
    assert stored is not None
    return stored.on_hand, stored.reserved, stored.safety_stock, stored.in_transit


def stocked(session: Session, on_hand: int, reserved: int) -> None:
    ensure_stock_row(session, STORE, SKU)
    change = StockChange(STORE, SKU, MovementKind.RECEIPT, "test", "", on_hand, reserved, 0)
    apply(session, change)


def test_a_new_stock_row_is_all_zeros_and_a_second_creation_keeps_what_it_holds(
    session: Session,
) -> None:
    ensure_stock_row(session, STORE, SKU)
    assert row(session) == (0, 0, 0, 0)

    assert change_on_hand(session, STORE, SKU, 5, 2)
    ensure_stock_row(session, STORE, SKU)
    assert row(session) == (5, 0, 2, 0)


def test_stock_on_hand_may_fall_to_exactly_what_is_reserved(session: Session) -> None:
    stocked(session, on_hand=5, reserved=3)

    assert change_on_hand(session, STORE, SKU, -2, None)
    assert row(session) == (3, 3, 0, 0)


def test_stock_on_hand_may_never_fall_below_what_is_reserved(session: Session) -> None:
    stocked(session, on_hand=5, reserved=3)

    assert not change_on_hand(session, STORE, SKU, -3, 1)
    assert row(session) == (5, 3, 0, 0)


def test_a_change_of_stock_sets_the_safety_stock_only_when_given(session: Session) -> None:
    stocked(session, on_hand=5, reserved=0)

    assert change_on_hand(session, STORE, SKU, 0, 4)
    assert row(session) == (5, 0, 4, 0)
    assert change_on_hand(session, STORE, SKU, 1, None)
    assert row(session) == (6, 0, 4, 0)
    assert change_on_hand(session, STORE, SKU, 0, 0)
    assert row(session) == (6, 0, 0, 0)


def test_a_change_of_stock_touches_only_its_own_location_and_sku(session: Session) -> None:
    stocked(session, on_hand=5, reserved=0)
    ensure_stock_row(session, "DC-01", SKU)
    ensure_stock_row(session, STORE, "LAMP-1")

    assert change_on_hand(session, STORE, SKU, 2, None)
    assert not change_on_hand(session, "STORE-404", SKU, 2, None)

    assert [row(session), row(session, "DC-01"), row(session, STORE, "LAMP-1")] == [
        (7, 0, 0, 0),
        (0, 0, 0, 0),
        (0, 0, 0, 0),
    ]


def test_a_settled_change_moves_on_hand_reserved_and_in_transit_together(
    session: Session,
) -> None:
    stocked(session, on_hand=10, reserved=4)
    ensure_stock_row(session, "DC-01", SKU)

    apply(session, StockChange(STORE, SKU, MovementKind.COMMIT, "ORD-1", "", -3, -2, 1))

    assert row(session) == (7, 2, 0, 1)
    assert row(session, "DC-01") == (0, 0, 0, 0)


def test_a_settled_change_without_a_stock_row_is_a_bug_that_names_the_row(
    session: Session,
) -> None:
    change = StockChange("DC-01", "LAMP-1", MovementKind.RECEIPT, "r", "", 1)

    with pytest.raises(RuntimeError, match="no stock row for DC-01/LAMP-1"):
        apply(session, change)
