"""An endless-aisle order names the associate who placed it and the store terminal, both or
neither: a name on one line, a terminal id."""

from __future__ import annotations

import pytest

from tests.unit.test_orders_domain import an_order, violations_of

ASSOCIATE = "placed_by_associate"
TERMINAL = "placed_by_terminal"


def test_an_order_names_both_the_associate_and_the_terminal_or_neither() -> None:
    assert violations_of(an_order()) == set()
    assert violations_of(an_order(**{ASSOCIATE: "Sam de Vries", TERMINAL: "till-7"})) == set()
    assert violations_of(an_order(**{ASSOCIATE: "Sam"})) == {f"order.{TERMINAL}"}
    assert violations_of(an_order(**{TERMINAL: "till-7"})) == {f"order.{ASSOCIATE}"}


@pytest.mark.parametrize(
    ("associate", "terminal", "bad"),
    [
        ("Sam\nde Vries", "till-7", ASSOCIATE),
        ("x" * 101, "till-7", ASSOCIATE),
        ("x" * 100, "till 7", TERMINAL),
        ("Sam", "t" * 65, TERMINAL),
    ],
)
def test_an_associate_on_two_lines_or_a_terminal_id_no_token_has_is_refused(
    associate: str, terminal: str, bad: str
) -> None:
    order = an_order(**{ASSOCIATE: associate, TERMINAL: terminal})
    assert violations_of(order) == {f"order.{bad}"}
