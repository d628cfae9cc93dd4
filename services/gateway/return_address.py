"""Where a mail return's parcel goes: the distribution centre taking returns nearest the store
the order was bought at (kept as long as the store directory keeps locations)."""

from __future__ import annotations

from dataclasses import dataclass

from clickcollect.stores.v1 import stores_pb2
from services.gateway.reads import Reads, ask
from services.routing.geo import distance_km
from workflows.contracts.addresses import one_line


@dataclass(frozen=True)
class ReturnAddress:
    name: str = ""
    address: str = ""


async def mail_return_address(reads: Reads, bought_at: stores_pb2.Location) -> ReturnAddress:
    """The nearest return centre's name and address; empty when there is none."""
    centres: list[stores_pb2.Location] = await reads.directory.kept(
        ("return-centres", ""), lambda: _return_centres(reads)
    )
    if not centres:
        return ReturnAddress()
    nearest = min(
        centres,
        key=lambda c: (
            distance_km(bought_at.latitude, bought_at.longitude, c.latitude, c.longitude),
            c.location_id,
        ),
    )
    return ReturnAddress(nearest.name, one_line(nearest.address))


async def _return_centres(reads: Reads) -> list[stores_pb2.Location]:
    request = stores_pb2.ListLocationsRequest(
        page_size=100,
        kind=stores_pb2.LOCATION_KIND_DISTRIBUTION_CENTER,
        capability=stores_pb2.CAPABILITY_RETURNS,
    )
    return list((await ask(reads.stores.ListLocations, request)).locations)
