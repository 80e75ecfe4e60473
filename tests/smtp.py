"""A real SMTP server on loopback (aiosmtpd) for the tests that follow a message end to end."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from deploy.stack import free_port


@dataclass
class Inbox:
    """Every message the server accepted, parsed."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


@pytest.fixture(name="smtp_inbox")
def smtp_inbox_fixture(settings) -> Iterator[Inbox]:
    """An SMTP server on a port the kernel picks; the default mailer sends to it. (aiosmtpd
    1.4.6 cannot take port=0: its start() probes the port it was given, so the probe fails.)"""
    inbox = Inbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": inbox.port, "timeout": 10},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()


def run_worker() -> None:
    """`manage.py db_worker` as production runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
