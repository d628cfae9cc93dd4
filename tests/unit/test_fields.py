"""What callers may write in e-mails, payment method tokens, receipt numbers, free text, names
and points: one definition for the gateway and every service."""

from __future__ import annotations

import math

import pytest

from services.common import fields
from services.common.errors import Violations


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("ada@example.com", True),
        ("a.b+tag@sub.example.co", True),
        ("x" * 64 + "@y.io", True),
        ("x" * 65 + "@y.io", False),
        ("a" * 400 + "@example.com", False),
        ("ada@" + "e" * 250 + ".com", False),
        ("ä@example.com", False),
        ("ada@example", False),
        ("ada example@x.io", False),
        ("ada@x.io\x00", False),
        ("", False),
    ],
)
def test_an_email_is_one_every_service_can_store_and_mail_to(email: str, ok: bool) -> None:
    assert fields.is_email(email) is ok


def test_payment_method_tokens_and_receipt_numbers_are_short_plain_words() -> None:
    assert fields.is_payment_method("pm_card_visa")
    assert not fields.is_payment_method("pm card")
    assert not fields.is_payment_method("p" * 129)
    assert fields.is_receipt_number("R-0002-000123")
    assert not fields.is_receipt_number("R" * 65)


def test_free_text_may_break_lines_but_holds_no_other_control_character() -> None:
    errors = Violations()
    fields.check_text("too small\nand too long", "reason", errors)
    assert errors.items == []
    for bad in ("a\x00b", "\x1b[31m", "x" * 501):
        errors = Violations()
        fields.check_text(bad, "reason", errors)
        assert [v.field for v in errors.items] == ["reason"]


def test_a_name_fits_on_one_line() -> None:
    for bad in ("", "   ", "Ada\nLovelace", "A" * 101, "Ada\x00"):
        errors = Violations()
        fields.check_name(bad, "collector_name", errors)
        assert errors.items, bad
    errors = Violations()
    fields.check_name("Ada Lovelace", "collector_name", errors)
    assert errors.items == []


@pytest.mark.parametrize(
    ("latitude", "longitude", "radius", "bad"),
    [
        (52.37, 4.89, 10.0, set()),
        (math.nan, 4.89, 10.0, {"latitude"}),
        (52.37, math.inf, 10.0, {"longitude"}),
        (90.0001, -180.0001, 10.0, {"latitude", "longitude"}),
        (52.37, 4.89, math.inf, {"radius_km"}),
        (52.37, 4.89, -1.0, {"radius_km"}),
        (52.37, 4.89, 500.1, {"radius_km"}),
    ],
)
def test_a_search_names_a_point_on_earth_and_a_radius_of_at_most_500_km(
    latitude: float, longitude: float, radius: float, bad: set[str]
) -> None:
    errors = Violations()
    fields.check_point(latitude, longitude, errors)
    fields.check_radius(radius, errors)
    assert {v.field for v in errors.items} == bad


def test_an_unset_radius_searches_25_km() -> None:
    assert fields.check_radius(0, Violations()) == 25
