"""Messages a customer can act on, as the workflows send them through the real notifications
service (time-skipping server): the confirmation lists the items and the total, "ready for
pickup" gives the store's address and today's opening hours, a mail return gives the address to
send the parcel to, a late transfer tells the customer the new ready-by."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from temporalio.testing import WorkflowEnvironment

from clickcollect.notifications.v1 import notifications_pb2 as pb
from services.gateway.reads import Reads
from services.gateway.return_address import mail_return_address
from tests.support.messages import plain
from tests.support.services import Services
from tests.workflows.conftest import an_order, place
from tests.workflows.returns_support import a_return, collected_order, start_return
from workflows.contracts.orders import MarkPickedInput, OrderLineInput
from workflows.contracts.returns import MAIL, ReturnItemInput
from workflows.order.workflow import OrderWorkflow

TSHIRTS = OrderLineInput("TSHIRT-WHT-M", "Organic T-shirt white M", 2, 1999)
MUG = OrderLineInput("MUG-CERAMIC", "Ceramic mug", 1, 899)
LAMP = OrderLineInput("LAMP-DESK-01", "Desk lamp", 1, 3999)  # only the DC has lamps


async def sent(services: Services, order_id: str, template: str, count: int = 1) -> pb.Notification:
    """The `count`-th message of `template` for the order, waiting a little for it."""
    request = pb.ListNotificationsRequest(order_id=order_id, page_size=200)
    for _ in range(200):
        found = [
            n
            for n in (await services.notifications.ListNotifications(request)).notifications
            if pb.Template.Name(n.template) == f"TEMPLATE_{template}"
        ]
        if len(found) >= count:
            return found[count - 1]
        await asyncio.sleep(0.05)
    raise AssertionError(f"no {template} for {order_id}")


async def test_the_confirmation_lists_items_and_total_and_ready_gives_address_and_todays_hours(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[TSHIRTS, MUG]))
    assert decision.accepted

    confirmed = await sent(services, decision.order_id, "ORDER_CONFIRMED")
    assert confirmed.recipient == "ada@example.com"
    assert "2 x Organic T-shirt white M (TSHIRT-WHT-M): €39.98" in confirmed.body
    assert "1 x Ceramic mug (MUG-CERAMIC): €8.99" in confirmed.body
    assert "Total: €48.97" in confirmed.body
    assert "Amsterdam Centraal, Stationsplein 12, 1012 AB Amsterdam" in confirmed.body

    await handle.execute_update(OrderWorkflow.mark_picked, MarkPickedInput("pick-msg-1"))
    ready = plain((await sent(services, decision.order_id, "READY_FOR_PICKUP")).body)
    today = (await env.get_current_time()).astimezone(ZoneInfo("Europe/Amsterdam"))
    hours = "12:00 \u2013 6:00 PM" if today.isoweekday() == 7 else "9:00 AM \u2013 9:00 PM"
    assert "Address: Stationsplein 12, 1012 AB Amsterdam" in ready
    assert f"Open today: {hours}" in ready
    assert f"Your pickup code: {(await services.order(decision.order_id)).pickup_code}" in ready


async def test_a_late_transfer_tells_the_customer_the_new_ready_by(
    env: WorkflowEnvironment, services: Services
) -> None:
    handle, decision = await place(env, an_order(lines=[LAMP]))
    promised = (await handle.query(OrderWorkflow.state)).ready_by
    assert promised is not None
    await env.sleep(promised - await env.get_current_time() + timedelta(hours=5))

    delayed = await sent(services, decision.order_id, "ORDER_DELAYED")
    assert delayed.recipient == "ada@example.com"
    assert "Amsterdam Centraal" in delayed.body and "ready for pickup by" in delayed.body
    timeline = (await services.order(decision.order_id)).timeline
    [told] = [e for e in timeline if e.type == "customer_told_transfer_late"]
    new_ready_by = datetime.fromisoformat(told.detail.rsplit("new ready-by ", 1)[1])
    assert new_ready_by > promised + timedelta(hours=5)
    assert "TRANSFER_LATE" in await services.templates_sent(decision.order_id)  # store and ops


async def test_a_mail_return_tells_the_address_of_the_nearest_return_centre(
    env: WorkflowEnvironment, services: Services
) -> None:
    reads = Reads(services.stores, services.inventory, services.orders)
    send_to = await mail_return_address(reads, await reads.location("STORE-001"))
    assert (send_to.name, send_to.address) == (
        "Schiphol Distribution Centre",
        "Fokkerweg 300, 1438 AN Amsterdam",
    )
    order_id = await collected_order(env, services)
    ret = a_return(
        order_id,
        MAIL,
        ReturnItemInput("TSHIRT-WHT-M", 1),
        item_names={"TSHIRT-WHT-M": "Organic T-shirt white M"},
        time_zone="Europe/Amsterdam",
        return_to_name=send_to.name,
        return_to_address=send_to.address,
    )
    _, decision = await start_return(env, ret)
    assert decision.accepted

    mail = (await sent(services, order_id, "RETURN_AUTHORIZED")).body
    assert "Schiphol Distribution Centre\n  Fokkerweg 300, 1438 AN Amsterdam" in mail
    assert "1 x Organic T-shirt white M (TSHIRT-WHT-M)" in mail
