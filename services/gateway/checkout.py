"""CheckoutService: the public API of web and app checkout back ends."""

from __future__ import annotations

from datetime import timedelta

from clickcollect.gateway.v1 import checkout_pb2, checkout_pb2_grpc, order_views_pb2
from services.common.errors import DomainError, PermissionDenied, Violations
from services.common.ids import is_return_id, order_id_for, return_id_for
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.catching_up import state_behind, until_caught_up
from services.gateway.commands import OrderCommands, WorkflowClosed, refuse_closed
from services.gateway.domain import (
    MAX_CANCEL_REASON,
    BasketLine,
    PlaceOrderCommand,
    ReturnLine,
    Role,
    canceller,
    check_order_id,
    check_place_order,
    check_reason,
    check_request_id,
    check_return_lines,
    ensure_customer_may_see,
    enum_name,
    no_order,
    no_return,
)
from services.gateway.payment_links import PaymentLinks
from services.gateway.pickup_options import PickupOptions
from services.gateway.placing import OrderAsked, OrderPlacing, priced_order
from services.gateway.profiles import ProfileDesk, checkout_email
from services.gateway.reads import Reads, state_name
from services.gateway.return_address import mail_return_address
from services.gateway.returns import Returns, items_of
from services.gateway.self_service import SelfServiceRpcs
from services.gateway.stock.availability import Availability
from services.gateway.views import customer_order, customer_return
from workflows.contracts.interfaces import OrderWorkflow
from workflows.contracts.orders import CancelInput
from workflows.contracts.returns import MAIL, ReturnInput
from workflows.contracts.states import CANCEL_REQUEST_STATES

CUSTOMERS = (Role.CUSTOMER,)


