"""Delivery of text messages: through an SMS gateway named by an apprise URL, or appended to a
local SMS outbox file when there is none (``make run``), so a newcomer sees what went out.

The URL names the gateway without a recipient (``smseagle://TOKEN@sms-gateway:8080``, any
apprise SMS plugin that takes phone numbers as its targets); the customer's number is added as
the target of each message. apprise answers a status and the plugin's log lines, not the
gateway's reply itself: the answer we keep is "<service> <status>: <lines>" ("SMS Eagle
SUCCESS: Sent 1 SMSEagle phone notification to +31…", or why not; the lines of a success are
there when the process logs at INFO, as the services do by default). A gateway that answered
no (an HTTP 4xx, or a 2xx whose result says no) refused the message: final. No answer, a
timeout, 5xx, 408, 429 or a refused credential: try again later.
"""

from __future__ import annotations

import logging
import re
import threading
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import apprise

from services.common.errors import FailedPrecondition, Unavailable
from services.notifications.config import NotificationsSettings
from services.notifications.delivery import Mailer, Outgoing, append_to
from services.notifications.domain import DeliveryChannel

_HTTP_STATUS = re.compile(r"\berror=(\d{3})\b")
# Answers that say "not now" (or "not us"): a retry may go through.
_TRY_AGAIN = frozenset({401, 403, 407, 408, 425, 429})


def target_url(url: str, phone: str) -> str:
    """The gateway's URL with the phone number as its (only) target."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/{phone}"))


def refused_by_provider(status: apprise.AppriseResultStatus, lines: list[str]) -> bool:
    """Whether a failed send was a provider's final no, read from the plugin's last status."""
    if status is not apprise.AppriseResultStatus.FAILURE:
        return False
    codes = [int(code) for line in lines for code in _HTTP_STATUS.findall(line)]
    return bool(codes) and codes[-1] < 500 and codes[-1] not in _TRY_AGAIN


class AppriseSms:
    channel = DeliveryChannel.SMS_GATEWAY

    def __init__(self, url: str, timeout: float) -> None:
        self.url, self.timeout = url, timeout
        self.asset = apprise.AppriseAsset(storage_mode="memory", service_timeout=timeout)
        probe = apprise.Apprise.instantiate(target_url(url, "+31612345678"), asset=self.asset)
        if probe is None:  # never log the URL: it holds the gateway's token
            raise ValueError("sms_url is not an apprise URL of an SMS service")
        self.service = str(probe.service_name)

    def send(self, outgoing: Outgoing) -> str:
        """Sends ``outgoing.body`` to the phone number ``outgoing.recipient``."""
        sender = apprise.Apprise(asset=self.asset)
        sender.add(target_url(self.url, outgoing.recipient))
        result = sender.notify(body=outgoing.body, log_level=logging.INFO, timeout=self.timeout)
        lines = [entry.message for service in result.results for entry in service.logs()]
        answer = f"{self.service} {result.status.name}" + (f": {' '.join(lines)}" if lines else "")
        if result.status is apprise.AppriseResultStatus.SUCCESS:
            return answer
        if refused_by_provider(result.status, lines):
            raise FailedPrecondition(
                "DELIVERY_REFUSED",
                f"the SMS gateway refused the message: {answer}",
                {"provider": self.service},
            )
        raise Unavailable(
            "SMS_UNAVAILABLE",
            f"the SMS gateway could not take the message: {answer}",
            {"provider": self.service},
        )


class SmsOutbox:
    """Appends each text message to one file: a header line (time, number), the text, a blank
    line."""

    channel = DeliveryChannel.SMS_OUTBOX
    _lock = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def send(self, outgoing: Outgoing) -> str:
        stamp = outgoing.time.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        text = f"--- SMS to {outgoing.recipient} at {stamp} ({outgoing.message_id})\n"
        text += outgoing.body.rstrip("\n") + "\n\n"
        return append_to(self.path, self._lock, text)


def sms_sender_for(settings: NotificationsSettings) -> Mailer:
    """The SMS gateway when a URL is configured, the SMS outbox file otherwise."""
    if settings.sms_url:
        return AppriseSms(settings.sms_url, settings.sms_timeout_seconds)
    return SmsOutbox(settings.sms_outbox_path)
