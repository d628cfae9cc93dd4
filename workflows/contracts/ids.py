"""Workflow ids are business ids: one workflow per order, till sale, transfer and return, so a
repeated command lands on the same workflow (REJECT_DUPLICATE after it closed)."""

from __future__ import annotations

import hashlib

# The task queue every workflow of the product runs on by default.
TASK_QUEUE = "orders"


def order_workflow_id(order_id: str) -> str:
    return f"order-{order_id}"


def sale_workflow_id(order_id: str) -> str:
    return f"sale-{order_id}"


def transfer_id(order_id: str, number: int) -> str:
    """A ship-to-store transfer's id, which is also its workflow's id."""
    return f"transfer-{order_id}-{number}"


def return_workflow_id(return_id: str) -> str:
    return f"return-{return_id}"


def command_key(request_id: str) -> str:
    """A client's request id as it goes into our own request ids (which must fit 128
    characters): as is up to 48 characters, otherwise a digest of it."""
    if len(request_id) <= 48:
        return request_id
    return "h" + hashlib.sha256(request_id.encode()).hexdigest()[:40]
