from __future__ import annotations

from pydantic_settings import SettingsConfigDict

from services.common.settings import DEFAULT_PORTS, METRICS_PORTS, DatabaseSettings, sqlite_url


class NotificationsSettings(DatabaseSettings):
    model_config = SettingsConfigDict(env_prefix="CC_NOTIFICATIONS_", frozen=True, extra="ignore")

    port: int = DEFAULT_PORTS["notifications"]
    metrics_port: int = METRICS_PORTS["notifications"]
    database_url: str = sqlite_url("notifications")
    # Mail goes through this SMTP server when set; otherwise it is appended to the outbox file.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    smtp_sender: str = "Click & Collect <no-reply@clickcollect.example>"
    outbox_path: str = "var/outbox/notifications.txt"
    # Text messages go through the SMS gateway this apprise URL names when set (without the
    # recipient: the customer's number is added as its target, e.g.
    # "smseagle://TOKEN@sms-gateway:8080"); otherwise they are appended to the SMS outbox file.
    sms_url: str = ""
    sms_timeout_seconds: float = 10.0
    sms_outbox_path: str = "var/outbox/sms.txt"
