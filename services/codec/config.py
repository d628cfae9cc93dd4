"""Codec server settings (env prefix CC_CODEC_; the keys are CC_TEMPORAL_CODEC_*, shared with
the worker and the gateway)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from services.common.codec import CodecSettings
from services.common.settings import DEFAULT_PORTS, Origins, ServiceSettings

MIB = 1024 * 1024
# Shorter than this, an access token is refused as a setting (it guards every customer's data).
MIN_TOKEN_CHARS = 24


class CodecServerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CC_CODEC_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["codec"]
    # What a caller must show to have payloads decoded or encoded: `Authorization: Bearer
    # <token>` (the `temporal` CLI's --codec-auth), or the token as the endpoint's first path
    # segment (the Temporal UI, which sends no header of its own without a sign-in). Given
    # here or in a mounted secret file; without one the server does not start.
    access_token: SecretStr = SecretStr("")
    access_token_file: Path | None = None
    # The Temporal UI's origins (the browser calls the codec server from the UI's pages).
    allowed_origins: Origins = ("http://localhost:8233", "http://127.0.0.1:8233")
    # A request body larger than this is refused with 413.
    max_request_bytes: int = 8 * MIB
    codec: CodecSettings = Field(default_factory=CodecSettings)

    def token(self) -> str:
        """The access token (from the file when one is named); a short one is refused."""
        token = self.access_token.get_secret_value()
        if self.access_token_file is not None:
            token = self.access_token_file.read_text(encoding="utf-8").strip()
        if len(token) < MIN_TOKEN_CHARS:
            raise ValueError(
                f"the codec server needs an access token of {MIN_TOKEN_CHARS}+ characters"
                " (CC_CODEC_ACCESS_TOKEN or CC_CODEC_ACCESS_TOKEN_FILE)"
            )
        return token
