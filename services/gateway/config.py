"""Gateway settings (env prefix CC_GATEWAY_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.codec import CodecSettings
from services.common.settings import DEFAULT_PORTS, ServiceSettings

DEV_JWT_SECRET = "dev-only-secret-do-not-use-in-production-0123456789"


def _local(name: str) -> str:
    return f"127.0.0.1:{DEFAULT_PORTS[name]}"


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CC_GATEWAY_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["gateway"]
    jwt_secret: str = DEV_JWT_SECRET
    jwt_issuer: str = "clickcollect"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # How payloads are encrypted (CC_TEMPORAL_CODEC_*, shared with the worker).
    codec: CodecSettings = Field(default_factory=CodecSettings)
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
