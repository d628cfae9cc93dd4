"""Between the payment protos and the money movements' rows."""

from __future__ import annotations

from clickcollect.common.v1 import money_pb2
from clickcollect.orders.v1 import orders_pb2 as pb
from services.common.timeconv import to_timestamp
from services.orders.payments.domain import PaymentOperation, PaymentStatus
from services.orders.payments.tables import PaymentRow

OPERATION_OUT = {o: pb.PaymentOperation.Value(f"PAYMENT_OPERATION_{o}") for o in PaymentOperation}
STATUS_OUT = {s: pb.PaymentStatus.Value(f"PAYMENT_STATUS_{s}") for s in PaymentStatus}


def payment_to_proto(payment: PaymentRow | None) -> pb.Payment:
    """The movement; an empty message for none (a void with nothing to void)."""
    if payment is None:
        return pb.Payment()
    return pb.Payment(
        payment_id=payment.payment_id,
        operation=OPERATION_OUT[PaymentOperation(payment.operation)],
        status=STATUS_OUT[PaymentStatus(payment.status)],
        amount=money_pb2.Money(amount_minor=payment.amount_minor, currency_code=payment.currency),
        provider=payment.provider,
        provider_reference=payment.provider_reference,
        idempotency_key=payment.idempotency_key,
        decline_reason=payment.decline_reason,
        time=to_timestamp(payment.time),
        expire_time=to_timestamp(payment.expire_time),
        return_id=payment.return_id,
        authorization_id=payment.authorization_id,
    )
