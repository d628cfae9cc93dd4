"""Prices a basket from the catalogue: one currency, the price and final-sale flag of the day."""

from __future__ import annotations

from services.common.errors import FailedPrecondition
from services.gateway.domain import BasketLine
from services.gateway.reads import Reads
from workflows.contracts.orders import OrderLineInput


async def priced_lines(reads: Reads, basket: list[BasketLine]) -> tuple[str, list[OrderLineInput]]:
    """(currency, lines); NOT_FOUND for unknown skus, MIXED_CURRENCIES for a mixed basket."""
    products = await reads.products([line.sku for line in basket])
    currencies = {product.price.currency_code for product in products}
    if len(currencies) != 1:
        raise FailedPrecondition("MIXED_CURRENCIES", "the basket mixes currencies")
    lines = [
        OrderLineInput(
            product.sku,
            product.name,
            line.quantity,
            product.price.amount_minor,
            final_sale=product.final_sale,
        )
        for line, product in zip(basket, products, strict=True)
    ]
    return currencies.pop(), lines
