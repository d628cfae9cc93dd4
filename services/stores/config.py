from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, DatabaseSettings, sqlite_url


class StoresSettings(DatabaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_STORES_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["stores"]
    metrics_port: int = METRICS_PORTS["stores"]
    database_url: str = sqlite_url("stores")
