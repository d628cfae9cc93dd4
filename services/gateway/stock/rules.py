"""The rules of the stock views, free of transport: what a lookup or an availability request
may ask, what a shopper may know of a shelf (a status, never a count), and in which order other
locations are listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.common import fields, ids
from services.common.errors import Violations, echo
from services.gateway.domain import MAX_LINE_QUANTITY

# Distinct skus a shopper may ask about at once (each is routed for every store in range).
MAX_AVAILABILITY_SKUS = 20
# Products per page of a stock lookup (each is routed from every location that ships).
DEFAULT_LOOKUP_PAGE = 10
MAX_LOOKUP_PAGE = 20
IN_STOCK, LOW_STOCK, OUT_OF_STOCK = "IN_STOCK", "LOW_STOCK", "OUT_OF_STOCK"


@dataclass(frozen=True)
class StockLookup:
    """What an associate looks up: one sku, or search text over the catalogue."""

    sku: str
    query: str
    quantity: int


def check_stock_lookup(sku: str, query: str, quantity: int) -> StockLookup:
    """Raises INVALID_ARGUMENT naming every bad field: exactly one of sku and query, a
    quantity of 1..99 (1 when unset)."""
    errors = Violations()
    if sku and query:
        errors.add("query", "give sku or query, not both")
    elif sku:
        errors.check(ids.is_sku(sku), "sku", f"{echo(sku)} is not a sku")
    elif query:
        query = fields.check_search_text(query, "query", errors)
    else:
        errors.add("sku", "give a sku, or search text in query")
    units = quantity or 1
    ok = 0 < units <= MAX_LINE_QUANTITY
    errors.check(ok, "quantity", f"must be 1..{MAX_LINE_QUANTITY} (1 when unset)")
    errors.raise_if_any()
    return StockLookup(sku, query, units)


def lookup_page_size(requested: int) -> int:
    """Products per page: 10 when unset, at most 20 (a negative size is refused by paging)."""
    return min(requested or DEFAULT_LOOKUP_PAGE, MAX_LOOKUP_PAGE)


def check_availability_skus(skus: list[str], errors: Violations) -> list[str]:
    """Adds a violation per bad sku; returns the distinct skus in the order asked."""
    distinct = list(dict.fromkeys(skus))
    errors.check(bool(skus), "skus", "name at least one sku")
    limit = MAX_AVAILABILITY_SKUS
    errors.check(len(distinct) <= limit, "skus", f"at most {limit} distinct skus")
    for index, sku in enumerate(skus[: limit + 1]):
        errors.check(ids.is_sku(sku), f"skus[{index}]", f"{echo(sku)} is not a sku")
    return distinct


def stock_status(available_to_promise: int, low_stock_threshold: int) -> str:
    """What a shopper may know of a shelf: out of stock, a few left (at most the threshold), or
    in stock."""
    if available_to_promise <= 0:
        return OUT_OF_STOCK
    return LOW_STOCK if available_to_promise <= low_stock_threshold else IN_STOCK


def soonest_first(
    ready_by: datetime | None, available: int, location_id: str
) -> tuple[int, float, int, str]:
    """The order other locations are listed in: those that can ship here, soonest ready first;
    then the rest, most stock first; location id last."""
    if ready_by is not None:
        return (0, ready_by.timestamp(), 0, location_id)
    return (1, 0.0, -available, location_id)
