"""Between the return protos and the return domain/rows: ``from_proto`` in, ``to_proto`` out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.timeconv import from_timestamp, to_timestamp
from services.orders.returns.domain import (
    ItemCondition,
    NewReturn,
    ReturnItem,
    ReturnMethod,
    ReturnState,
)
from services.orders.returns.tables import ReturnLineRow, ReturnRow

STATE_OUT = {s: pb.ReturnState.Value(f"RETURN_STATE_{s}") for s in ReturnState}
METHOD_OUT = {m: pb.ReturnMethod.Value(f"RETURN_METHOD_{m}") for m in ReturnMethod}
CONDITION_OUT = {c: pb.ItemCondition.Value(f"ITEM_CONDITION_{c}") for c in ItemCondition}
METHOD_IN = {number: method for method, number in METHOD_OUT.items()}
CONDITION_IN = {number: condition for condition, number in CONDITION_OUT.items()}


def items_from_proto(items: Iterable[pb.ReturnItem]) -> tuple[ReturnItem, ...]:
    return tuple(
        ReturnItem(item.sku, item.quantity, CONDITION_IN.get(item.condition)) for item in items
    )


def new_return_from_proto(request: pb.CreateReturnRequest) -> NewReturn:
    return NewReturn(
        return_id=request.return_id,
        order_id=request.order_id,
        method=METHOD_IN.get(request.method),
        receiving_location_id=request.receiving_location_id,
        items=items_from_proto(request.items),
        reason=request.reason,
        override_reason=request.override_reason,
        overridden_by=request.overridden_by,
        expire_time=from_timestamp(request.expire_time),
    )


def return_to_proto(row: ReturnRow, lines: Sequence[ReturnLineRow]) -> pb.Return:
    currency = lines[0].currency if lines else ""
    return pb.Return(
        return_id=row.return_id,
        order_id=row.order_id,
        customer_id=row.customer_id,
        state=STATE_OUT[ReturnState(row.state)],
        method=METHOD_OUT[ReturnMethod(row.method)],
        rma_number=row.rma_number,
        receiving_location_id=row.receiving_location_id,
        lines=[_line_to_proto(line) for line in lines],
        refund_total=money_pb2.Money(
            amount_minor=sum(line.refund_minor for line in lines), currency_code=currency
        ),
        reason=row.reason,
        override_reason=row.override_reason,
        overridden_by=row.overridden_by,
        create_time=to_timestamp(row.create_time),
        update_time=to_timestamp(row.update_time),
        expire_time=to_timestamp(row.expire_time),
        receive_time=to_timestamp(row.receive_time),
        refund_time=to_timestamp(row.refund_time),
    )


def returns_to_proto(
    returns: Iterable[ReturnRow], lines: Iterable[ReturnLineRow]
) -> list[pb.Return]:
    by_return: dict[str, list[ReturnLineRow]] = defaultdict(list)
    for line in lines:
        by_return[line.return_id].append(line)
    return [return_to_proto(row, by_return[row.return_id]) for row in returns]


def _line_to_proto(line: ReturnLineRow) -> pb.ReturnLine:
    return pb.ReturnLine(
        line_number=line.line_number,
        sku=line.sku,
        quantity=line.quantity,
        condition=CONDITION_OUT[ItemCondition(line.condition)]
        if line.condition
        else pb.ITEM_CONDITION_UNSPECIFIED,
        refund_amount=money_pb2.Money(amount_minor=line.refund_minor, currency_code=line.currency),
    )
