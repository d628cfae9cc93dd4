#!/bin/sh
# One-shot (temporalio/admin-tools): waits for the frontend, creates the namespace and registers the
# search attributes the order workflow upserts. Safe to run again.
set -eu
ns="${TEMPORAL_NAMESPACE:-default}"
until temporal operator cluster health >/dev/null 2>&1; do
  echo "waiting for Temporal at ${TEMPORAL_ADDRESS:-the default address}"; sleep 2
done
temporal operator namespace describe -n "$ns" >/dev/null 2>&1 || temporal operator namespace create -n "$ns"
until temporal operator search-attribute list -n "$ns" >/dev/null 2>&1; do sleep 2; done
register() {
  type="$1"; shift
  for name in "$@"; do
    if temporal operator search-attribute list -n "$ns" | grep -qw "$name"; then
      echo "search attribute $name already registered"
    else
      temporal operator search-attribute create -n "$ns" --name "$name" --type "$type"
    fi
  done
}
register Keyword OrderState PickupStoreId FulfillmentType CustomerId ReturnState ReceivingStoreId OrderId
register Datetime PickDeadline PickupExpiresAt
register Bool TransferLate PickupLocked TransferLost
