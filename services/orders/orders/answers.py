"""How the OrderService's RPCs answer with whole orders: every package's RPCs answer through an
``OrderAnswers`` the servicer is given (``services.orders.views``), so no package imports the
read model that reads them all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlmodel import Session

from clickcollect.orders.v1 import orders_pb2 as pb
from services.orders.orders.tables import OrderRow


class OrderAnswers(Protocol):
    def answer(self, session: Session, order: OrderRow, full: bool) -> pb.Order:
        """The order a change answers with: whole, or (not ``full``) its own row only."""
        ...

    def answer_all(
        self, session: Session, orders: Sequence[OrderRow], store_view: bool = False
    ) -> list[pb.Order]:
        """Whole orders, a page at a time; ``store_view`` leaves out the pickup code."""
        ...
