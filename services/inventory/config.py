from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, DatabaseSettings, sqlite_url


class InventorySettings(DatabaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_INVENTORY_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["inventory"]
    metrics_port: int = METRICS_PORTS["inventory"]
    database_url: str = sqlite_url("inventory")
    # How often the service releases checkout holds whose ttl passed.
    hold_sweep_seconds: float = Field(default=5.0, gt=0)
    # How long the writer of reservations waits for more to join its transaction, when the
    # last one it wrote held several (callers are concurrent): bigger groups, fewer commits.
    reserve_linger_seconds: float = Field(default=0.002, ge=0, le=0.1)
