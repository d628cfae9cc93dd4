"""Delivery of e-mail: through an SMTP server, or appended to a local outbox file when there is
none (text messages: sms.py). Each sender answers what its provider said.

Both are called from the unit of work's thread, inside the transaction that claims the
idempotency key and channel: when delivery fails (UNAVAILABLE) the claim is not kept and a
retry sends the message; a refusal (FAILED_PRECONDITION/DELIVERY_REFUSED) is final.
"""

from __future__ import annotations

import io
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Protocol

from services.common.errors import FailedPrecondition, Unavailable
from services.notifications.config import NotificationsSettings
from services.notifications.domain import DeliveryChannel


@dataclass(frozen=True)
class Outgoing:
    message_id: str
    sender: str
    recipient: str
    subject: str
    body: str
    time: datetime

    def email(self) -> EmailMessage:
        message = EmailMessage(policy=policy.SMTP)
        message["From"] = self.sender
        message["To"] = self.recipient
        message["Subject"] = self.subject
        message["Date"] = format_datetime(self.time)
        message["Message-ID"] = f"<{self.message_id}@clickcollect>"
        message.set_content(self.body, cte="8bit")
        return message


class Mailer(Protocol):
    """Sends one message (mail, or a text message to ``outgoing.recipient``); answers what the
    provider said. UNAVAILABLE to try again later, FAILED_PRECONDITION when refused."""

    channel: DeliveryChannel

    def send(self, outgoing: Outgoing) -> str: ...


class _AnsweredSMTP(smtplib.SMTP):
    """Keeps the server's reply to the message (``250 OK queued as …``)."""

    reply = ""

    def data(self, msg: object) -> tuple[int, bytes]:
        code, text = super().data(msg)  # type: ignore[arg-type]
        self.reply = f"{code} {text.decode('utf-8', 'replace')}"
        return code, text


class SmtpMailer:
    channel = DeliveryChannel.SMTP

    def __init__(self, host: str, port: int, starttls: bool, timeout: float) -> None:
        self.host, self.port, self.starttls, self.timeout = host, port, starttls, timeout

    def send(self, outgoing: Outgoing) -> str:
        """Hands the message to the server, answering its reply; UNAVAILABLE when it cannot be
        reached."""
        try:
            with _AnsweredSMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                smtp.send_message(outgoing.email())
                return smtp.reply
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise _refused(codes[0]) from None
            raise _unavailable(self.host, error) from None
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                raise _refused(error.smtp_code) from None
            raise _unavailable(self.host, error) from None
        except OSError as error:  # refused connection, timeout, dropped session
            raise _unavailable(self.host, error) from None


def _refused(code: int) -> FailedPrecondition:
    return FailedPrecondition(
        "DELIVERY_REFUSED",
        f"the mail server refused the message ({code})",
        {"smtp_code": str(code)},
    )


def _unavailable(host: str, error: Exception) -> Unavailable:
    return Unavailable(
        "SMTP_UNAVAILABLE",
        f"mail server {host} could not take the message: {error}",
        {"smtp_host": host},
    )


class OutboxMailer:
    """Appends each message to one text file, mbox style: a ``From `` line, headers, body."""

    channel = DeliveryChannel.OUTBOX
    _lock = threading.Lock()

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def send(self, outgoing: Outgoing) -> str:
        address = parseaddr(outgoing.sender)[1] or "clickcollect"
        envelope = f"From {address} {outgoing.time.strftime('%a %b %d %H:%M:%S %Y')}\n"
        buffer = io.BytesIO()  # body lines starting "From " are escaped, as mbox readers expect
        utf8 = policy.default.clone(utf8=True, linesep="\n")
        BytesGenerator(buffer, mangle_from_=True, policy=utf8).flatten(outgoing.email())
        return append_to(self.path, self._lock, envelope + buffer.getvalue().decode("utf-8") + "\n")


def append_to(path: Path, lock: threading.Lock, text: str) -> str:
    """Appends one message to a local outbox file (made when missing); the provider's answer
    an outbox gives."""
    with lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as outbox:
            outbox.write(text)
    return f"written to {path}"


def mailer_for(settings: NotificationsSettings) -> Mailer:
    """SMTP when a server is configured, the outbox file otherwise."""
    if settings.smtp_host:
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_starttls,
            settings.smtp_timeout_seconds,
        )
    return OutboxMailer(settings.outbox_path)
