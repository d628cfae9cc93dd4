"""Paying by a link: an associate orders for the customer at the counter and the customer pays
later (StoreOpsService.PlaceOrderForCustomer with payment_link). The order waits AWAITING_PAYMENT
with its stock reserved; the link sent to the customer names the order and a code, and the page
behind it reads the order (CheckoutService.GetOrderToPay) and pays it (PayOrder).

The code is the credential, so these two methods need no token: it is an HMAC of the order id
under the gateway's signing key, made when the order is placed, checked here (against every key
the gateway has, so that links outlive a key rotation) before anything is read, and checked
again by the order's workflow. An unknown order and a wrong code are the same NOT_FOUND. The
link lapses with the order's payment window (CC_GATEWAY_PAYMENT_LINK_HOURS): unpaid by then,
the order is cancelled and its stock released."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import timedelta

from clickcollect.gateway.v1 import payment_links_pb2 as pb
from clickcollect.orders.v1 import orders_pb2
from services.common.errors import DomainError, ErrorKind, FailedPrecondition, NotFound, Violations
from services.common.order_states import OrderState
from services.common.server import Context
from services.common.timeconv import utcnow
from services.gateway.auth import TokenAuthority
from services.gateway.catching_up import state_behind, until_caught_up
from services.gateway.commands import OrderCommands, WorkflowClosed, answered_before
from services.gateway.domain import check_order_id, check_payment_method, check_request_id
from services.gateway.keys import KeyRing
from services.gateway.reads import Reads, state_name
from services.gateway.views import projected
from workflows.contracts.interfaces import OrderWorkflow
from workflows.contracts.orders import PayInput, PaymentLink

CODE_LENGTH = 32  # hex digits: 128 bits
CODE = re.compile(rf"[0-9a-fA-F]{{{CODE_LENGTH}}}")
CODE_RULE = f"the payment link's code: {CODE_LENGTH} hexadecimal digits"
PAID_EVENT = "order_accepted"  # the paid order's acceptance keeps the PayOrder request id
EXPIRED = "PAYMENT_LINK_EXPIRED"


@dataclass(frozen=True)
class LinkTerms:
    """Where the payment page is (the link is `<page_url>/<order id>/<code>`) and how long a
    link stays good."""

    page_url: str = "http://localhost:8088/#/pay"
    hours: int = 24


def link_code(secret: str, order_id: str) -> str:
    """The code of `order_id`'s payment link."""
    digest = hmac.new(secret.encode(), f"payment-link:{order_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:CODE_LENGTH]


def is_link_code(keys: KeyRing, order_id: str, code: str) -> bool:
    """Whether `code` is `order_id`'s under one of the keys (compared in constant time)."""
    given = code.lower().encode()
    matches = [
        hmac.compare_digest(link_code(secret, order_id).encode(), given)
        for secret in keys.secrets.values()
    ]
    return any(matches)


def new_link(keys: KeyRing, order_id: str, terms: LinkTerms) -> PaymentLink:
    """The link of an order placed now: the page's address with the order and its code (under
    the signing key), and when it lapses (to the second)."""
    code = link_code(keys.signing_secret, order_id)
    due = (utcnow() + timedelta(hours=terms.hours)).replace(microsecond=0)
    return PaymentLink(code, f"{terms.page_url.rstrip('/')}/{order_id}/{code}", due)


class PaymentLinks:
    """CheckoutService.GetOrderToPay and PayOrder (mixed into CheckoutServicer)."""

    auth: TokenAuthority
    commands: OrderCommands
    reads: Reads

    async def GetOrderToPay(
        self, request: pb.GetOrderToPayRequest, context: Context
    ) -> pb.GetOrderToPayResponse:
        self.auth.refuse_bad_token(context)
        order = await self._linked_order(request.order_id, request.code, Violations())
        return pb.GetOrderToPayResponse(order=await self._to_pay(order))

    async def PayOrder(self, request: pb.PayOrderRequest, context: Context) -> pb.PayOrderResponse:
        self.auth.refuse_bad_token(context)
        errors = Violations()
        check_request_id(request.request_id, errors)
        check_payment_method(request.payment_method, errors)
        order = await self._linked_order(request.order_id, request.code, errors)
        paying = PayInput(request.request_id, request.code.lower(), request.payment_method)
        await self._pay(order, paying)
        return pb.PayOrderResponse(order=await self._to_pay(await self.reads.order(order.order_id)))

    async def _linked_order(self, order_id: str, code: str, errors: Violations) -> orders_pb2.Order:
        """The order the link names; NOT_FOUND for a wrong code as for an unknown order."""
        check_order_id(order_id, errors)
        errors.check(bool(CODE.fullmatch(code)), "code", CODE_RULE)
        errors.raise_if_any()
        if not is_link_code(self.auth.keys, order_id, code):
            raise _no_order(order_id)
        try:
            return await self.reads.order(order_id)
        except DomainError as error:
            if error.kind is ErrorKind.NOT_FOUND:
                raise _no_order(order_id) from None
            raise

    async def _pay(self, order: orders_pb2.Order, paying: PayInput) -> None:
        """The order's `pay` update by request id, waited for while the workflow is behind
        what reads show; after the order ended, a repeat of the payment that accepted it is
        answered as the first time, anything else refused with how it ended."""
        awaiting = frozenset({OrderState.AWAITING_PAYMENT.value})

        async def behind(refused: DomainError | None) -> bool:
            return state_behind(
                refused, state_name(await self.reads.order(order.order_id)), awaiting
            )

        try:
            await until_caught_up(
                lambda seconds: self.commands.update(
                    order.order_id, OrderWorkflow.pay, paying, f"pay:{paying.request_id}", seconds
                ),
                behind,
                self.commands.timeout.total_seconds(),
            )
        except WorkflowClosed:
            ended = await self.reads.order(order.order_id)
            if answered_before(ended, PAID_EVENT, paying.request_id):
                return
            state = state_name(ended)
            if ended.state_reason == EXPIRED:
                raise FailedPrecondition(
                    EXPIRED, "the payment link lapsed: the order was cancelled", {"state": state}
                ) from None
            raise FailedPrecondition(
                "ORDER_NOT_AWAITING_PAYMENT", f"order is {state}", {"state": state}
            ) from None

    async def _to_pay(self, order: orders_pb2.Order) -> pb.OrderToPay:
        view = projected(order, pb.OrderToPay(), besides=frozenset({"pickup_store_name"}))
        view.pickup_store_name = (await self.reads.location(order.pickup_store_id)).name
        return view


def _no_order(order_id: str) -> NotFound:
    return NotFound("ORDER_NOT_FOUND", f"no order {order_id} to pay", {"order_id": order_id})
