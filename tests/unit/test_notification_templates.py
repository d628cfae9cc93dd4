"""Every message in every language: the same templates and params everywhere, each rendering
with realistic params in the reader's language and formats."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.notifications.domain import Template
from services.notifications.formatting import LANGUAGES
from services.notifications.templates import (
    OPTIONAL_PARAMS,
    TEMPLATE_DIR,
    declared_params,
    render,
    shown_params,
    template_params,
)
from tests.support.messages import SAMPLE_PARAMS, WEEK_HOURS, plain


def files_in(language: str) -> set[str]:
    return {path.name for path in Path(TEMPLATE_DIR, language).glob("*.txt.j2")}


def test_every_language_has_every_template_and_nothing_else() -> None:
    expected = {f"{template.value}.txt.j2" for template in Template}
    assert {language: files_in(language) for language in LANGUAGES} == {
        language: expected for language in LANGUAGES
    }
    assert sorted(p.name for p in TEMPLATE_DIR.iterdir() if p.is_dir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("template", list(Template))
def test_a_template_takes_the_same_params_in_every_language(template: Template) -> None:
    english = declared_params(template, "en")
    assert {lang: declared_params(template, lang) for lang in LANGUAGES} == {
        lang: english for lang in LANGUAGES
    }


@pytest.mark.parametrize("locale", ["en", "fr", "nl", "fr-BE", "nl-NL", "en-GB"])
@pytest.mark.parametrize("template", list(Template))
def test_every_template_renders_in_every_language_with_realistic_params(
    template: Template, locale: str
) -> None:
    message = render(template, SAMPLE_PARAMS, locale)

    text = plain(message.subject + "\n" + message.body)
    assert message.subject and "\n" not in message.subject
    assert "ORD-0123456789" in text
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert "2030-01" not in text  # no raw moment left
    assert "\n\n\n" not in message.body


ENGLISH = {
    Template.ORDER_CONFIRMED: [
        "2 x Organic T-shirt white M (TSHIRT-WHT-M): €39.98",
        "1 x Desk lamp (LAMP-DESK-01): €39.99",
        "Total: €79.97",
        "Amsterdam Centraal, Stationsplein 12, 1012 AB Amsterdam",
        "Tue, Jan 1, 2030, 4:00 PM",
    ],
    Template.READY_FOR_PICKUP: [
        "482913",
        "Address: Stationsplein 12, 1012 AB Amsterdam",
        "Open today: 9:00 AM \u2013 9:00 PM",
        "Fri, Jan 4, 2030, 4:00 PM",
    ],
    Template.PICKUP_REMINDER: ["482913", "Stationsplein 12", "Fri, Jan 4, 2030, 4:00 PM"],
    Template.ORDER_DELAYED: ["Amsterdam Centraal", "Tue, Jan 1, 2030, 4:00 PM"],
    Template.LINES_CANCELLED: [
        "1 x Desk lamp",
        "€39.99 released",
        "The rest of your order (€39.98)",
    ],
    Template.RETURN_AUTHORIZED: [
        "RMA-0123456789",
        "Schiphol Distribution Centre\n  Fokkerweg 300, 1438 AN Amsterdam",
        "Tue, Jan 15, 2030, 4:00 PM",
    ],
    Template.RETURN_REFUNDED: ["your refund of €19.99", "Amsterdam Zuid", "2 x Organic T-shirt"],
    Template.STORE_SALE_RECEIPT: ["R-2002-0001", "Total: €79.97", "2 x Organic T-shirt white M"],
    Template.REFUND_FAILED: ["€19.99", "retry_refund"],
    Template.PICK_OVERDUE: ["STORE-001", "Tue, Jan 1, 2030, 3:00 PM"],
    Template.TRANSFER_LATE: ["transfer-ORD-0123456789-1", "DC-01", "not been received"],
}


@pytest.mark.parametrize("template", list(ENGLISH))
def test_what_each_english_message_tells_its_reader(template: Template) -> None:
    message = render(template, SAMPLE_PARAMS, "en")
    text = plain(message.subject + "\n" + message.body)
    for fact in ENGLISH[template]:
        assert fact in text


def test_the_confirmation_in_french_and_dutch_uses_their_money_and_dates() -> None:
    french = plain(render(Template.ORDER_CONFIRMED, SAMPLE_PARAMS, "fr").body)
    dutch = plain(render(Template.ORDER_CONFIRMED, SAMPLE_PARAMS, "nl").body)

    assert "2 x Organic T-shirt white M (TSHIRT-WHT-M) : 39,98 €" in french
    assert "Total : 79,97 €" in french
    assert "mar. 1 janv. 2030, 16:00" in french
    assert "Totaal: € 79,97" in dutch
    assert "di 1 jan 2030, 16:00" in dutch


def test_yen_amounts_have_no_decimals_in_a_message() -> None:
    params = {**SAMPLE_PARAMS, "currency_code": "JPY", "total_minor": "1500"}
    assert "Total: ¥1,500" in render(Template.ORDER_CONFIRMED, params, "en").body
    assert "Total : 1 500 JPY" in plain(render(Template.ORDER_CONFIRMED, params, "fr").body)


def test_ready_for_pickup_tells_a_store_closed_today_and_hours_in_the_readers_language() -> None:
    sunday = {**SAMPLE_PARAMS, "sent_at": "2030-01-06T09:00:00+00:00"}
    no_sunday = {**sunday, "opening_hours": WEEK_HOURS.rsplit(";", 1)[0]}

    assert "Vandaag geopend: 12:00\u201318:00" in plain(
        render(Template.READY_FOR_PICKUP, sunday, "nl").body
    )
    assert "Ouvert aujourd'hui : 12:00 \u2013 18:00" in plain(
        render(Template.READY_FOR_PICKUP, sunday, "fr").body
    )
    assert "The store is closed today." in render(Template.READY_FOR_PICKUP, no_sunday, "en").body


def test_today_is_the_day_the_message_is_rendered_unless_the_sender_says() -> None:
    params = {k: v for k, v in SAMPLE_PARAMS.items() if k != "sent_at"}
    sunday = datetime(2030, 1, 6, 9, tzinfo=UTC)
    body = render(Template.READY_FOR_PICKUP, params, "en", now=sunday).body
    assert "Open today: 12:00 \u2013 6:00 PM" in plain(body)


@pytest.mark.parametrize("locale", ["", "xx", "de", "!!"])
def test_an_unknown_or_empty_locale_reads_english(locale: str) -> None:
    message = render(Template.ORDER_CONFIRMED, SAMPLE_PARAMS, locale)
    assert message.subject == "Your order ORD-0123456789 is confirmed"
    assert "Total: €79.97" in message.body


def test_optional_params_left_out_leave_their_lines_out() -> None:
    needed = {name: SAMPLE_PARAMS[name] for name in template_params(Template.READY_FOR_PICKUP)}
    body = render(Template.READY_FOR_PICKUP, needed, "en").body
    assert "Address" not in body and "Open today" not in body and "closed" not in body
    assert "482913" in body
    mail_return = {
        name: SAMPLE_PARAMS[name] for name in template_params(Template.RETURN_AUTHORIZED)
    }
    assert "our distribution centre" in render(Template.RETURN_AUTHORIZED, mail_return, "en").body
    assert set(OPTIONAL_PARAMS) & template_params(Template.READY_FOR_PICKUP) == set()


def test_the_short_form_shows_moments_and_amounts_for_the_reader() -> None:
    shown = shown_params(SAMPLE_PARAMS, "fr")
    assert plain(shown["collect_by"]) == "ven. 4 janv. 2030, 16:00"
    assert plain(shown["refund"]) == "19,99 €"
    assert plain(shown["total"]) == "79,97 €"
    assert shown["pickup_code"] == "482913"
