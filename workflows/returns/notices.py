"""The mail a return sends: to its customer (nobody for an anonymous till sale) or to
operations, naming the items as the customer bought them (raw values: the notifications service
formats amounts and moments for the reader)."""

from __future__ import annotations

from datetime import datetime
from typing import TypedDict

from workflows.contracts.returns import ReturnInput, ReturnItemInput
from workflows.shared.activity_types import NotifyInput
from workflows.shared.message_params import MessageLine, lines_param


def return_notice(
    ret: ReturnInput,
    items: list[ReturnItemInput],
    template: str,
    key: str,
    moments: dict[str, datetime] | None = None,
    to_ops: bool = False,
    **params: str,
) -> NotifyInput | None:
    """The message, or None when nobody is to be told."""
    if not (to_ops or ret.customer_email):
        return None
    names = ret.item_names
    lines = [MessageLine(i.sku, names.get(i.sku, i.sku), i.quantity) for i in items]
    return NotifyInput(
        idempotency_key=key,
        order_id=ret.order_id,
        template=template,
        recipient="" if to_ops else ret.customer_email,
        params={
            "order_id": ret.order_id,
            "return_id": ret.return_id,
            "lines": lines_param(lines),
            **params,
        },
        moments=moments or {},
        time_zone=ret.time_zone,
        customer_id="" if to_ops else ret.customer_id,
    )


class RefundParams(TypedDict):
    refund_minor: str
    currency_code: str


class ReturnAddressParams(TypedDict):
    return_to: str
    return_address: str


def refund_params(minor: int, currency: str) -> RefundParams:
    """The refund as the templates take it: minor units and the currency code."""
    return {"refund_minor": str(minor), "currency_code": currency}


def return_address(ret: ReturnInput) -> ReturnAddressParams:
    """Where a mail return's parcel goes (empty in returns opened before it was kept)."""
    return {"return_to": ret.return_to_name, "return_address": ret.return_to_address}
