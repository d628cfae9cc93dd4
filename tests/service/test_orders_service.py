"""OrderService over real gRPC on loopback, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from clickcollect.common.v1.money_pb2 import Money
from clickcollect.orders.v1 import orders_pb2 as pb
from tests.support.orders import (
    an_order,
    create,
    eur,
    get,
    move,
    new_order_id,
    new_store_id,
    refused,
    request_id,
)

if TYPE_CHECKING:
    from tests.support.orders import Stub


def stamp(hours: int) -> Timestamp:
    value = Timestamp()
    value.FromDatetime(datetime(2030, 1, 1, tzinfo=UTC) + timedelta(hours=hours))
    return value


async def test_created_order_is_pending_with_total_from_its_lines(orders: Stub) -> None:
    order = await create(orders)

    assert order.state == pb.ORDER_STATE_PENDING
    assert order.total == eur(2 * 1250 + 500)
    assert [line.line_number for line in order.lines] == [1, 2]
    assert order.lines[0].source_location_id == "STORE-001"
    assert [event.type for event in order.timeline] == ["order_created"]
    assert await get(orders, order.order_id) == order


async def test_repeated_create_returns_the_first_order(orders: Stub) -> None:
    order = an_order()
    first = await orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=order))
    again = await orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=order))

    assert again.order == first.order
    assert len(again.order.timeline) == 1


async def test_concurrent_creates_of_one_order_record_it_once(orders: Stub) -> None:
    order = an_order()

    answers = await asyncio.gather(
        *(
            orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=order))
            for _ in range(5)
        )
    )

    assert len({a.order.SerializeToString() for a in answers}) == 1
    assert len((await get(orders, order.order_id)).timeline) == 1


async def test_create_with_a_used_id_but_other_content_is_refused(orders: Stub) -> None:
    order = await create(orders)
    changed = an_order(order_id=order.order_id, pickup_store_id="STORE-002")

    error = await refused(
        orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=changed))
    )

    assert error.code == grpc.StatusCode.ALREADY_EXISTS
    assert error.reason == "ORDER_EXISTS"
    assert (await get(orders, order.order_id)).pickup_store_id == "STORE-001"


async def test_bad_order_is_refused_naming_every_bad_field_and_not_stored(orders: Stub) -> None:
    bad = an_order(
        pickup_store_id="shop 1",
        lines=[
            pb.OrderLine(sku="SKU-1", quantity=1, unit_price=eur(100)),
            pb.OrderLine(sku="SKU-2", quantity=0, unit_price=eur(100)),
            pb.OrderLine(
                sku="SKU-3", quantity=1, unit_price=Money(amount_minor=-1, currency_code="USD")
            ),
        ],
    )

    error = await refused(
        orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=bad))
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {
        "order.pickup_store_id",
        "order.lines[1].quantity",
        "order.lines[2].unit_price.amount_minor",
        "order.lines[2].unit_price.currency_code",
    }
    missing = await refused(orders.GetOrder(pb.GetOrderRequest(order_id=bad.order_id)))
    assert missing.code == grpc.StatusCode.NOT_FOUND


async def test_order_without_lines_is_refused(orders: Stub) -> None:
    error = await refused(
        orders.CreateOrder(pb.CreateOrderRequest(request_id=request_id(), order=an_order(lines=[])))
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["order.lines"]


async def test_order_walks_from_pending_to_picked_up(orders: Stub) -> None:
    order = await create(orders)
    accepted = await move(
        orders,
        order.order_id,
        pb.ORDER_STATE_AWAITING_PICK,
        event="order_accepted",
        ready_by=stamp(4),
        pick_deadline=stamp(3),
    )
    ready = await move(
        orders,
        order.order_id,
        pb.ORDER_STATE_READY_FOR_PICKUP,
        pickup_code="4821",
        pickup_expire_time=stamp(72),
    )
    done = await move(orders, order.order_id, pb.ORDER_STATE_PICKED_UP, collected_by="Ada L.")

    assert accepted.ready_by == stamp(4) and accepted.pick_deadline == stamp(3)
    assert ready.pickup_code == "4821" and ready.pickup_expire_time == stamp(72)
    assert done.state == pb.ORDER_STATE_PICKED_UP and done.collected_by == "Ada L."
    assert [(e.type, e.state) for e in done.timeline] == [
        ("order_created", pb.ORDER_STATE_PENDING),
        ("order_accepted", pb.ORDER_STATE_AWAITING_PICK),
        ("order_ready_for_pickup", pb.ORDER_STATE_READY_FOR_PICKUP),
        ("order_picked_up", pb.ORDER_STATE_PICKED_UP),
    ]
    assert done.update_time.ToDatetime() >= done.create_time.ToDatetime()


async def test_repeated_transition_request_is_applied_once(orders: Stub) -> None:
    order = await create(orders)
    rid = request_id()
    first = await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK, rid)
    again = await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK, rid)
    await move(orders, order.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="1234")
    late_repeat = await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK, rid)

    assert again == first
    assert late_repeat.state == pb.ORDER_STATE_READY_FOR_PICKUP
    assert len(late_repeat.timeline) == 3


async def test_concurrent_repeats_of_a_transition_apply_it_once(orders: Stub) -> None:
    order = await create(orders)
    rid = request_id()

    results = await asyncio.gather(
        *(move(orders, order.order_id, pb.ORDER_STATE_IN_TRANSIT, rid) for _ in range(5))
    )

    assert {r.state for r in results} == {pb.ORDER_STATE_IN_TRANSIT}
    assert len((await get(orders, order.order_id)).timeline) == 2


async def test_illegal_transition_is_refused_and_changes_nothing(orders: Stub) -> None:
    order = await create(orders)

    error = await refused(
        move(orders, order.order_id, pb.ORDER_STATE_EXPIRED, state_reason="NOT_COLLECTED")
    )

    assert error.code == grpc.StatusCode.FAILED_PRECONDITION
    assert error.reason == "ILLEGAL_TRANSITION"
    assert error.metadata == {"from": "PENDING", "to": "EXPIRED"}
    assert await get(orders, order.order_id) == order


async def test_final_order_cannot_move_again(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_CANCELLED, state_reason="CUSTOMER_REQUEST")

    error = await refused(move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK))

    assert error.reason == "ILLEGAL_TRANSITION"
    cancelled = await get(orders, order.order_id)
    assert cancelled.state == pb.ORDER_STATE_CANCELLED
    assert cancelled.state_reason == "CUSTOMER_REQUEST"


async def test_ready_for_pickup_needs_a_pickup_code(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)

    error = await refused(move(orders, order.order_id, pb.ORDER_STATE_READY_FOR_PICKUP))

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in error.violations] == ["pickup_code"]
    assert (await get(orders, order.order_id)).state == pb.ORDER_STATE_AWAITING_PICK


async def test_transition_with_bad_input_is_refused(orders: Stub) -> None:
    error = await refused(
        orders.TransitionOrder(
            pb.TransitionOrderRequest(request_id="x", order_id="42", event="Bad Event")
        )
    )

    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in error.violations} == {"request_id", "order_id", "event", "state"}


async def test_transition_of_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(move(orders, new_order_id(), pb.ORDER_STATE_CANCELLED))

    assert error.code == grpc.StatusCode.NOT_FOUND
    assert error.reason == "ORDER_NOT_FOUND"


async def test_recorded_event_sets_flags_once_without_changing_state(orders: Stub) -> None:
    order = await create(orders)
    await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    request = pb.RecordOrderEventRequest(
        request_id=request_id(),
        order_id=order.order_id,
        event="pick_overdue_flagged",
        pick_overdue=True,
    )
    first = (await orders.RecordOrderEvent(request)).order
    again = (await orders.RecordOrderEvent(request)).order

    assert first.pick_overdue and not first.pickup_locked
    assert first.state == pb.ORDER_STATE_AWAITING_PICK
    assert again == first
    assert [e.type for e in again.timeline][-1] == "pick_overdue_flagged"
    assert len(again.timeline) == 3


async def test_get_unknown_order_is_not_found(orders: Stub) -> None:
    error = await refused(orders.GetOrder(pb.GetOrderRequest(order_id=new_order_id())))

    assert error.code == grpc.StatusCode.NOT_FOUND
    assert error.reason == "ORDER_NOT_FOUND"


async def test_customer_orders_are_listed_newest_first_page_by_page(orders: Stub) -> None:
    customer = "cust-" + secrets.token_hex(4)
    created = [(await create(orders, customer_id=customer)).order_id for _ in range(5)]
    await create(orders, customer_id="someone-else")

    seen, token, pages = [], "", 0
    while True:
        page = await orders.ListOrders(
            pb.ListOrdersRequest(customer_id=customer, page_size=2, page_token=token)
        )
        seen += [o.order_id for o in page.orders]
        pages += 1
        token = page.next_page_token
        if not token:
            break

    assert seen == list(reversed(created))
    assert pages == 3


async def test_store_queue_lists_matching_orders_oldest_first_without_pickup_codes(
    orders: Stub,
) -> None:
    store = new_store_id()
    first = await create(orders, pickup_store_id=store)
    second = await create(orders, pickup_store_id=store)
    pending = await create(orders, pickup_store_id=store)
    await create(orders)  # another store
    for order in (first, second):
        await move(orders, order.order_id, pb.ORDER_STATE_AWAITING_PICK)
    await move(orders, first.order_id, pb.ORDER_STATE_READY_FOR_PICKUP, pickup_code="9999")

    queue = await orders.ListStoreOrders(
        pb.ListStoreOrdersRequest(
            store_id=store, states=[pb.ORDER_STATE_AWAITING_PICK, pb.ORDER_STATE_READY_FOR_PICKUP]
        )
    )
    everything = await orders.ListStoreOrders(pb.ListStoreOrdersRequest(store_id=store))

    assert [o.order_id for o in queue.orders] == [first.order_id, second.order_id]
    assert all(o.pickup_code == "" for o in queue.orders)
    assert [o.order_id for o in everything.orders] == [
        first.order_id,
        second.order_id,
        pending.order_id,
    ]
    assert not queue.next_page_token


async def test_store_queue_can_show_only_overdue_picks(orders: Stub) -> None:
    store = new_store_id()
    late = await create(orders, pickup_store_id=store)
    await create(orders, pickup_store_id=store)
    await orders.RecordOrderEvent(
        pb.RecordOrderEventRequest(
            request_id=request_id(),
            order_id=late.order_id,
            event="pick_overdue_flagged",
            pick_overdue=True,
        )
    )

    overdue = await orders.ListStoreOrders(
        pb.ListStoreOrdersRequest(store_id=store, overdue_only=True)
    )

    assert [o.order_id for o in overdue.orders] == [late.order_id]


async def test_list_with_bad_paging_is_refused(orders: Stub) -> None:
    token_error = await refused(
        orders.ListOrders(pb.ListOrdersRequest(customer_id="cust-1", page_token="nonsense"))
    )
    size_error = await refused(
        orders.ListStoreOrders(pb.ListStoreOrdersRequest(store_id="STORE-001", page_size=-1))
    )

    assert token_error.reason == "INVALID_PAGE_TOKEN"
    assert size_error.code == grpc.StatusCode.INVALID_ARGUMENT
