"""The mail a return sends: to its customer (nobody for an anonymous till sale) or to
operations, naming the items as the customer bought them."""

from __future__ import annotations

from datetime import datetime

from workflows.contracts.returns import ReturnInput, ReturnItemInput
from workflows.shared.activity_types import NotifyInput


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
    return NotifyInput(
        idempotency_key=key,
        order_id=ret.order_id,
        template=template,
        recipient="" if to_ops else ret.customer_email,
        params={
            "order_id": ret.order_id,
            "return_id": ret.return_id,
            "items": "; ".join(f"{i.quantity} x {names.get(i.sku, i.sku)}" for i in items),
            **params,
        },
        moments=moments or {},
        time_zone=ret.time_zone,
        customer_id="" if to_ops else ret.customer_id,
    )


def money(minor: int, currency: str) -> str:
    return f"{minor / 100:.2f} {currency}"
