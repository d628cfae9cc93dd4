"""The payment link: its code is the order's own (an HMAC under the signing key, so nobody can
make one for another order; still good after the keys rotate), and the page behind it sees
what is bought and until when, never the customer, the pickup code or the payments."""

from __future__ import annotations

from datetime import timedelta

from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.gateway.v1 import order_views_pb2, payment_links_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.timeconv import utcnow
from services.gateway.keys import KeyRing
from services.gateway.payment_links import LinkTerms, is_link_code, link_code, new_link
from services.gateway.views import projected

SECRET = "a-signing-secret-for-tests-0123456789abcdef"
NEW_SECRET = "the-next-signing-secret-0123456789abcdef"


def test_a_link_code_belongs_to_one_order_and_one_secret() -> None:
    code = link_code(SECRET, "ORD-0000000001")
    assert len(code) == 32 and int(code, 16) >= 0
    assert code == link_code(SECRET, "ORD-0000000001")
    assert code != link_code(SECRET, "ORD-0000000002")
    assert code != link_code(SECRET + "x", "ORD-0000000001")


def test_a_new_link_names_the_page_the_order_and_its_code_and_lapses_after_the_window() -> None:
    before = utcnow()
    keys = KeyRing.single(SECRET)
    link = new_link(keys, "ORD-0000000001", LinkTerms("https://shop.example/app/#/pay/", 6))
    code = link_code(SECRET, "ORD-0000000001")
    assert link.url == f"https://shop.example/app/#/pay/ORD-0000000001/{code}"
    assert link.code == code
    window = link.due - before
    assert timedelta(hours=6) - timedelta(seconds=1) <= window <= timedelta(hours=6, seconds=5)
    assert link.due.microsecond == 0


def test_a_link_made_before_the_keys_rotated_stays_good_while_its_key_is_kept() -> None:
    before = KeyRing({"2026-11": SECRET}, "2026-11")
    during = KeyRing({"2026-11": SECRET, "2026-12": NEW_SECRET}, "2026-12")
    after = KeyRing({"2026-12": NEW_SECRET}, "2026-12")
    old = new_link(before, "ORD-0000000001", LinkTerms()).code
    new = new_link(during, "ORD-0000000001", LinkTerms()).code

    assert new == link_code(NEW_SECRET, "ORD-0000000001") != old
    assert is_link_code(during, "ORD-0000000001", old)
    assert is_link_code(during, "ORD-0000000001", new.upper())
    assert is_link_code(after, "ORD-0000000001", new)
    assert not is_link_code(after, "ORD-0000000001", old)
    assert not is_link_code(during, "ORD-0000000002", old)


def test_the_page_sees_what_is_bought_and_until_when_and_nothing_of_the_customer() -> None:
    record = pb.Order(
        order_id="ORD-0000000001",
        customer_id="cust-1001",
        customer_email="ada@example.com",
        state=pb.ORDER_STATE_AWAITING_PAYMENT,
        pickup_store_id="STORE-001",
        pickup_code="482913",
        payment_due_time=Timestamp(seconds=1_900_000_000),
        lines=[pb.OrderLine(line_number=1, sku="LAMP-DESK-01", name="Desk lamp", quantity=1)],
        payments=[pb.Payment(idempotency_key="idem-key-4711")],
    )
    view = projected(record, payment_links_pb2.OrderToPay(), frozenset({"pickup_store_name"}))
    assert view.state == order_views_pb2.ORDER_STATE_AWAITING_PAYMENT
    assert view.payment_due_time.seconds == 1_900_000_000
    assert [(line.sku, line.quantity) for line in view.lines] == [("LAMP-DESK-01", 1)]
    sent = view.SerializeToString()
    for secret in (b"cust-1001", b"ada@example.com", b"482913", b"idem-key-4711"):
        assert secret not in sent
