"""Hostile requests for the public API, built from its descriptors: any method's request with
hostile strings (huge, unicode, control characters, NUL), numbers at and past every limit (NaN
and infinities for doubles), unknown enum numbers, repeated fields with many items, and raw
bytes; mixed with plausible values (ids that exist, skus of the fuzz catalogue) so that requests
also get past validation into the services and workflows."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

from services.common.paging import encode_token

F = FieldDescriptor
INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)
_INT_RANGES = {
    F.TYPE_INT32: INT32,
    F.TYPE_SINT32: INT32,
    F.TYPE_SFIXED32: INT32,
    F.TYPE_INT64: INT64,
    F.TYPE_SINT64: INT64,
    F.TYPE_SFIXED64: INT64,
    F.TYPE_UINT32: (0, 2**32 - 1),
    F.TYPE_FIXED32: (0, 2**32 - 1),
    F.TYPE_UINT64: (0, 2**64 - 1),
    F.TYPE_FIXED64: (0, 2**64 - 1),
}
EDGE_INTS = [0, 1, -1, 2, 49, 50, 51, 99, 100, 4950, 4951, 100_000, 1_000_001, 2**31 - 1, -(2**31)]
EDGE_INTS += [2**53 + 1, 2**63 - 1, -(2**63)]
EDGE_DOUBLES = [0.0, -0.0, 52.3791, 4.9003, 90.0, 90.000001, -90.0, 180.0, -180.0001, 500.0]
EDGE_DOUBLES += [500.1, 1e308, -1e308, 5e-324]
# Long strings by where they go: a field of the request, an item of a few, an item of a flood
# (so that a request stays well below the 4 MiB a server takes).
HUGE_SIZES = ([65, 129, 201, 255, 321, 501, 4_097, 70_000], [65, 129, 201, 501], [65, 129])
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "A\x00B",
    "\n\r\t",
    "\x1b[31mred",
    "' OR 1=1 --",
    '"; DROP TABLE orders; --',
    "%s%n%x",
    "../../etc/passwd",
    "\u202eevil",
    "\ufeffBOM",
    "😀" * 8,
    "null",
    "ORD-",
    "hold-",
    "transfer-ORD-0000000000-999999",
    "RMA-ÄÄÄÄÄÄÄÄÄÄ",
]


# Fields a well-behaved client often leaves out (a hold to convert, a partial pickup, …).
OFTEN_LEFT_OUT = {"hold_id", "override_reason", "page_token", "missing", "collected", "items"}
# … and the alternatives of which a request names one (a customer by id, e-mail, phone or card;
# a product by sku or search text).
OFTEN_LEFT_OUT |= {"email", "phone", "loyalty_card", "query"}


@dataclass
class Plausible:
    """Values that exist in the stack (or look as if they might), by field name. The pools of
    ids grow as the fuzz's own requests make orders, returns and transfers."""

    skus: list[str]
    order_ids: list[str]
    return_ids: list[str] = field(default_factory=lambda: ["RET-0000000000"])
    transfer_ids: list[str] = field(default_factory=lambda: ["transfer-ORD-0000000000-1"])
    store_ids: list[str] = field(default_factory=lambda: ["STORE-004", "STORE-005", "DC-01"])
    customer_ids: list[str] = field(default_factory=lambda: ["fuzz-cust-1", "fuzz-cust-2"])

    def learn(self, answer: Message) -> None:
        """Takes note of the ids in an answer of the public API."""
        order = getattr(answer, "order", None)
        if order is not None and order.order_id and order.order_id not in self.order_ids:
            self.order_ids.append(order.order_id)
            self.transfer_ids.extend(s.transfer_id for s in order.shipments)
        found = getattr(answer, "order_return", None)
        if found is not None and found.return_id and found.return_id not in self.return_ids:
            self.return_ids.append(found.return_id)

    def strategy(self, name: str) -> st.SearchStrategy[Any] | None:
        by_name: dict[str, st.SearchStrategy[Any]] = {
            "request_id": st.text(string.ascii_letters + string.digits + "_.:-", min_size=8).filter(
                lambda text: len(text) <= 128
            ),
            "sku": st.sampled_from([*self.skus, "NOPE-404"]),
            "skus": st.sampled_from([*self.skus, "NOPE-404"]),
            "query": st.sampled_from(["fuzz", "FUZZ-T", "mug", "zzz"]),
            "associate": st.sampled_from(["Sam de Vries", "associate-7"]),
            "email": st.sampled_from(["ada@example.com", "nobody@example.com"]),
            "phone": st.sampled_from(["+31612345678", "+31 6 0000 0000"]),
            "loyalty_card": st.sampled_from(["LC-1001-0001", "LC-9999"]),
            "order_id": _one_of_pool(self.order_ids),
            "store_id": st.sampled_from([*self.store_ids, "STORE-999"]),
            "pickup_store_id": st.sampled_from([*self.store_ids, "STORE-999"]),
            "customer_id": st.sampled_from([*self.customer_ids, "anonymous"]),
            "customer_email": st.sampled_from(["ada@example.com", "a@b.co", "x" * 64 + "@y.io"]),
            "payment_method": st.sampled_from(["pm_card_visa", "pm_card_declined", "tok_1"]),
            "hold_id": st.text("0123456789abcdef", min_size=32, max_size=32).map("hold-".__add__),
            "return_id": _one_of_pool(self.return_ids),
            "transfer_id": _one_of_pool(self.transfer_ids),
            "pickup_code": st.text(string.digits, min_size=6, max_size=6),
            "receipt_number": st.text(string.ascii_uppercase + string.digits, max_size=8),
            "page_token": st.integers(0, 10).map(encode_token),
            "collector_name": st.sampled_from(["Ada Lovelace", "Grace"]),
            "reason": st.text(string.ascii_letters + " ", max_size=30),
            "override_reason": st.sampled_from(["", "manager approved"]),
            "quantity": st.integers(1, 3),
            "page_size": st.integers(0, 60),
            "latitude": st.floats(52.2, 52.5),
            "longitude": st.floats(4.7, 5.0),
            "radius_km": st.floats(0, 30),
        }
        return by_name.get(name)


