"""Return activities: the return's record and refund (orders service) and the returned goods'
landing on a shelf or being written off (inventory service). Request ids derive from the workflow
id and step, so a retried activity repeats the same request and never pays twice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from clickcollect.inventory.v1 import inventory_pb2
from clickcollect.orders.v1 import orders_pb2
from services.common.timeconv import to_timestamp
from workflows.calls import StockAndOrderActivities, call
from workflows.contracts.returns import RESELLABLE, ReturnItemInput
from workflows.returns.types import (
    CreateReturnInput,
    RecordReceiptInput,
    RestockInput,
    ReturnRecord,
    ReturnStepInput,
)


def _items(items: list[ReturnItemInput]) -> list[orders_pb2.ReturnItem]:
    return [
        orders_pb2.ReturnItem(
            sku=item.sku,
            quantity=item.quantity,
            condition=orders_pb2.ItemCondition.Value(f"ITEM_CONDITION_{item.condition}")
            if item.condition
            else orders_pb2.ITEM_CONDITION_UNSPECIFIED,
        )
        for item in items
    ]


def record_of(ret: orders_pb2.Return) -> ReturnRecord:
    return ReturnRecord(
        return_id=ret.return_id,
        state=orders_pb2.ReturnState.Name(ret.state).removeprefix("RETURN_STATE_"),
        rma_number=ret.rma_number,
        refund_minor=ret.refund_total.amount_minor,
        currency_code=ret.refund_total.currency_code,
        items=[
            ReturnItemInput(
                line.sku,
                line.quantity,
                orders_pb2.ItemCondition.Name(line.condition).removeprefix("ITEM_CONDITION_")
                if line.condition
                else "",
            )
            for line in ret.lines
        ],
        receiving_location_id=ret.receiving_location_id,
    )


class ReturnActivities(StockAndOrderActivities):
    @activity.defn
    async def create_return(self, create: CreateReturnInput) -> ReturnRecord:
        ret = create.ret
        request = orders_pb2.CreateReturnRequest(
            request_id=create.request_id,
            return_id=ret.return_id,
            order_id=ret.order_id,
            method=orders_pb2.ReturnMethod.Value(f"RETURN_METHOD_{ret.method}"),
            receiving_location_id=ret.receiving_location_id,
            items=_items(ret.items),
            reason=ret.reason,
            override_reason=ret.override_reason,
            overridden_by=ret.overridden_by,
            expire_time=to_timestamp(create.expire_time),
        )
        return record_of((await call(self.orders.CreateReturn, request)).order_return)

    @activity.defn
    async def record_receipt(self, receipt: RecordReceiptInput) -> ReturnRecord:
        request = orders_pb2.ReceiveReturnRequest(
            request_id=receipt.request_id,
            return_id=receipt.return_id,
            receiving_location_id=receipt.location_id,
            items=_items(receipt.items),
            client_request_id=receipt.client_request_id,
        )
        return record_of((await call(self.orders.ReceiveReturn, request)).order_return)

    @activity.defn
    async def restock(self, restock: RestockInput) -> None:
        """Resellable units back on the receiving location's shelf; damaged ones written off."""
        request = inventory_pb2.ReceiveReturnRequest(
            request_id=restock.request_id,
            location_id=restock.location_id,
            reference=restock.return_id,
            items=[
                inventory_pb2.ReturnedItem(
                    sku=item.sku,
                    quantity=item.quantity,
                    disposition=inventory_pb2.DISPOSITION_RESTOCK
                    if item.condition == RESELLABLE
                    else inventory_pb2.DISPOSITION_WRITE_OFF,
                )
                for item in restock.items
            ],
        )
        await call(self.inventory.ReceiveReturn, request)

    @activity.defn
    async def refund_return(self, step: ReturnStepInput) -> ReturnRecord:
        request = orders_pb2.RefundReturnRequest(
            request_id=step.request_id, return_id=step.return_id
        )
        return record_of((await call(self.orders.RefundReturn, request)).order_return)

    @activity.defn
    async def expire_return(self, step: ReturnStepInput) -> None:
        request = orders_pb2.ExpireReturnRequest(
            request_id=step.request_id, return_id=step.return_id
        )
        await call(self.orders.ExpireReturn, request)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.create_return,
            self.record_receipt,
            self.restock,
            self.refund_return,
            self.expire_return,
        ]
