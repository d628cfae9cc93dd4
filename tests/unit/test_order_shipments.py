"""An order's shipments: transfer ids that belong to the order, and what a shipment record
must name."""

from __future__ import annotations

from services.common.errors import InvalidArgument
from services.orders.fulfillment.shipments import (
    Shipment,
    ShipmentLine,
    ShipmentState,
    transfer_number,
    validate_shipment,
)

ORDER_ID = "ORD-0123456789"


def refused_fields(shipment: Shipment, event: str = "", detail: str = "") -> set[str]:
    """The fields a shipment record is refused for; empty when it is accepted."""
    try:
        validate_shipment(ORDER_ID, shipment, event, detail)
    except InvalidArgument as refused:
        assert refused.violations, "a refusal names at least one field"
        return {v.field for v in refused.violations}
    return set()


def test_transfer_ids_belong_to_their_order() -> None:
    assert transfer_number(ORDER_ID, f"transfer-{ORDER_ID}-3") == 3
    assert transfer_number(ORDER_ID, "transfer-ORD-AAAAAAAAAA-3") is None
    assert transfer_number(ORDER_ID, f"transfer-{ORDER_ID}-0") is None
    assert transfer_number(ORDER_ID, f"transfer-{ORDER_ID}") is None


def test_malformed_shipment_names_every_bad_field() -> None:
    shipment = Shipment(
        transfer_id="TR-9",
        source_id="",
        state=None,
        lines=(ShipmentLine("SKU-1", 1), ShipmentLine("", 0)),
    )

    assert refused_fields(shipment, "Shipped!") == {
        "shipment.transfer_id",
        "shipment.source_id",
        "shipment.state",
        "shipment.lines[1].sku",
        "shipment.lines[1].quantity",
        "event",
    }


def test_well_formed_shipment_passes_without_an_event() -> None:
    shipment = Shipment(
        f"transfer-{ORDER_ID}-1", "DC-01", ShipmentState.PLANNED, (ShipmentLine("SKU-1", 2),)
    )
    assert refused_fields(shipment) == set()
