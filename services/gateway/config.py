"""Gateway settings (env prefix CC_GATEWAY_)."""

from __future__ import annotations

from datetime import timedelta
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from services.common.codec import CodecSettings
from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, ServiceSettings
from services.common.tls import TemporalTLSSettings
from services.gateway.domain import Role
from services.gateway.keys import KeyRing, key_ring


def _local(name: str) -> str:
    return f"127.0.0.1:{DEFAULT_PORTS[name]}"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CC_GATEWAY_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["gateway"]
    metrics_port: int = METRICS_PORTS["gateway"]
    # Bearer tokens' keys (keys.py): CC_GATEWAY_JWT_SECRET is one key (id "default"),
    # CC_GATEWAY_JWT_KEYS more ("id:secret,id:secret"), CC_GATEWAY_JWT_SIGNING_KEY_ID the one
    # that signs. Outside development a gateway without a key of its own does not start.
    jwt_secret: SecretStr | None = None
    jwt_keys: SecretStr = SecretStr("")
    jwt_signing_key_id: str = ""
    jwt_issuer: str = "clickcollect"
    # The longest a token of each role may be valid (its exp minus its iat); longer ones are
    # refused, and none is minted.
    customer_token_max_days: int = Field(default=30, ge=1, le=365)
    store_token_max_days: int = Field(default=30, ge=1, le=365)
    ops_token_max_days: int = Field(default=30, ge=1, le=365)
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # How payloads are encrypted (CC_TEMPORAL_CODEC_*, shared with the worker).
    codec: CodecSettings = Field(default_factory=CodecSettings)
    # TLS to Temporal (CC_TEMPORAL_TLS_*, shared with the worker; services/common/tls.py).
    temporal_tls: TemporalTLSSettings = Field(default_factory=TemporalTLSSettings)
    task_queue: str = "orders"
    stores_target: str = _local("stores")
    inventory_target: str = _local("inventory")
    orders_target: str = _local("orders")
    # How long PlaceOrder waits for the workflow's decision before answering UNAVAILABLE.
    place_order_timeout_seconds: float = 30.0
    command_timeout_seconds: float = 30.0
    # How long a checkout hold (GetPickupOptions with hold) keeps the stock.
    hold_ttl_seconds: int = 600
    # How long a mail return's RMA stays valid before it lapses.
    rma_valid_days: int = 14
    # GetAvailability: a shelf with at most this many available to promise is LOW_STOCK.
    low_stock_threshold: int = Field(default=3, ge=0)
    # Endless aisle paid by a link: the payment page (the link is <url>/<order id>/<code>) and
    # how long the customer has to pay before the order is cancelled and its stock released.
    payment_page_url: str = "http://localhost:8088/#/pay"
    payment_link_hours: int = Field(default=24, ge=1, le=168)
    # How long the terminal token of a device paired by a one-time code is valid.
    paired_device_token_days: int = Field(default=7, ge=1, le=90)

    @model_validator(mode="after")
    def _startable(self) -> Self:
        self.key_ring()
        if self.paired_device_token_days > self.store_token_max_days:
            raise ValueError(
                "CC_GATEWAY_PAIRED_DEVICE_TOKEN_DAYS exceeds CC_GATEWAY_STORE_TOKEN_MAX_DAYS: "
                "paired devices would get tokens the gateway refuses"
            )
        return self

    def key_ring(self) -> KeyRing:
        secret = None if self.jwt_secret is None else self.jwt_secret.get_secret_value()
        keys = self.jwt_keys.get_secret_value()
        return key_ring(secret, keys, self.jwt_signing_key_id, self.development)

    def token_max_lifetimes(self) -> dict[Role, timedelta]:
        return {
            Role.CUSTOMER: timedelta(days=self.customer_token_max_days),
            Role.STORE: timedelta(days=self.store_token_max_days),
            Role.OPS: timedelta(days=self.ops_token_max_days),
        }
