"""Creating an alert (unconfirmed), its confirmation message, confirming, and deleting.

Nothing but one confirmation link is ever sent to an address that has not confirmed, and an
address that got a link in the last CONFIRMATION_PAUSE and has not used it gets no second one:
the link it has confirms every alert it asked for since (so the form cannot flood an inbox).
Each new alert needs a confirmation, even for an address that confirmed another one: nobody can
add alerts to someone else's inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from programs import mail
from programs.models import Alert
from programs.models.alerts import ALERTS_PER_ADDRESS, UNCONFIRMED_DAYS

from . import links

CONFIRMATION_PAUSE = timedelta(hours=24)


class TooManyAlerts(Exception):
    pass


def subscribe(kind: str, email: str, query: str, frequency: str) -> Alert:
    """Store an alert for this address and query (unconfirmed unless it already was) and queue
    its confirmation; raises TooManyAlerts past ALERTS_PER_ADDRESS."""
    with transaction.atomic():
        existing = Alert.objects.for_address(email).filter(kind=kind, query=query).first()
        if existing is not None:
            if existing.frequency != frequency and existing.confirmed_at is None:
                existing.frequency = frequency
                existing.save(update_fields=["frequency"])
            alert = existing
        else:
            if Alert.objects.for_address(email).count() >= ALERTS_PER_ADDRESS:
                raise TooManyAlerts
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        kind=kind, email=email, query=query, frequency=frequency
                    )
            except IntegrityError:  # the same form sent twice at once
                alert = Alert.objects.get(email=email, kind=kind, query=query)
        if alert.confirmed_at is None:
            transaction.on_commit(lambda: send_confirmation.enqueue(alert.pk))
    return alert


@task()
def send_confirmation(alert_id: int) -> None:
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update()
            .filter(pk=alert_id, confirmed_at__isnull=True, confirmation_sent_at__isnull=True)
            .first()
        )
        if alert is None:
            return
        link_pending = (
            Alert.objects.for_address(alert.email)
            .filter(
                confirmed_at__isnull=True,
                confirmation_sent_at__gte=timezone.now() - CONFIRMATION_PAUSE,
            )
            .exists()
        )
        if link_pending:
            return
        letter = mail.render(
            "alert_confirm",
            {
                "searching": alert.kind == Alert.Kind.SEARCH,
                "url": links.confirm_url(alert),
                "days": mail.LINK_DAYS.days,
            },
        )
        mail.send(alert.email, letter)
        alert.confirmation_sent_at = timezone.now()
        alert.save(update_fields=["confirmation_sent_at"])


def confirm(token: str) -> list[Alert]:
    """Confirm the address a link was sent to, for every alert it asked for: from now on each
    digest covers the changes after this moment. Empty for a bad or expired link."""
    alert = links.alert_for(links.CONFIRM, token)
    if alert is None:
        return []
    now = timezone.now()
    Alert.objects.for_address(alert.email).filter(confirmed_at__isnull=True).update(
        confirmed_at=now, covered_until=now
    )
    return list(Alert.objects.for_address(alert.email).confirmed())


def delete(alert: Alert) -> None:
    """The alert and, with it, its address and its sent-message records."""
    alert.delete()


def forget_unconfirmed(now: datetime | None = None) -> int:
    """Alerts never confirmed within UNCONFIRMED_DAYS, with their addresses."""
    cutoff = (now or timezone.now()) - timedelta(days=UNCONFIRMED_DAYS)
    deleted, _ = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted
