"""The order workflow's own constants (versions, patches) and the payloads of the contract it
implements (workflows/contracts), imported from there under the names the workflow's steps use."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from workflows.contracts.ids import TASK_QUEUE as TASK_QUEUE
from workflows.contracts.orders import CURRENT_VERSION as CURRENT_VERSION
from workflows.contracts.orders import PICKUP_IN_STORE as PICKUP_IN_STORE
from workflows.contracts.orders import AllocationRow as AllocationRow
from workflows.contracts.orders import CancelInput as CancelInput
from workflows.contracts.orders import CandidateRow as CandidateRow
from workflows.contracts.orders import CollectedLineInput as CollectedLineInput
from workflows.contracts.orders import ConfirmPickupInput as ConfirmPickupInput
from workflows.contracts.orders import Decision as Decision
from workflows.contracts.orders import MarkPickedInput as MarkPickedInput
from workflows.contracts.orders import MissingLineInput as MissingLineInput
from workflows.contracts.orders import OpeningHoursRow as OpeningHoursRow
from workflows.contracts.orders import OrderLineInput as OrderLineInput
from workflows.contracts.orders import OrderOutcome as OrderOutcome
from workflows.contracts.orders import OrderStatus as OrderStatus
from workflows.contracts.orders import PickupStore as PickupStore
from workflows.contracts.orders import PlaceOrderInput as PlaceOrderInput
from workflows.contracts.orders import fingerprint as fingerprint
from workflows.contracts.orders import request_fingerprint as request_fingerprint
from workflows.contracts.refusal import Refusal
from workflows.contracts.states import CANCEL_REQUEST_STATES as CANCEL_REQUEST_STATES
from workflows.contracts.states import FINAL_STATES as FINAL_STATES
from workflows.contracts.states import OrderState as OrderState

# The contract's order states under the short names the steps use.
PENDING = OrderState.PENDING
REJECTED = OrderState.REJECTED
AWAITING_PICK = OrderState.AWAITING_PICK
IN_TRANSIT = OrderState.IN_TRANSIT
READY_FOR_PICKUP = OrderState.READY_FOR_PICKUP
PICKED_UP = OrderState.PICKED_UP
CANCELLED = OrderState.CANCELLED
EXPIRED = OrderState.EXPIRED

# workflow.patched ids: each marks a change to the workflow's commands after a version shipped.
ROUTING = "route-ship-to-store"
STORE_ESCALATION_MAIL = "store-escalation-mail"
REAUTHORIZE = "reauthorize-before-lapse"
PARTIAL_PICKUP = "partial-pickup"

# The behaviour an order workflow follows. The gateway asks for CURRENT_VERSION in the input
# (`PlaceOrderInput.workflow_version`); the worker that first runs the order takes it only when
# it knows that version, and records so with one patch marker (VERSIONS[v]): an order an older
# worker started stays on the older behaviour on every worker that replays it. Version 0
# (orders started before versions existed) asks `workflow.patched` about each change above;
# version 1 takes those changes without their markers and runs its short steps as local
# activities; version 2 opens an order with a checkout hold with the pickup store the checkout
# read (`PlaceOrderInput.store`) instead of reading it again. A change after version 2 is its own
# patch, or part of a new version (CURRENT_VERSION, in the contract, is what the gateway asks for).
VERSIONS = {1: "order-version-1", 2: "order-version-2"}
# The version that took each patch for granted (a patch absent here is asked about).
SINCE_VERSION = {ROUTING: 1, STORE_ESCALATION_MAIL: 1, REAUTHORIZE: 1, PARTIAL_PICKUP: 1}

MAX_PICKUP_CODE_ATTEMPTS = 5


def refused_decision(order_id: str, refused: ApplicationError) -> Decision:
    """The answer to PlaceOrder (or a till sale) for a refusal: out of stock, declined …"""
    return Decision.refused(order_id, Refusal.of(refused))
