from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, DatabaseSettings, sqlite_url


class OrdersSettings(DatabaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_ORDERS_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["orders"]
    metrics_port: int = METRICS_PORTS["orders"]
    database_url: str = sqlite_url("orders")
    # Which provider moves the money: "sandbox" (see services/orders/payments/provider.py).
    payment_provider: str = "sandbox"
    # How long an authorization holds the money before it lapses (unless re-authorized).
    authorization_lifetime_hours: int = Field(default=168, gt=0)
    # Days after the hand-over within which a return is accepted, per sales channel.
    return_window_days_web: int = Field(default=30, ge=0)
    return_window_days_app: int = Field(default=30, ge=0)
    return_window_days_store: int = Field(default=30, ge=0)

    @property
    def authorization_lifetime(self) -> timedelta:
        return timedelta(hours=self.authorization_lifetime_hours)