class CheckoutServicer(
    ProfileDesk, SelfServiceRpcs, PaymentLinks, checkout_pb2_grpc.CheckoutServiceServicer
):
    def __init__(
        self,
        auth: TokenAuthority,
        commands: OrderCommands,
        reads: Reads,
        decision_timeout: float,
        returns: Returns,
        hold_ttl_seconds: int = 600,
        low_stock_threshold: int = 3,
    ) -> None:
        self.auth = auth
        self.commands = commands
        self.reads = reads
        self.pickup_options = PickupOptions(reads, hold_ttl_seconds)
        self.availability = Availability(reads, low_stock_threshold, self.pickup_options.queues)
        self.placing = OrderPlacing(commands, reads, timedelta(seconds=decision_timeout))
        self.returns = returns

    async def GetPickupOptions(
        self, request: checkout_pb2.GetPickupOptionsRequest, context: Context
    ) -> checkout_pb2.GetPickupOptionsResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER, Role.OPS)
        if request.hold and principal.role is not Role.CUSTOMER:
            raise PermissionDenied(
                "ROLE_NOT_ALLOWED", "only a customer can hold stock", {"role": principal.role.value}
            )
        if principal.role is Role.OPS:  # with how each store's option was routed
            options, explained = await self.pickup_options.explained(request)
            return checkout_pb2.GetPickupOptionsResponse(options=options, explanations=explained)
        options = await self.pickup_options.for_request(request, principal.subject)
        return checkout_pb2.GetPickupOptionsResponse(options=options)

    async def GetAvailability(
        self, request: checkout_pb2.GetAvailabilityRequest, context: Context
    ) -> checkout_pb2.GetAvailabilityResponse:
        self.auth.authenticate(context, Role.CUSTOMER, Role.OPS)  # as GetPickupOptions
        stores = await self.availability.for_request(request)
        return checkout_pb2.GetAvailabilityResponse(stores=stores)

    async def PlaceOrder(
        self, request: checkout_pb2.PlaceOrderRequest, context: Context
    ) -> checkout_pb2.PlaceOrderResponse:
        principal = self.auth.authenticate(context, *CUSTOMERS)
        command = _place_order_command(request)
        basket = check_place_order(command)
        order_id = order_id_for(principal.subject, command.request_id)
        asked = OrderAsked(
            order_id=order_id,
            customer_id=principal.subject,
            channel=command.channel,
            pickup_store_id=command.pickup_store_id,
            basket=basket,
            payment_method=command.payment_method,
            hold_id=command.hold_id,
        )
        order = await self.placing.place(
            order_id,
            lambda: priced_order(
                self.reads,
                asked,
                checkout_email(self.reads, principal.subject, command.customer_email),
            ),
        )
        return checkout_pb2.PlaceOrderResponse(order=customer_order(order))

    async def GetOrder(
        self, request: checkout_pb2.GetOrderRequest, context: Context
    ) -> checkout_pb2.GetOrderResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER, Role.OPS)
        check_order_id(request.order_id)
        order = await self.reads.order(request.order_id)
        ensure_customer_may_see(principal, order.customer_id, no_order(order.order_id))
        return checkout_pb2.GetOrderResponse(order=customer_order(order))

    async def ListOrders(
        self, request: checkout_pb2.ListOrdersRequest, context: Context
    ) -> checkout_pb2.ListOrdersResponse:
        principal = self.auth.authenticate(context, *CUSTOMERS)
        listed = await self.reads.customer_orders(
            principal.subject, request.page_size, request.page_token
        )
        return checkout_pb2.ListOrdersResponse(
            orders=[customer_order(order) for order in listed.orders],
            next_page_token=listed.next_page_token,
        )

    async def CancelOrder(
        self, request: checkout_pb2.CancelOrderRequest, context: Context
    ) -> checkout_pb2.CancelOrderResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER, Role.OPS)
        errors = Violations()
        check_request_id(request.request_id, errors)
        check_order_id(request.order_id, errors)
        reason = check_reason(request.reason, "reason", errors, MAX_CANCEL_REASON)
        errors.raise_if_any()
        order = await self.reads.order(request.order_id)
        ensure_customer_may_see(principal, order.customer_id, no_order(order.order_id))
        cancel = CancelInput(request.request_id, reason, canceller(principal))
        update_id = f"cancel:{request.request_id}"

        async def behind(refused: DomainError | None) -> bool:
            fresh = await self.reads.order(order.order_id)
            return state_behind(refused, state_name(fresh), CANCEL_REQUEST_STATES)

        try:
            await until_caught_up(
                lambda seconds: self.commands.update(
                    order.order_id, OrderWorkflow.cancel, cancel, update_id, seconds
                ),
                behind,
                self.commands.timeout.total_seconds(),
            )
        except WorkflowClosed:
            closed = await self.reads.order(order.order_id)
            refuse_closed(closed, "ORDER_NOT_CANCELLABLE", "order_cancelled", request.request_id)
        cancelled = await self.reads.order(order.order_id)
        return checkout_pb2.CancelOrderResponse(order=customer_order(cancelled))

    async def RequestReturn(
        self, request: checkout_pb2.RequestReturnRequest, context: Context
    ) -> checkout_pb2.RequestReturnResponse:
        principal = self.auth.authenticate(context, *CUSTOMERS)
        errors = Violations()
        check_request_id(request.request_id, errors)
        check_order_id(request.order_id, errors)
        lines = [ReturnLine(line.sku, line.quantity) for line in request.lines]
        lines = check_return_lines(lines, errors, inspected=False)
        reason = check_reason(request.reason, "reason", errors)
        errors.raise_if_any()
        order = await self.reads.order(request.order_id)
        ensure_customer_may_see(principal, order.customer_id, no_order(order.order_id))
        bought_at = await self.reads.location(order.pickup_store_id)
        send_to = await mail_return_address(self.reads, bought_at)
        ret = ReturnInput(
            return_id=return_id_for(order.order_id, request.request_id),
            order_id=order.order_id,
            customer_id=order.customer_id,
            customer_email=order.customer_email,
            method=MAIL,
            items=items_of(lines),
            reason=reason,
            rma_valid_days=self.returns.rma_valid_days,
            item_names={line.sku: line.name for line in order.lines},
            time_zone=bought_at.time_zone or "UTC",
            return_to_name=send_to.name,
            return_to_address=send_to.address,
        )
        opened = await self.returns.open(ret)
        return checkout_pb2.RequestReturnResponse(order_return=customer_return(opened))

    async def GetReturn(
        self, request: checkout_pb2.GetReturnRequest, context: Context
    ) -> checkout_pb2.GetReturnResponse:
        principal = self.auth.authenticate(context, Role.CUSTOMER, Role.OPS)
        errors = Violations()
        errors.check(is_return_id(request.return_id), "return_id", "format RET-XXXXXXXXXX")
        errors.raise_if_any()
        ret = await self.returns.get(request.return_id)
        ensure_customer_may_see(principal, ret.customer_id, no_return(ret.return_id))
        return checkout_pb2.GetReturnResponse(order_return=customer_return(ret))


def _place_order_command(request: checkout_pb2.PlaceOrderRequest) -> PlaceOrderCommand:
    channel = enum_name(order_views_pb2.Channel, request.channel, "CHANNEL_")
    return PlaceOrderCommand(
        request_id=request.request_id,
        pickup_store_id=request.pickup_store_id,
        lines=[BasketLine(line.sku, line.quantity) for line in request.lines],
        channel="WEB" if channel == "UNSPECIFIED" else channel,
        customer_email=request.customer_email.strip(),
        payment_method=request.payment_method,
        hold_id=request.hold_id,
    )
