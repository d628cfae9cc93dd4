"""InventoryService ListProducts with search text (the store terminal's stock lookup), over real
gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import TYPE_CHECKING

import grpc

from clickcollect.inventory.v1 import inventory_pb2 as pb
from tests.support.inventory import a_product, fields_of, refused

if TYPE_CHECKING:
    from tests.support.inventory import Stub


async def listed(inventory: Stub, query: str) -> list[str]:
    found = await inventory.ListProducts(pb.ListProductsRequest(query=query))
    return [product.sku for product in found.products]


async def test_search_finds_a_sku_prefix_or_a_word_of_the_name_whatever_the_case(
    inventory: Stub,
) -> None:
    await a_product(inventory, "LAMP-DESK-01", name="Desk lamp")
    await a_product(inventory, "LAMP-FLOOR-01", name="Floor lamp, brass")
    await a_product(inventory, "MUG-1", name="Ceramic mug")
    await a_product(inventory, "RUG-100", name="Lampshade rug")

    assert await listed(inventory, "lamp-") == ["LAMP-DESK-01", "LAMP-FLOOR-01"]
    assert await listed(inventory, "LAMP") == ["LAMP-DESK-01", "LAMP-FLOOR-01", "RUG-100"]
    assert await listed(inventory, "floor L") == ["LAMP-FLOOR-01"]
    assert await listed(inventory, "amp") == []  # a word's start, not its middle
    assert await listed(inventory, "mug") == ["MUG-1"]


async def test_search_text_is_matched_literally_and_paged(inventory: Stub) -> None:
    await a_product(inventory, "CAB-1", name="Cable 100% copper")
    await a_product(inventory, "CAB-2", name="Cable_2 m")
    await a_product(inventory, "CAB-3", name="Cable 3 m")

    assert await listed(inventory, "100%") == ["CAB-1"]
    assert await listed(inventory, "cable_") == ["CAB-2"]
    first = await inventory.ListProducts(pb.ListProductsRequest(query="cable", page_size=2))
    second = await inventory.ListProducts(
        pb.ListProductsRequest(query="cable", page_size=2, page_token=first.next_page_token)
    )
    assert [p.sku for p in first.products] == ["CAB-1", "CAB-2"]
    assert ([p.sku for p in second.products], second.next_page_token) == (["CAB-3"], "")


async def test_search_text_no_terminal_could_type_is_refused_naming_the_field(
    inventory: Stub,
) -> None:
    for query in ("x" * 65, "two\nlines", "   ", "nul\x00"):
        error = await refused(inventory.ListProducts(pb.ListProductsRequest(query=query)))
        assert (error.code, fields_of(error)) == (grpc.StatusCode.INVALID_ARGUMENT, ["query"])