def _one_of_pool(pool: list[str]) -> st.SearchStrategy[str]:
    """An id from a pool that may grow while the fuzz runs."""
    return st.integers(0, 2**16).map(lambda n: pool[n % len(pool)])


def hostile_text(level: int) -> st.SearchStrategy[str]:
    """Strings no form would send; ``level`` 0 in a field, 1 in a few items, 2 in a flood."""
    sizes = HUGE_SIZES[level]
    repeated = st.builds(
        lambda piece, n: piece * n,
        st.sampled_from(["A", "é", "界", "\x00", "9", "😀", "\n"]),
        st.sampled_from(sizes),
    )
    return st.one_of(
        st.text(max_size=40),
        st.text(st.characters(codec="utf-8", categories=["Cc", "Cf", "Zs", "Mn"]), max_size=40),
        st.sampled_from(ODD_TEXT),
        repeated,
    )


class Requests:
    """Strategies for any request message of the public API: hostile in any field; plausible
    in every field (to get past validation); plausible but for one hostile field."""

    def __init__(self, plausible: Plausible) -> None:
        self.plausible = plausible

    def any(self, descriptor: Descriptor) -> st.SearchStrategy[Message]:
        mutated = self.mutated(descriptor)
        return st.one_of(self.message(descriptor), self.likely(descriptor), mutated, mutated)

    def message(self, descriptor: Descriptor, level: int = 0) -> st.SearchStrategy[Message]:
        fields = {f.name: self._field(f, level) for f in descriptor.fields}
        return _message_of(descriptor, fields)

    def likely(self, descriptor: Descriptor) -> st.SearchStrategy[Message]:
        """Every field plausible: most such requests get past validation."""
        fields = {f.name: self._likely_field(f) for f in descriptor.fields}
        cls = message_factory.GetMessageClass(descriptor)
        return st.fixed_dictionaries(fields).map(lambda values: _build(cls, values))

    def mutated(self, descriptor: Descriptor) -> st.SearchStrategy[Message]:
        """A plausible request with one field hostile."""
        return st.one_of(
            [
                st.tuples(self.likely(descriptor), self._field(f, 0)).map(_replacing(f.name))
                for f in descriptor.fields
            ]
        )

    def _likely_field(self, f: FieldDescriptor) -> st.SearchStrategy[Any]:
        if f.type == F.TYPE_MESSAGE:
            assert f.message_type is not None
            single: st.SearchStrategy[Any] = self.likely(f.message_type)
        elif f.type == F.TYPE_ENUM:
            assert f.enum_type is not None
            single = st.sampled_from([v.number for v in f.enum_type.values if v.number] or [0])
        else:
            named = self.plausible.strategy(f.name)
            single = named if named is not None else self._single(f, 1)
        likely = st.lists(single, min_size=1, max_size=3) if f.is_repeated else single
        if f.name in OFTEN_LEFT_OUT:
            return st.one_of(st.just([] if f.is_repeated else f.default_value), likely)
        return likely

    def _field(self, f: FieldDescriptor, level: int) -> st.SearchStrategy[Any]:
        """A field's value; a repeated field has a few items, many, or (in the request itself)
        a flood. Inside an item of a flood only a few, inside an item of many no flood: a flood
        of messages that each hold a flood would pass the 4 MiB a server takes."""
        if not f.is_repeated:
            return self._single(f, level)
        item = self._single(f, max(level, 1))
        few = st.lists(item, max_size=4)
        if level >= 2:
            return few
        many = st.lists(item, min_size=45, max_size=60)
        if level == 1:
            return st.one_of(few, few, few, few, many)
        tiny = self._single(f, 2)
        flood = st.tuples(st.lists(tiny, max_size=3), tiny, st.integers(300, 1500)).map(
            lambda drawn: drawn[0] + [drawn[1]] * drawn[2]
        )
        return st.one_of(few, few, few, few, many, flood)

    def _single(self, f: FieldDescriptor, level: int) -> st.SearchStrategy[Any]:
        if f.type == F.TYPE_MESSAGE:
            assert f.message_type is not None
            return self.message(f.message_type, level)
        if f.type == F.TYPE_STRING:
            plausible = self.plausible.strategy(f.name)
            hostile = hostile_text(level)
            return hostile if plausible is None else st.one_of(plausible, hostile)
        if f.type == F.TYPE_BOOL:
            return st.booleans()
        if f.type == F.TYPE_DOUBLE or f.type == F.TYPE_FLOAT:
            return st.one_of(st.floats(), st.sampled_from(EDGE_DOUBLES), st.floats(-200, 200))
        if f.type == F.TYPE_ENUM:
            assert f.enum_type is not None
            known = [value.number for value in f.enum_type.values]
            return st.one_of(st.sampled_from(known), st.integers(*INT32))
        if f.type == F.TYPE_BYTES:
            return st.binary(max_size=64)
        low, high = _INT_RANGES[f.type]
        edges = [n for n in EDGE_INTS if low <= n <= high]
        return st.one_of(st.integers(-3, 120).filter(lambda n: low <= n), st.sampled_from(edges))


