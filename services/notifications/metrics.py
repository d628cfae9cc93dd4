"""The notifications service's business counters (Prometheus; served with the process's gRPC
metrics): every delivery by channel and outcome (SENT, REFUSED by the provider, FAILED: the
provider could not be reached and the message is retried)."""

from __future__ import annotations

from prometheus_client import Counter

DELIVERIES = Counter(
    "clickcollect_notifications_total",
    "Message deliveries by channel (EMAIL, SMS) and outcome (SENT, REFUSED, FAILED)",
    ["channel", "outcome"],
)
