from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, DatabaseSettings, sqlite_url


class OrdersSettings(DatabaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_ORDERS_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["orders"]
    database_url: str = sqlite_url("orders")
    # Which provider moves the money: "sandbox" (see services/orders/payments.py).
    payment_provider: str = "sandbox"
