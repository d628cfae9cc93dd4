"""The order workflow's own constants (versions, patch ids); what goes in and out of the
workflow (payloads, states) is the contract's (workflows/contracts/)."""

from __future__ import annotations

# workflow.patched ids: each marks a change to the workflow's commands after a version shipped.
ROUTING = "route-ship-to-store"
STORE_ESCALATION_MAIL = "store-escalation-mail"
REAUTHORIZE = "reauthorize-before-lapse"
PARTIAL_PICKUP = "partial-pickup"
# A late transfer gets a second deadline (then re-routed, or operations decide).
LOST_TRANSFER = "lost-transfer-deadline"
# Operations are mailed on every lock-out at the counter (and PickupLocked is set).
PICKUP_LOCK_ESCALATION = "pickup-lock-escalation"
# Self-service before hand-over: the pick wait takes a store change, the pickup window can move.
SELF_SERVICE = "self-service-before-handover"
# A late transfer's customer is told the new ready-by.
TELL_CUSTOMER_TRANSFER_LATE = "tell-customer-transfer-late"

# The behaviour an order workflow follows. The gateway asks for CURRENT_VERSION in the input
# (`PlaceOrderInput.workflow_version`); the worker that first runs the order takes it only when
# it knows that version, and records so with one patch marker (VERSIONS[v]): an order an older
# worker started stays on the older behaviour on every worker that replays it. Version 0
# (orders started before versions existed) asks `workflow.patched` about each change above;
# version 1 takes those changes without their markers and runs its short steps as local
# activities; version 2 opens an order with a checkout hold with the pickup store the checkout
# read (`PlaceOrderInput.store`) instead of reading it again; version 3 takes the four patches
# of self-service, late and lost transfers and lock-outs without their markers (an order of
# version 2 asks about each, as the recorded histories do). A change after version 3 is its own
# patch, or part of a new version (CURRENT_VERSION, in the contract, is what the gateway asks for).
VERSIONS = {1: "order-version-1", 2: "order-version-2", 3: "order-version-3"}
# The version that took each patch for granted (a patch absent here is asked about).
SINCE_VERSION = {
    ROUTING: 1,
    STORE_ESCALATION_MAIL: 1,
    REAUTHORIZE: 1,
    PARTIAL_PICKUP: 1,
    SELF_SERVICE: 3,
    TELL_CUSTOMER_TRANSFER_LATE: 3,
    LOST_TRANSFER: 3,
    PICKUP_LOCK_ESCALATION: 3,
}

MAX_PICKUP_CODE_ATTEMPTS = 5
