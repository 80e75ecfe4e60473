"""Plain-text messages from templates, and sending them.

A template lives in `templates/mail/<name>.txt`: its first line is `Subject: …`, then a blank line,
then the body. Templates are rendered by the `mail` template engine (settings.TEMPLATES), which
does not HTML-escape: a message is plain text, with no markup for a mail client to interpret.
Messages never carry text a stranger typed (a confirmation could otherwise carry an attacker's
words to anyone's inbox); they say what the directory and its advisers wrote.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.template import engines

logger = logging.getLogger(__name__)
ENGINE = "mail"
SUBJECT_PREFIX = "Subject: "


class NotSent(Exception):
    """The mail server refused or could not be reached. The message names no address, so a
    task's stored error (django-tasks-db keeps it) holds none."""


@dataclass(frozen=True)
class Letter:
    subject: str
    body: str


def one_line(text: str) -> str:
    """A header value: control characters (line breaks included) become spaces."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def render(template: str, context: dict) -> Letter:
    text = engines[ENGINE].get_template(f"{template}.txt").render(context)
    first, _, body = text.lstrip("\n").partition("\n")
    if not first.startswith(SUBJECT_PREFIX):
        raise ValueError(f"mail/{template}.txt must start with 'Subject: '")
    return Letter(subject=one_line(first.removeprefix(SUBJECT_PREFIX)), body=body.strip() + "\n")


def send(to: str, letter: Letter, *, headers: dict[str, str] | None = None) -> None:
    """Send one message to one address through the default mailer (MAILERS["default"]).
    `headers` adds e.g. RFC 8058's List-Unsubscribe and List-Unsubscribe-Post for alerts."""
    message = EmailMessage(
        subject=letter.subject,
        body=letter.body,
        to=[to],
        headers={key: one_line(value) for key, value in (headers or {}).items()},
    )
    try:
        message.send(using="default")
    except OSError as exc:  # smtplib.SMTPException is an OSError, as are refused connections
        logger.warning("Mail not sent: %s", type(exc).__name__)
        raise NotSent(f"the mail server did not take the message ({type(exc).__name__})") from None
