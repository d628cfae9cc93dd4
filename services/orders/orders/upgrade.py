"""What the upgrade of an older order database does beyond adding columns.

``order_events.client_request_id`` (the client's request id of the command behind an event) is
newer than the events' internal request id, ``<workflow id>:<event>:<command key>``, whose last
part came from the client's id: ``backfill_client_request_ids`` fills the new column once, in the
upgrade that adds it, for the events whose key holds that id exactly, so a repeat of a command
recorded before the upgrade is answered as the first time. A command key is the client's id as
it was sent up to 48 characters and a digest of a longer one (``h`` and 40 hex digits): a digest
cannot be turned back, and an id of that very shape cannot be told from one, so those events
keep an empty client_request_id (a repeat of their command is refused with the order's state).
So do the events of the workflows' own steps, which carry no command key, and any key that does
not pass the request id rule. Rows are read in batches of ``BATCH``, never the whole table.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Table, bindparam, select, update

from services.common import ids
from services.orders.orders.tables import OrderEventRow

BATCH = 500
CLIENT_REQUEST_ID = "order_events.client_request_id"  # the column the backfill fills
_KEPT_AS_IS = 48  # command keys up to this length are the client's id itself
_DIGEST = re.compile(r"h[0-9a-f]{40}")
_EVENTS: Table = OrderEventRow.__table__  # type: ignore[attr-defined]


def client_request_id_in(order_id: str, event_type: str, request_id: str) -> str:
    """The client's request id that an event's internal `request_id` ends in, exactly as the
    client sent it; "" when the key holds none or only its digest. The key is the order's own
    workflow's (``order-<order id>``) or a return's (``return-<return id>``), then the event."""
    owner, _, rest = request_id.partition(":")
    if not _keyed_by_ours(owner, order_id) or not rest.startswith(f"{event_type}:"):
        return ""
    key = rest.removeprefix(f"{event_type}:")
    if len(key) > _KEPT_AS_IS or _DIGEST.fullmatch(key) or not ids.is_request_id(key):
        return ""
    return key


def _keyed_by_ours(owner: str, order_id: str) -> bool:
    """The key's first part names the order's workflow or a return's."""
    returned = owner.removeprefix("return-")
    return owner == f"order-{order_id}" or (returned != owner and ids.is_return_id(returned))


def backfill_client_request_ids(connection: Connection, batch: int = BATCH) -> int:
    """Fills ``client_request_id`` of the events that have none from their internal key, where
    it holds the client's id exactly; returns how many events it filled. Idempotent: a second
    run finds nothing more to fill."""
    filled, after = 0, 0
    while rows := _unfilled_after(connection, after, batch):
        after = rows[-1].id
        found = [
            {"event": row.id, "client": client}
            for row in rows
            if (client := client_request_id_in(row.order_id, row.type, row.request_id))
        ]
        if found:
            connection.execute(_FILL, found)
        filled += len(found)
    return filled


def _unfilled_after(connection: Connection, after: int, batch: int) -> list[Any]:
    """The next `batch` events by id after `after` that have an internal key and no client id."""
    columns = _EVENTS.c
    query = (
        select(columns.id, columns.order_id, columns.type, columns.request_id)
        .where(columns.id > after, columns.request_id.is_not(None))
        .where(columns.client_request_id == "")
        .order_by(columns.id)
        .limit(batch)
    )
    return list(connection.execute(query).all())


_FILL = (
    update(_EVENTS)
    .where(_EVENTS.c.id == bindparam("event"))
    .values(client_request_id=bindparam("client"))
)
