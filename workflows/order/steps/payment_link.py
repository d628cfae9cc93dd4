"""An order paid by a link (endless aisle, StoreOpsService.PlaceOrderForCustomer with
payment_link): it opens AWAITING_PAYMENT with its stock reserved and nothing authorized, the
customer is sent the link, and the order waits for them to pay (the `pay` update, from
CheckoutService.PayOrder) until the link lapses.

The lifecycle carries each payment out, one at a time: the card authorized; declined, the
attempt is refused and the link still works; authorized, the order goes on as any order paid at
checkout (picked at the shelf, or its transfers started), its promised times moved on by the time
it waited. Unpaid when the link lapses, or cancelled first, the order is cancelled and its stock
released (lifecycle.compensate). Each attempt is remembered by its request id, so a repeat
answers as the first time."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflows.order.progress import OrderProgress
from workflows.order.steps.base import await_input, notify, run_activity
from workflows.steps import business_refusal, check_request_id, refusal

with workflow.unsafe.imports_passed_through():
    from services.common.errors import ErrorKind
    from services.common.fields import PAYMENT_METHOD_RULE, is_payment_method
    from services.common.order_states import OrderState
    from workflows.contracts.ids import command_key
    from workflows.contracts.orders import OrderStatus, PayInput, PaymentLink
    from workflows.contracts.refusal import Refusal
    from workflows.order.activities.order import OrderActivities
    from workflows.order.activities.route_types import RoutePlanResult
    from workflows.shared.message_params import basket_params, store_params

PAID, LAPSED, WITHDRAWN = "PAID", "LAPSED", "WITHDRAWN"


def link_of(progress: OrderProgress) -> PaymentLink:
    link = progress.order.payment_link
    assert link is not None, "only an order placed with a payment link waits for payment"
    return link


async def await_payment(progress: OrderProgress) -> bool:
    """True once paid (the order then goes on); False when cancelled or lapsed first."""
    link, waiting = link_of(progress), progress.link
    await send_link(progress)
    asked = lambda: bool(waiting.paying or progress.cancel_request)  # noqa: E731
    while True:
        await await_input(progress, asked, link.due)
        if waiting.paying is not None:  # taken before the link lapsed: carried out
            if await _authorize(progress, waiting.paying):
                _paid(progress)
                return True
            continue
        waiting.ended = WITHDRAWN if progress.cancel_request else LAPSED
        return False


async def send_link(progress: OrderProgress, step: str = "") -> None:
    """The link to the customer, with what they pay for and until when (again: `step`)."""
    order, link = progress.order, link_of(progress)
    basket = basket_params(order.lines, order.currency_code)
    await notify(
        progress,
        "PAYMENT_LINK",
        moments={"pay_by": link.due},
        step=step,
        payment_link=link.url,
        associate=order.placed_by_associate or "Our store",
        **store_params(progress.pickup_store),
        **basket,
    )


async def _authorize(progress: OrderProgress, attempt: PayInput) -> bool:
    waiting = progress.link
    payment = replace(
        progress.payment(f"pay:{command_key(attempt.request_id)}"),
        payment_method=attempt.payment_method,
    )
    try:
        progress.hold = await run_activity(progress, OrderActivities.authorize_payment, payment)
    except ActivityError as error:  # declined, or a card the provider does not take
        waiting.answers[attempt.request_id] = business_refusal(error)
        waiting.paying = None
        return False
    waiting.answers[attempt.request_id] = None
    waiting.paid_with = attempt.payment_method
    waiting.paid_by = attempt.request_id
    waiting.paying = None
    return True


def _paid(progress: OrderProgress) -> None:
    """The order goes on from here: its plan's times moved on by the time it waited (from the
    placing, when the plan was made), and the answer to a repeated placing read afresh (no
    longer the order as it opened)."""
    progress.link.ended = PAID
    progress.opened_view = ""
    progress.status.payment_due_time = None
    plan = progress.plan
    if plan is not None and plan.shipments:
        progress.plan = _moved_on(plan, workflow.now() - workflow.info().start_time)


def _moved_on(plan: RoutePlanResult, waited: timedelta) -> RoutePlanResult:
    shipments = [
        replace(
            s,
            departs_at=s.departs_at + waited,
            arrives_at=s.arrives_at + waited,
            ready_by=s.ready_by + waited,
        )
        for s in plan.shipments
    ]
    ready_by = plan.ready_by + waited if plan.ready_by is not None else None
    return replace(plan, shipments=shipments, ready_by=ready_by)


# The `pay` update (workflow.py): its validator and its handler.


def check_pay(progress: OrderProgress, request: PayInput) -> None:
    """A wrong code is the same NOT_FOUND as an order without a link; a repeat passes."""
    link = progress.order.payment_link
    if link is None or request.code != link.code:
        raise refusal("ORDER_NOT_FOUND", "no such order to pay", "NOT_FOUND")
    check_request_id(request.request_id)
    if request.request_id in progress.link.answers:
        return
    if not is_payment_method(request.payment_method):
        raise Refusal(
            "INVALID_PAYMENT_METHOD",
            ErrorKind.INVALID_ARGUMENT,
            f"payment_method: {PAYMENT_METHOD_RULE}",
            {},
            {"payment_method": PAYMENT_METHOD_RULE},
        ).error()
    _check_still_due(progress)


def _check_still_due(progress: OrderProgress) -> None:
    waiting, state = progress.link, progress.status.state
    if waiting.ended == LAPSED:
        raise refusal(
            "PAYMENT_LINK_EXPIRED",
            "the payment link lapsed: the order was cancelled unpaid",
            "FAILED_PRECONDITION",
            state=state,
        )
    if waiting.ended or progress.cancel_request is not None or state != OrderState.AWAITING_PAYMENT:
        why = "already paid" if waiting.ended == PAID else f"order is {state}"
        if progress.cancel_request is not None and waiting.ended != PAID:
            why = "the order is being cancelled"
        raise refusal("ORDER_NOT_AWAITING_PAYMENT", why, "FAILED_PRECONDITION", state=state)


async def pay(progress: OrderProgress, request: PayInput) -> OrderStatus:
    """Answers once the order, paid, has been accepted (AWAITING_PICK or IN_TRANSIT, recorded),
    or refuses: the card declined, the link lapsed or the order cancelled meanwhile."""
    waiting, mine = progress.link, request.request_id
    while mine not in waiting.answers:
        await workflow.wait_condition(
            lambda: waiting.paying is None or mine in waiting.answers or bool(waiting.ended)
        )
        if mine in waiting.answers:
            break
        _check_still_due(progress)
        waiting.paying = request
        await workflow.wait_condition(lambda: mine in waiting.answers or bool(waiting.ended))
        if mine not in waiting.answers:
            _check_still_due(progress)
    refused = waiting.answers[mine]
    if refused is not None:
        raise refused.error()
    await workflow.wait_condition(
        lambda: progress.recorded_state != OrderState.AWAITING_PAYMENT and progress.settled()
    )
    return progress.status
