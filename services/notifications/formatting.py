"""How a message shows amounts, moments, opening hours and order lines to its reader: with
Babel, in the reader's locale; the sender passes raw values (minor units and a currency code,
ISO-8601 moments and the store's time zone, hours as rows), because only this service knows
who reads the message.

A value that is not in the raw form (a caller that formatted it already) is shown as given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_interval, format_skeleton, format_time
from babel.numbers import format_currency, get_currency_precision

# Every template exists in each of these (templates/<language>/); English is the fallback.
LANGUAGES = ("en", "fr", "nl")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Reader:
    """The language of the templates and the locale of the formats (e.g. "fr" and fr_BE)."""

    language: str
    locale: Locale


def reader_of(tag: str) -> Reader:
    """A BCP 47 tag ("fr", "fr-BE", "nl_NL"); empty, unknown or untranslated: English."""
    try:
        locale = Locale.parse(tag.strip().replace("-", "_")) if tag.strip() else None
    except (UnknownLocaleError, ValueError, TypeError):
        locale = None
    if locale is None or locale.language not in LANGUAGES:
        return Reader(DEFAULT_LANGUAGE, Locale.parse(DEFAULT_LANGUAGE))
    return Reader(locale.language, locale)


def money(minor: str | int, currency: str, locale: Locale) -> str:
    """Minor units as the currency writes them: JPY 1500 → "¥1,500" (en), EUR 1250 → "12,50 €"
    (fr)."""
    try:
        units = int(minor)
    except (TypeError, ValueError):
        return str(minor)
    code = currency.strip().upper()
    digits = get_currency_precision(code)
    return format_currency(Decimal(units).scaleb(-digits), code, locale=locale)


def zone_of(time_zone: str) -> tzinfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _parsed(moment: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(moment.strip())
    except (AttributeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def date_time(moment: str, time_zone: str, locale: Locale) -> str:
    """An ISO-8601 moment in the store's zone, as the reader writes it: "Fri, Jan 4, 2030,
    4:00 PM" (en), "ven. 4 janv. 2030, 16:00" (fr)."""
    at = _parsed(moment)
    if at is None:
        return moment
    local = at.astimezone(zone_of(time_zone))
    day = format_skeleton("yMMMEd", local, locale=locale)
    hour = format_time(local, "short", locale=locale)
    return str(locale.datetime_formats["medium"]).format(hour, day)


def date_only(moment: str, time_zone: str, locale: Locale) -> str:
    """The day of an ISO-8601 moment in the store's zone: "Fri, Jan 4, 2030" (en)."""
    at = _parsed(moment)
    if at is None:
        return moment
    return format_skeleton("yMMMEd", at.astimezone(zone_of(time_zone)), locale=locale)


def hours_on(rows: str, moment: str, time_zone: str, locale: Locale) -> str:
    """The opening hours on the day of `moment` in the store's zone, from rows written
    "1 09:00-21:00;2 09:00-21:00;…" (ISO weekday, opens-closes): "9:00 AM - 9:00 PM" (en),
    "09:00 - 21:00" (fr), with the locale's own dash and spaces; empty when the store is
    closed that day."""
    at = _parsed(moment)
    if at is None:
        return ""
    weekday = at.astimezone(zone_of(time_zone)).isoweekday()
    clock = "Hm" if "H" in str(locale.time_formats["short"].pattern) else "hm"
    spans = [
        format_interval(opens, closes, clock, locale=locale)
        for day, opens, closes in _rows(rows)
        if day == weekday
    ]
    return ", ".join(spans)


def _rows(text: str) -> list[tuple[int, time, time]]:
    rows = []
    for row in text.split(";"):
        day, _, span = row.strip().partition(" ")
        opens, _, closes = span.partition("-")
        try:
            rows.append((int(day), time.fromisoformat(opens), time.fromisoformat(closes)))
        except ValueError:
            continue  # not a row: nothing to show for it
    return sorted(rows)


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    quantity: int
    amount_minor: int | None = None


def lines(text: str) -> list[Line]:
    """Order lines from their JSON form, `[{"sku", "name", "quantity", "amount_minor"}]`
    (the amount optional); empty when the text is not that."""
    try:
        rows = json.loads(text)
    except (TypeError, ValueError):
        return []
    if not isinstance(rows, list):
        return []
    return [_line(row) for row in rows if isinstance(row, dict) and _is_int(row.get("quantity"))]


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _line(row: dict[str, object]) -> Line:
    sku = str(row.get("sku", ""))
    amount = row.get("amount_minor")
    quantity = row["quantity"]
    assert isinstance(quantity, int)
    shown = amount if isinstance(amount, int) and _is_int(amount) else None
    return Line(sku, str(row.get("name") or sku), quantity, shown)
