"""What the workflows tell the notifications service about a message: raw values built from the
order and the store, which the templates then show in the reader's language."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from clickcollect.stores.v1 import stores_pb2
from services.notifications.domain import Template
from services.notifications.templates import render, template_params
from tests.support.messages import plain
from workflows.contracts.addresses import one_line
from workflows.contracts.orders import OpeningHoursRow, OrderLineInput, PickupStore
from workflows.shared.activities import local_times
from workflows.shared.message_params import (
    MessageLine,
    basket_params,
    lines_param,
    merged,
    priced,
    store_params,
)

LINES = [
    OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 2, 1999),
    OrderLineInput("MUG-CERAMIC", "Ceramic mug", 1, 899),
]
STORE = PickupStore(
    "STORE-001",
    "Amsterdam Centraal",
    "Europe/Amsterdam",
    120,
    3,
    [OpeningHoursRow(2, "09:00", "21:00"), OpeningHoursRow(7, "12:00", "18:00")],
    address="Stationsplein 12, 1012 AB Amsterdam",
)


def test_the_basket_goes_as_lines_with_their_amounts_and_the_total_in_minor_units() -> None:
    basket = basket_params(LINES, "EUR")

    assert basket["total_minor"] == "4897" and basket["currency_code"] == "EUR"
    assert json.loads(basket["lines"]) == [
        {
            "sku": "TSHIRT-WHT-M",
            "name": "Organic T-shirt white M",
            "quantity": 2,
            "amount_minor": 3998,
        },
        {"sku": "MUG-CERAMIC", "name": "Ceramic mug", "quantity": 1, "amount_minor": 899},
    ]


def test_cancelled_units_are_priced_at_their_quantities_only() -> None:
    assert json.loads(priced(LINES, {"TSHIRT-WHT-M": 1})) == [
        {
            "sku": "TSHIRT-WHT-M",
            "name": "Organic T-shirt white M",
            "quantity": 1,
            "amount_minor": 1999,
        }
    ]


def test_a_line_without_amount_or_name_still_names_its_item() -> None:
    assert json.loads(lines_param([MessageLine("MUG", "", 1)])) == [
        {"sku": "MUG", "name": "MUG", "quantity": 1}
    ]


def test_the_store_goes_with_its_address_and_hours() -> None:
    assert store_params(STORE) == {
        "store_name": "Amsterdam Centraal",
        "store_address": "Stationsplein 12, 1012 AB Amsterdam",
        "opening_hours": "2 09:00-21:00;7 12:00-18:00",
    }


def test_an_address_reads_on_one_line_the_way_its_country_writes_it() -> None:
    dutch = stores_pb2.Address(line1="Fokkerweg 300", city="Amsterdam", postal_code="1438 AN")
    dutch.country_code = "NL"
    british = stores_pb2.Address(
        line1="1 Oxford St", city="London", postal_code="W1D 1AN", country_code="GB"
    )
    assert one_line(dutch) == "Fokkerweg 300, 1438 AN Amsterdam"
    assert one_line(british) == "1 Oxford St, London W1D 1AN"
    assert one_line(stores_pb2.Address()) == ""


def test_moments_go_as_utc_iso_with_the_stores_zone() -> None:
    at = datetime(2030, 1, 1, 16, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert local_times({"ready_by": at}, "Europe/Amsterdam") == {
        "ready_by": "2030-01-01T15:00:00+00:00",
        "time_zone": "Europe/Amsterdam",
    }
    assert local_times({}, "Nowhere/Else") == {"time_zone": "UTC"}


def test_what_the_order_workflow_sends_makes_a_whole_confirmation_and_ready_message() -> None:
    tuesday = "2030-01-01T08:00:00+00:00"
    confirmed = merged(
        {"order_id": "ORD-0123456789", "ready_by": tuesday, "time_zone": "Europe/Amsterdam"},
        store_params(STORE),
        basket_params(LINES, "EUR"),
    )
    ready = merged(
        {"order_id": "ORD-0123456789", "pickup_code": "482913", "collect_by": tuesday},
        {"sent_at": tuesday, "time_zone": "Europe/Amsterdam"},
        store_params(STORE),
    )
    assert template_params(Template.ORDER_CONFIRMED) <= confirmed.keys()
    assert template_params(Template.READY_FOR_PICKUP) <= ready.keys()

    confirmation = plain(render(Template.ORDER_CONFIRMED, confirmed, "fr").body)
    assert "2 x Organic T-shirt white M (TSHIRT-WHT-M) : 39,98 €" in confirmation
    assert "Total : 48,97 €" in confirmation
    pickup = plain(render(Template.READY_FOR_PICKUP, ready, "nl").body)
    assert "Adres: Stationsplein 12, 1012 AB Amsterdam" in pickup
    assert "Vandaag geopend: 09:00\u201321:00" in pickup
