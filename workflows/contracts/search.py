"""Search attributes operations filter orders and returns by in the Temporal UI (registered by
`make run`)."""

from __future__ import annotations

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.common import SearchAttributeKey

ORDER_STATE = SearchAttributeKey.for_keyword("OrderState")
PICKUP_STORE_ID = SearchAttributeKey.for_keyword("PickupStoreId")
FULFILLMENT_TYPE = SearchAttributeKey.for_keyword("FulfillmentType")
CUSTOMER_ID = SearchAttributeKey.for_keyword("CustomerId")
PICK_DEADLINE = SearchAttributeKey.for_datetime("PickDeadline")
PICKUP_EXPIRES_AT = SearchAttributeKey.for_datetime("PickupExpiresAt")
TRANSFER_LATE = SearchAttributeKey.for_bool("TransferLate")
# Operations: an order locked at the counter (cleared when unlocked), and one whose transfer
# never arrived and no other source could take over (cleared when re-routed or it arrives).
PICKUP_LOCKED = SearchAttributeKey.for_bool("PickupLocked")
TRANSFER_LOST = SearchAttributeKey.for_bool("TransferLost")
# Returns (ReturnWorkflow); CustomerId is shared with orders.
RETURN_STATE = SearchAttributeKey.for_keyword("ReturnState")
RECEIVING_STORE_ID = SearchAttributeKey.for_keyword("ReceivingStoreId")
ORDER_ID = SearchAttributeKey.for_keyword("OrderId")

ALL = (
    ORDER_STATE,
    PICKUP_STORE_ID,
    FULFILLMENT_TYPE,
    CUSTOMER_ID,
    PICK_DEADLINE,
    PICKUP_EXPIRES_AT,
    TRANSFER_LATE,
    PICKUP_LOCKED,
    TRANSFER_LOST,
    RETURN_STATE,
    RECEIVING_STORE_ID,
    ORDER_ID,
)


def cli_flags() -> list[str]:
    """`temporal server start-dev --search-attribute Name=Type` for each key."""
    kinds = {"KEYWORD": "Keyword", "DATETIME": "Datetime", "BOOL": "Bool"}
    flags: list[str] = []
    for key in ALL:
        flags += ["--search-attribute", f"{key.name}={kinds[key.indexed_value_type.name]}"]
    return flags


async def register(client: Client, namespace: str = "default") -> None:
    """Registers the keys on a server that lacks them (the time-skipping test server)."""
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=namespace,
            search_attributes={key.name: _INDEXED[key.indexed_value_type.name] for key in ALL},
        )
    )


_INDEXED = {
    "KEYWORD": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "DATETIME": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    "BOOL": IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
}
