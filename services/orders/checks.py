"""Request checks shared by the OrderService's RPCs."""

from __future__ import annotations

from services.common import ids
from services.common.errors import Violations

REQUEST_ID_RULE = ids.REQUEST_ID_RULE


def checked(order_id: str, request_id: str | None = None) -> Violations:
    """Starts the request's violations with its ids (request_id None: not asked for)."""
    v = Violations()
    v.check(ids.is_order_id(order_id), "order_id", "must look like ORD-XXXXXXXXXX")
    if request_id is not None:
        v.check(ids.is_request_id(request_id), "request_id", REQUEST_ID_RULE)
    return v
