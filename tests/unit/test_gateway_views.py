"""The public API's views: a customer's order carries no payment secret or internal request id,
a store terminal's order no pickup code, and what they share is copied faithfully."""

from __future__ import annotations

from google.protobuf.descriptor import EnumDescriptor, FileDescriptor
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.gateway.v1 import checkout_pb2, order_views_pb2, stock_pb2, store_ops_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.gateway.views import customer_order, customer_return, store_order, store_return

SECRETS = ("idem-key-4711", "prov-ref-0815", "order-ORD-1:order_picked_up:pick-0001", "pick-0001")
PICKUP_CODE = "482913"


def a_return() -> pb.Return:
    return pb.Return(
        return_id="RET-0000000001",
        order_id="ORD-0000000001",
        customer_id="cust-1001",
        state=pb.RETURN_STATE_REFUNDED,
        method=pb.RETURN_METHOD_IN_STORE,
        receiving_location_id="STORE-002",
        lines=[
            pb.ReturnLine(
                line_number=1,
                sku="TSHIRT-WHT-M",
                quantity=1,
                condition=pb.ITEM_CONDITION_DAMAGED,
                refund_amount=Money(amount_minor=1999, currency_code="EUR"),
            )
        ],
        refund_total=Money(amount_minor=1999, currency_code="EUR"),
        override_reason="manager approved",
        overridden_by="associate-7",
        create_time=Timestamp(seconds=1_700_000_000),
    )


def an_order() -> pb.Order:
    """An order with every kind of part filled, secrets included."""
    return pb.Order(
        order_id="ORD-0000000001",
        customer_id="cust-1001",
        customer_email="ada@example.com",
        channel=pb.CHANNEL_APP,
        pickup_store_id="STORE-001",
        fulfillment_type=pb.FULFILLMENT_TYPE_SHIP_TO_STORE,
        state=pb.ORDER_STATE_PICKED_UP,
        lines=[
            pb.OrderLine(
                line_number=1,
                sku="TSHIRT-WHT-M",
                quantity=2,
                unit_price=Money(amount_minor=1999, currency_code="EUR"),
                allocations=[pb.Allocation(location_id="DC-01", quantity=2)],
                returned_quantity=1,
            )
        ],
        total=Money(amount_minor=3998, currency_code="EUR"),
        ready_by=Timestamp(seconds=1_700_000_100),
        pick_deadline=Timestamp(seconds=1_700_000_050),
        pickup_code=PICKUP_CODE,
        pick_overdue=True,
        timeline=[
            pb.OrderEvent(
                type="order_picked_up",
                state=pb.ORDER_STATE_PICKED_UP,
                request_id=SECRETS[2],
                client_request_id=SECRETS[3],
            )
        ],
        payments=[
            pb.Payment(
                payment_id="pay-1",
                operation=pb.PAYMENT_OPERATION_CAPTURE,
                status=pb.PAYMENT_STATUS_SUCCEEDED,
                amount=Money(amount_minor=3998, currency_code="EUR"),
                provider="sandbox",
                idempotency_key=SECRETS[0],
                provider_reference=SECRETS[1],
            )
        ],
        route_explanation=[pb.RouteCandidate(location_id="DC-01", verdict="CHOSEN")],
        shipments=[
            pb.Shipment(
                transfer_id="transfer-ORD-0000000001-1",
                state=pb.SHIPMENT_STATE_RECEIVED,
                lines=[pb.ShipmentLine(sku="TSHIRT-WHT-M", quantity=2)],
            )
        ],
        returns=[a_return()],
    )


def test_customer_order_carries_no_payment_secret_nor_request_id() -> None:
    shown = customer_order(an_order()).SerializeToString()
    for secret in SECRETS:
        assert secret.encode() not in shown


def test_customer_payments_have_no_field_for_a_secret() -> None:
    declared = set(order_views_pb2.Payment.DESCRIPTOR.fields_by_name)
    assert not declared & {"idempotency_key", "provider_reference", "provider", "payment_id"}
    assert "request_id" not in order_views_pb2.OrderEvent.DESCRIPTOR.fields_by_name
    assert "client_request_id" not in order_views_pb2.OrderEvent.DESCRIPTOR.fields_by_name


