"""The signed links in alert messages: confirm the address, manage the alerts, unsubscribe."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse

from programs import mail
from programs.models import Alert

CONFIRM = "alert-confirm"
MANAGE = "alert-manage"
UNSUBSCRIBE = "alert-unsubscribe"
# Links in a digest or reminder keep working for a year (each message carries fresh ones).
STANDING_LINK = timedelta(days=366)


def _absolute(name: str, purpose: str, alert: Alert) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=[mail.sign(purpose, alert.pk)])}"


def confirm_url(alert: Alert) -> str:
    return _absolute("programs:alert_confirm", CONFIRM, alert)


def manage_url(alert: Alert) -> str:
    return _absolute("programs:alert_manage", MANAGE, alert)


def unsubscribe_url(alert: Alert) -> str:
    return _absolute("programs:alert_unsubscribe", UNSUBSCRIBE, alert)


def alert_for(purpose: str, token: str) -> Alert | None:
    max_age = mail.LINK_DAYS if purpose == CONFIRM else STANDING_LINK
    alert_id = mail.unsign(purpose, token, max_age=max_age)
    return None if alert_id is None else Alert.objects.filter(pk=alert_id).first()


def list_headers(unsubscribe: str) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe: a mail client POSTs `List-Unsubscribe=One-Click` to the
    link (`unsubscribe_url()`, the one the message's body gives), which deletes the alert with no
    further step."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
