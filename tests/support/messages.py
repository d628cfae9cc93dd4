"""Realistic params for every message template, as the workflows send them (raw values: minor
units, ISO-8601 moments in UTC, the store's time zone, lines as JSON), and a way to read
Babel's typography (narrow and no-break spaces) in assertions."""

from __future__ import annotations

import json

WEEK_HOURS = ";".join(f"{day} 09:00-21:00" for day in range(1, 7)) + ";7 12:00-18:00"
ORDER_LINES = json.dumps(
    [
        {
            "sku": "TSHIRT-WHT-M",
            "name": "Organic T-shirt white M",
            "quantity": 2,
            "amount_minor": 3998,
        },
        {"sku": "LAMP-DESK-01", "name": "Desk lamp", "quantity": 1, "amount_minor": 3999},
    ]
)
RETURNED_LINES = json.dumps(
    [{"sku": "TSHIRT-WHT-M", "name": "Organic T-shirt white M", "quantity": 1}]
)

SAMPLE_PARAMS = {
    "order_id": "ORD-0123456789",
    "store_id": "STORE-001",
    "store_name": "Amsterdam Centraal",
    "store_address": "Stationsplein 12, 1012 AB Amsterdam",
    "opening_hours": WEEK_HOURS,
    "time_zone": "Europe/Amsterdam",
    "sent_at": "2030-01-01T08:00:00+00:00",  # a Tuesday
    "ready_by": "2030-01-01T15:00:00+00:00",
    "pickup_code": "482913",
    "collect_by": "2030-01-04T15:00:00+00:00",
    "pick_deadline": "2030-01-01T14:00:00+00:00",
    "reason": "out of stock",
    "lines": ORDER_LINES,
    "total_minor": "7997",
    "currency_code": "EUR",
    "released_minor": "3999",
    "remaining_minor": "3998",
    "transfer_id": "transfer-ORD-0123456789-1",
    "source_id": "DC-01",
    "missing_step": "received",
    "return_id": "RET-0123456789",
    "rma_number": "RMA-0123456789",
    "expires_at": "2030-01-15T15:00:00+00:00",
    "return_to": "Schiphol Distribution Centre",
    "return_address": "Fokkerweg 300, 1438 AN Amsterdam",
    "refund_minor": "1999",
    "received_at": "Amsterdam Zuid",
    "receipt_number": "R-2002-0001",
    "attempts": "5",
    "associate": "Sam",
    "payment_link": "http://localhost:8088/#/pay/ORD-0123456789/0f1e2d3c4b5a69788796a5b4c3d2e1f0",
    "pay_by": "2030-01-02T15:00:00+00:00",
}


def plain(text: str) -> str:
    """Babel's narrow no-break, no-break and thin spaces as plain spaces."""
    return text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u2009", " ")
