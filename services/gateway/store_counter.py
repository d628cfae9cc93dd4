"""StoreOpsService at the counter: till sales recorded as orders, returns taken at any store,
mail-return parcels received at a store or DC."""

from __future__ import annotations

from collections.abc import Iterable

from temporalio.common import SearchAttributePair

from clickcollect.gateway.v1 import order_views_pb2, store_ops_pb2
from services.common import ids
from services.common.errors import Violations
from services.common.order_states import OrderState
from services.common.server import Context
from services.gateway.auth import TokenAuthority
from services.gateway.commands import OrderCommands, WorkflowClosed, decision_refused
from services.gateway.domain import (
    BasketLine,
    ReturnLine,
    Role,
    check_basket,
    check_email,
    check_order_id,
    check_payment_method,
    check_reason,
    check_receipt_number,
    check_request_id,
    check_return_lines,
    ensure_sells_over_the_counter,
    enum_name,
)
from services.gateway.pricing import priced_lines
from services.gateway.profile_rules import check_till_customer
from services.gateway.profiles import linked_customer
from services.gateway.reads import Reads
from services.gateway.returns import Returns, items_of
from services.gateway.views import store_order, store_return
from workflows.contracts import search
from workflows.contracts.ids import sale_workflow_id
from workflows.contracts.interfaces import StoreSaleWorkflow
from workflows.contracts.orders import PlaceOrderInput
from workflows.contracts.returns import IN_STORE, ReceiveReturnInput, ReturnInput

ANONYMOUS = "anonymous"


def _returned(lines: Iterable[store_ops_pb2.ReturnedLine]) -> list[ReturnLine]:
    return [
        ReturnLine(
            line.sku,
            line.quantity,
            enum_name(order_views_pb2.ItemCondition, line.condition, "ITEM_CONDITION_"),
        )
        for line in lines
    ]


class StoreCounter:
    auth: TokenAuthority
    commands: OrderCommands
    reads: Reads
    returns: Returns

    async def RecordStoreSale(
        self, request: store_ops_pb2.RecordStoreSaleRequest, context: Context
    ) -> store_ops_pb2.RecordStoreSaleResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        errors = Violations()
        check_request_id(request.request_id, errors)
        check_receipt_number(request.receipt_number, errors)
        customer_id = request.customer_id.strip() or ANONYMOUS
        errors.check(ids.is_customer_id(customer_id), "customer_id", "not a customer id")
        email = request.customer_email.strip()
        if email:
            check_email(email, errors)
        card = request.loyalty_card.strip()
        check_till_customer(request.customer_id.strip(), card, errors)
        check_payment_method(request.payment_method, errors)
        basket = check_basket([BasketLine(x.sku, x.quantity) for x in request.lines], errors)
        errors.raise_if_any()
        store = await self.reads.location(principal.store_id)
        ensure_sells_over_the_counter(store.location_id)
        currency, lines = await priced_lines(self.reads, basket)
        if customer_id == ANONYMOUS:  # a card or a linked receipt e-mail may name them
            customer_id = await linked_customer(self.reads, card, email) or ANONYMOUS
        sale = PlaceOrderInput(
            order_id=ids.order_id_for(f"till.{principal.store_id}", request.request_id),
            customer_id=customer_id,
            customer_email=email,
            channel="STORE",
            pickup_store_id=principal.store_id,
            currency_code=currency,
            payment_method=request.payment_method,
            lines=lines,
            receipt_number=request.receipt_number,
            store_name=store.name,
        )
        attributes = [
            SearchAttributePair(search.ORDER_STATE, OrderState.PENDING.value),
            SearchAttributePair(search.PICKUP_STORE_ID, principal.store_id),
            SearchAttributePair(search.CUSTOMER_ID, customer_id),
        ]
        workflow = sale_workflow_id(sale.order_id)
        try:
            decision = await self.commands.run_to_end(
                StoreSaleWorkflow.run, sale, workflow, attributes
            )
        except WorkflowClosed:
            decision = await self.commands.result(StoreSaleWorkflow.run, workflow)
        if not decision.accepted:
            raise decision_refused(decision)
        order = await self.reads.order(sale.order_id)
        return store_ops_pb2.RecordStoreSaleResponse(order=store_order(order))

    async def ProcessReturn(
        self, request: store_ops_pb2.ProcessReturnRequest, context: Context
    ) -> store_ops_pb2.ProcessReturnResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        errors = Violations()
        check_request_id(request.request_id, errors)
        check_order_id(request.order_id, errors)
        lines = check_return_lines(_returned(request.lines), errors, inspected=True)
        reason = check_reason(request.reason, "reason", errors)
        override = check_reason(request.override_reason, "override_reason", errors)
        errors.raise_if_any()
        counter = await self.returns.receiving_location(principal.store_id)
        order = await self.reads.order(request.order_id)
        ret = ReturnInput(
            return_id=ids.return_id_for(order.order_id, request.request_id),
            order_id=order.order_id,
            customer_id=order.customer_id,
            customer_email=order.customer_email,
            method=IN_STORE,
            items=items_of(lines),
            receiving_location_id=principal.store_id,
            reason=reason,
            override_reason=override,
            overridden_by=principal.subject if override else "",
            item_names={line.sku: line.name for line in order.lines},
            receiving_location_name=counter.name,
            time_zone=counter.time_zone or "UTC",
        )
        opened = await self.returns.open(ret)
        return store_ops_pb2.ProcessReturnResponse(order_return=store_return(opened))

    async def ReceiveReturn(
        self, request: store_ops_pb2.ReceiveReturnRequest, context: Context
    ) -> store_ops_pb2.ReceiveReturnResponse:
        principal = self.auth.authenticate(context, Role.STORE)
        errors = Violations()
        check_request_id(request.request_id, errors)
        return_id = ids.return_id_of(request.return_id)
        errors.check(return_id is not None, "return_id", "RET-XXXXXXXXXX or RMA-XXXXXXXXXX")
        lines = check_return_lines(_returned(request.lines), errors, inspected=True)
        errors.raise_if_any()
        assert return_id is not None
        dock = await self.returns.receiving_location(principal.store_id)
        parcel = ReceiveReturnInput(
            request.request_id, principal.store_id, items_of(lines), principal.subject, dock.name
        )
        received = await self.returns.receive(return_id, parcel)
        return store_ops_pb2.ReceiveReturnResponse(order_return=store_return(received))