def _replacing(name: str) -> Callable[[tuple[Message, Any]], Message]:
    def replaced(pair: tuple[Message, Any]) -> Message:
        base, value = pair
        return _build(type(base), {name: value}, base)

    return replaced


def _message_of(
    descriptor: Descriptor, fields: dict[str, st.SearchStrategy[Any]]
) -> st.SearchStrategy[Message]:
    cls = message_factory.GetMessageClass(descriptor)
    return st.fixed_dictionaries({}, optional=fields).map(lambda values: _build(cls, values))


def _build(
    cls: Callable[[], Message], values: dict[str, Any], base: Message | None = None
) -> Message:
    message = cls()
    if base is not None:
        message.CopyFrom(base)
    for name, value in values.items():
        message.ClearField(name)
        target = getattr(message, name)
        if isinstance(value, list):
            if value and isinstance(value[0], Message):
                for item in value:
                    target.add().CopyFrom(item)
            else:
                target.extend(value)
        elif isinstance(value, Message):
            target.CopyFrom(value)
        else:
            setattr(message, name, value)
    return message


def raw_payloads(valid: st.SearchStrategy[Message]) -> st.SearchStrategy[bytes]:
    """Bytes for any method: random ones, and valid requests cut short or with junk around."""
    encoded = valid.map(lambda message: message.SerializeToString())
    return st.one_of(
        st.binary(max_size=64),
        st.binary(min_size=64, max_size=2048),
        st.tuples(encoded, st.integers(1, 64)).map(lambda pair: pair[0][: -pair[1]]),
        st.tuples(encoded, st.binary(min_size=1, max_size=16)).map(lambda pair: pair[0] + pair[1]),
        st.tuples(st.binary(min_size=1, max_size=16), encoded).map(lambda pair: pair[0] + pair[1]),
    )
