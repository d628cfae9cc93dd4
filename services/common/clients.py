"""Channels to our own services: plaintext on loopback by default, TLS when configured; retried
on UNAVAILABLE (every mutating RPC of ours is idempotent by request_id, so a retry is safe)."""

from __future__ import annotations

import json

import grpc

from services.common.tracing import client_interceptors

_SERVICE_CONFIG = json.dumps(
    {
        "methodConfig": [
            {
                "name": [{}],
                "retryPolicy": {
                    "maxAttempts": 5,
                    "initialBackoff": "0.1s",
                    "maxBackoff": "2s",
                    "backoffMultiplier": 2,
                    "retryableStatusCodes": ["UNAVAILABLE"],
                },
            }
        ]
    }
)

DEFAULT_TIMEOUT_SECONDS = 10.0


def channel(target: str, credentials: grpc.ChannelCredentials | None = None) -> grpc.aio.Channel:
    """A channel to one of our services; over TLS with `credentials` (TLSSettings); each call a
    client span when the process traces."""
    options = [
        ("grpc.enable_retries", 1),
        ("grpc.service_config", _SERVICE_CONFIG),
        ("grpc.keepalive_time_ms", 30_000),
        ("grpc.lb_policy_name", "round_robin"),
    ]
    interceptors = client_interceptors()
    if credentials is None:
        return grpc.aio.insecure_channel(target, options=options, interceptors=interceptors)
    return grpc.aio.secure_channel(target, credentials, options=options, interceptors=interceptors)