def test_customer_sees_the_pickup_code_and_what_the_order_is() -> None:
    shown = customer_order(an_order())
    assert shown.pickup_code == PICKUP_CODE
    assert shown.state == order_views_pb2.ORDER_STATE_PICKED_UP
    assert shown.channel == order_views_pb2.CHANNEL_APP
    assert (shown.total.amount_minor, shown.total.currency_code) == (3998, "EUR")
    assert shown.lines[0].allocations[0].location_id == "DC-01"
    assert shown.lines[0].returned_quantity == 1
    assert shown.payments[0].operation == order_views_pb2.PAYMENT_OPERATION_CAPTURE
    assert shown.timeline[0].type == "order_picked_up"
    assert shown.shipments[0].state == order_views_pb2.SHIPMENT_STATE_RECEIVED
    assert shown.shipments[0].lines[0].quantity == 2
    assert shown.ready_by.seconds == 1_700_000_100
    assert shown.returns[0].lines[0].condition == order_views_pb2.ITEM_CONDITION_DAMAGED


def test_customer_order_leaves_out_the_stores_working_data() -> None:
    shown = customer_order(an_order()).SerializeToString()
    assert b"manager approved" not in shown and b"associate-7" not in shown
    declared = set(order_views_pb2.CustomerOrder.DESCRIPTOR.fields_by_name)
    assert not declared & {"customer_id", "pick_deadline", "pick_overdue", "route_explanation"}


def test_store_order_has_no_pickup_code_field() -> None:
    assert "pickup_code" not in order_views_pb2.StoreOrder.DESCRIPTOR.fields_by_name
    shown = store_order(an_order())
    assert PICKUP_CODE.encode() not in shown.SerializeToString()
    for secret in SECRETS:
        assert secret.encode() not in shown.SerializeToString()


def test_store_order_keeps_what_the_terminal_works_with() -> None:
    shown = store_order(an_order())
    assert (shown.customer_id, shown.pick_overdue) == ("cust-1001", True)
    assert shown.pick_deadline.seconds == 1_700_000_050
    assert shown.route_explanation[0].verdict == "CHOSEN"
    assert shown.returns[0].overridden_by == "associate-7"


def test_an_endless_aisle_order_names_the_associate_to_both_and_the_terminal_to_the_store() -> None:
    order = an_order()
    order.placed_by_associate, order.placed_by_terminal = "Sam de Vries", "terminal-001-a"
    counter, mine = store_order(order), customer_order(order)
    assert (counter.placed_by_associate, counter.placed_by_terminal) == (
        "Sam de Vries",
        "terminal-001-a",
    )
    assert mine.placed_by_associate == "Sam de Vries"
    assert b"terminal-001-a" not in mine.SerializeToString()


def test_returns_views_differ_in_customer_and_override() -> None:
    mine, counter = customer_return(a_return()), store_return(a_return())
    assert (mine.return_id, mine.state) == ("RET-0000000001", order_views_pb2.RETURN_STATE_REFUNDED)
    assert b"associate-7" not in mine.SerializeToString()
    assert (counter.customer_id, counter.override_reason) == ("cust-1001", "manager approved")
    assert counter.refund_total.amount_minor == mine.refund_total.amount_minor == 1999


def _same_names(public: EnumDescriptor, internal: EnumDescriptor) -> bool:
    return [v.name for v in public.values] == [v.name for v in internal.values]


def test_every_internal_enum_value_has_its_public_copy() -> None:
    for name, public in order_views_pb2.DESCRIPTOR.enum_types_by_name.items():
        assert _same_names(public, pb.DESCRIPTOR.enum_types_by_name[name]), name


def _imports(file: FileDescriptor) -> set[str]:
    return {dependency.name for dependency in file.dependencies}


# google/api: the HTTP rules of the JSON paths (annotations, no messages of ours).
PUBLIC_IMPORTS = (
    "google/protobuf/",
    "google/api/",
    "clickcollect/common/",
    "clickcollect/gateway/",
)


def test_public_protos_import_no_internal_service() -> None:
    public = (checkout_pb2, store_ops_pb2, order_views_pb2, stock_pb2)
    for file in (module.DESCRIPTOR for module in public):
        internal = {name for name in _imports(file) if not name.startswith(PUBLIC_IMPORTS)}
        assert internal == set(), file.name
