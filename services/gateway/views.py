"""The public API's views of orders and returns (clickcollect.gateway.v1), made from the order
service's records: the one place where an internal message becomes a public one.

A view carries exactly the fields its public message declares, each copied from the record's
field of the same name (nested messages the same way, enums by value name). What a view does not
declare never reaches a caller: a customer's order has no payment idempotency key, provider
reference or internal request id; a store terminal's order has no pickup code field at all."""

from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf.message import Message

from clickcollect.gateway.v1 import order_views_pb2 as views
from clickcollect.gateway.v1 import profiles_pb2
from clickcollect.orders.v1 import customers_pb2, orders_pb2

View = TypeVar("View", bound=Message)


def customer_order(order: orders_pb2.Order) -> views.CustomerOrder:
    """What the customer who placed the order sees (with the pickup code)."""
    return projected(order, views.CustomerOrder())


def store_order(order: orders_pb2.Order) -> views.StoreOrder:
    """What a store terminal sees (never the pickup code: the customer shows it)."""
    return projected(order, views.StoreOrder())


def customer_return(ret: orders_pb2.Return) -> views.CustomerReturn:
    return projected(ret, views.CustomerReturn())


def store_return(ret: orders_pb2.Return) -> views.StoreReturn:
    return projected(ret, views.StoreReturn())


def projected(record: Message, view: View, besides: frozenset[str] = frozenset()) -> View:
    """Fills `view` with the fields it declares, from `record`'s fields of the same names. A
    view field the record lacks is a programming error (KeyError), caught by the unit tests,
    unless it is one of `besides` (the caller fills those)."""
    for field in view.DESCRIPTOR.fields:
        if field.name in besides:
            continue
        source = record.DESCRIPTOR.fields_by_name[field.name]
        value = getattr(record, field.name)
        if field.is_repeated:
            _extend(getattr(view, field.name), value, field, source)
        elif field.message_type is not None:
            if record.HasField(field.name):
                _fill(value, getattr(view, field.name))
        elif field.enum_type is not None:
            setattr(view, field.name, _enum_value(value, field, source))
        else:
            setattr(view, field.name, value)
    return view


def _extend(target: Any, items: Any, field: Any, source: Any) -> None:
    """A repeated field (generated containers and descriptors are typed loosely, hence Any)."""
    if field.message_type is not None:
        for item in items:
            _fill(item, target.add())
    elif field.enum_type is not None:
        target.extend(_enum_value(item, field, source) for item in items)
    else:
        target.extend(items)


def _fill(record: Message, view: Message) -> None:
    """Shared messages (Money, Timestamp) are copied whole; public ones field by field."""
    if view.DESCRIPTOR.full_name == record.DESCRIPTOR.full_name:
        view.CopyFrom(record)
    else:
        projected(record, view)


def _enum_value(number: int, field: Any, source: Any) -> int:
    """The public enum's value of the same name as the record's (ORDER_STATE_PICKED_UP)."""
    name = source.enum_type.values_by_number[number].name
    return int(field.enum_type.values_by_name[name].number)


def customer_profile(profile: customers_pb2.CustomerProfile) -> profiles_pb2.CustomerProfile:
    """The customer's own profile, as they see it."""
    return projected(profile, profiles_pb2.CustomerProfile())


def customer_summary(profile: customers_pb2.CustomerProfile) -> profiles_pb2.CustomerSummary:
    """A customer as a store terminal sees them: contact and locale, and whether a loyalty card
    is linked (not its number, nor any other identity)."""
    card = customers_pb2.IDENTITY_KIND_LOYALTY_CARD
    return profiles_pb2.CustomerSummary(
        customer_id=profile.customer_id,
        email=profile.email,
        phone=profile.phone,
        locale=profile.locale,
        has_loyalty_card=any(identity.kind == card for identity in profile.identities),
    )
