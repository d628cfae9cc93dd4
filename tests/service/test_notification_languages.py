"""Messages in the customer's language, over real gRPC and a real SMTP server: the locale of the
request picks the texts and the formats of amounts and dates."""

from __future__ import annotations

import pytest

from clickcollect.notifications.v1 import notifications_pb2 as pb
from tests.service.test_notifications_service import (
    free_port,
    notifications,
    order_id,
    smtp_server,
)
from tests.support.messages import SAMPLE_PARAMS, plain


def confirmation(order: str, locale: str, **params: str) -> pb.SendNotificationRequest:
    return pb.SendNotificationRequest(
        idempotency_key=f"order-{order}:order_confirmed",
        order_id=order,
        template=pb.TEMPLATE_ORDER_CONFIRMED,
        recipient="ada@example.com",
        params={**SAMPLE_PARAMS, "order_id": order, **params},
        locale=locale,
    )


@pytest.mark.parametrize(
    ("locale", "subject", "facts"),
    [
        (
            "fr-FR",
            "Votre commande {order} est confirmée",
            ["2 x Organic T-shirt white M (TSHIRT-WHT-M) : 39,98 €", "Total : 79,97 €"],
        ),
        ("nl", "Je bestelling {order} is bevestigd", ["Totaal: € 79,97", "di 1 jan 2030, 16:00"]),
        ("", "Your order {order} is confirmed", ["Total: €79.97", "Tue, Jan 1, 2030, 4:00 PM"]),
        ("sv-SE", "Your order {order} is confirmed", ["Total: €79.97"]),
    ],
)
async def test_the_confirmation_is_mailed_in_the_customers_language(
    database_url: str, locale: str, subject: str, facts: list[str]
) -> None:
    port, order = free_port(), order_id()
    async with (
        smtp_server(port) as inbox,
        notifications(database_url, smtp_host="127.0.0.1", smtp_port=port) as stub,
    ):
        sent = await stub.SendNotification(confirmation(order, locale))

    [mail] = inbox.messages
    assert mail["Subject"] == subject.format(order=order) == sent.notification.subject
    body = plain(mail.get_content())
    for fact in facts:
        assert fact in body


async def test_yen_are_mailed_without_decimals(database_url: str) -> None:
    port, order = free_port(), order_id()
    lines = '[{"sku": "MUG-CERAMIC", "name": "Ceramic mug", "quantity": 3, "amount_minor": 1500}]'
    request = confirmation(order, "en", currency_code="JPY", total_minor="1500", lines=lines)
    async with (
        smtp_server(port) as inbox,
        notifications(database_url, smtp_host="127.0.0.1", smtp_port=port) as stub,
    ):
        await stub.SendNotification(request)

    body = inbox.messages[0].get_content()
    assert "3 x Ceramic mug (MUG-CERAMIC): ¥1,500" in body
    assert "Total: ¥1,500" in body
