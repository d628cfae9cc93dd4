"""How messages show amounts, moments and opening hours to their reader: Babel, per currency
and per locale."""

from __future__ import annotations

import pytest
from babel import Locale

from services.notifications.formatting import (
    date_only,
    date_time,
    hours_on,
    lines,
    money,
    reader_of,
)
from tests.support.messages import plain

EN, FR, NL = Locale("en"), Locale("fr"), Locale("nl")
AMSTERDAM = "Europe/Amsterdam"


@pytest.mark.parametrize(
    ("minor", "currency", "locale", "shown"),
    [
        (1500, "JPY", EN, "¥1,500"),
        (1500, "JPY", FR, "1 500 JPY"),
        (1500, "JPY", Locale("ja"), "￥1,500"),
        (1250, "EUR", FR, "12,50 €"),
        (1250, "EUR", NL, "€ 12,50"),
        (1250, "EUR", EN, "€12.50"),
        (1250, "GBP", Locale("en", "GB"), "£12.50"),
        (123450, "USD", EN, "$1,234.50"),
        (5, "EUR", FR, "0,05 €"),
        (0, "EUR", EN, "€0.00"),
    ],
)
def test_an_amount_is_shown_in_its_currency_as_the_reader_writes_it(
    minor: int, currency: str, locale: Locale, shown: str
) -> None:
    assert plain(money(str(minor), currency, locale)) == shown


def test_yen_have_no_decimals_in_any_locale() -> None:
    for locale in (EN, FR, NL):
        shown = money("1500", "JPY", locale)
        assert ".00" not in shown and ",00" not in shown


def test_french_keeps_its_typography() -> None:
    assert money("1250", "EUR", FR) == "12,50\u00a0€"
    assert money("1500", "JPY", FR) == "1\u202f500\u00a0JPY"


def test_an_amount_a_caller_formatted_already_is_shown_as_given() -> None:
    assert money("39.98 EUR", "EUR", FR) == "39.98 EUR"


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        (EN, "Fri, Jan 4, 2030, 4:00 PM"),
        (FR, "ven. 4 janv. 2030, 16:00"),
        (NL, "vr 4 jan 2030, 16:00"),
    ],
)
def test_a_moment_is_shown_in_the_stores_zone_as_the_reader_writes_dates(
    locale: Locale, shown: str
) -> None:
    assert plain(date_time("2030-01-04T15:00:00+00:00", AMSTERDAM, locale)) == shown


def test_the_stores_zone_decides_the_day_and_the_hour() -> None:
    late_evening_utc = "2030-01-04T23:30:00+00:00"
    assert plain(date_time(late_evening_utc, AMSTERDAM, EN)) == "Sat, Jan 5, 2030, 12:30 AM"
    assert plain(date_time(late_evening_utc, "America/New_York", EN)) == "Fri, Jan 4, 2030, 6:30 PM"
    assert plain(date_time(late_evening_utc, "not/a-zone", EN)) == "Fri, Jan 4, 2030, 11:30 PM"
    assert date_only(late_evening_utc, AMSTERDAM, FR) == "sam. 5 janv. 2030"


def test_a_moment_without_offset_is_utc_and_text_that_is_no_moment_stays() -> None:
    assert plain(date_time("2030-01-04T15:00:00", AMSTERDAM, NL)) == "vr 4 jan 2030, 16:00"
    assert date_time("Friday", AMSTERDAM, NL) == "Friday"


WEEK = ";".join(f"{day} 09:00-21:00" for day in range(1, 7)) + ";7 12:00-18:00"


@pytest.mark.parametrize(
    ("moment", "locale", "shown"),
    [
        ("2030-01-01T08:00:00+00:00", EN, "9:00 AM \u2013 9:00 PM"),  # Tuesday
        ("2030-01-01T08:00:00+00:00", FR, "09:00 \u2013 21:00"),
        ("2030-01-01T08:00:00+00:00", NL, "09:00\u201321:00"),
        ("2030-01-06T08:00:00+00:00", NL, "12:00\u201318:00"),  # Sunday
        ("2030-01-05T23:30:00+00:00", FR, "12:00 \u2013 18:00"),  # Sunday already in Amsterdam
    ],
)
def test_todays_opening_hours_are_those_of_the_day_in_the_stores_zone(
    moment: str, locale: Locale, shown: str
) -> None:
    assert plain(hours_on(WEEK, moment, AMSTERDAM, locale)) == shown


def test_a_closed_day_has_no_hours_and_a_split_day_has_both() -> None:
    no_sunday = ";".join(f"{day} 09:00-21:00" for day in range(1, 7))
    assert hours_on(no_sunday, "2030-01-06T12:00:00+00:00", AMSTERDAM, FR) == ""
    split = "2 13:00-18:00;2 09:00-12:00;x nonsense"
    assert plain(hours_on(split, "2030-01-01T08:00:00+00:00", AMSTERDAM, FR)) == (
        "09:00 \u2013 12:00, 13:00 \u2013 18:00"
    )


@pytest.mark.parametrize(
    ("tag", "language", "locale"),
    [
        ("", "en", "en"),
        ("xx", "en", "en"),
        ("de-DE", "en", "en"),  # no German templates: all English, English formats
        ("not a locale!", "en", "en"),
        ("fr", "fr", "fr"),
        ("fr-BE", "fr", "fr_BE"),
        ("nl_NL", "nl", "nl_NL"),
        ("EN-gb", "en", "en_GB"),
    ],
)
def test_the_reader_is_english_unless_we_speak_their_language(
    tag: str, language: str, locale: str
) -> None:
    reader = reader_of(tag)
    assert (reader.language, str(reader.locale)) == (language, locale)


def test_order_lines_are_read_from_json_and_anything_else_is_no_lines() -> None:
    found = lines('[{"sku": "MUG-CERAMIC", "name": "Ceramic mug", "quantity": 2}]')
    assert [(x.sku, x.name, x.quantity, x.amount_minor) for x in found] == [
        ("MUG-CERAMIC", "Ceramic mug", 2, None)
    ]
    assert lines('[{"sku": "MUG", "quantity": 1, "amount_minor": 899}]')[0].name == "MUG"
    assert lines("2 x Ceramic mug") == []
    assert lines('{"sku": "MUG"}') == []
    assert lines('[{"sku": "MUG", "quantity": "two"}]') == []
