"""Telling a sender what happened, by email, from the task worker (`manage.py db_worker`).

1. **Confirmation**: a new suggestion with an address queues `send_confirmation`: one message
   with a signed link, and nothing else. An address that already got a link in the last
   CONFIRMATION_PAUSE and has not used it gets no second one: the link it has confirms the
   address for every open suggestion it sent (so the form cannot be used to flood an inbox).
2. **Decision**: closing a suggestion queues `send_decision`: one message to a confirmed address
   (accepted, or declined with the adviser's reason), then the address is deleted. An address
   never confirmed gets nothing, and is deleted when the suggestion is closed.

Tasks receive a suggestion's id, never its address: task rows outlive the address.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from programs import mail
from programs.models import Suggestion

from . import retention

CONFIRM = "suggestion-confirm"
CONFIRMATION_PAUSE = timedelta(hours=24)


def confirm_url(suggestion: Suggestion) -> str:
    path = reverse("programs:confirm_address", args=[mail.sign(CONFIRM, suggestion.pk)])
    return f"{settings.SITE_URL}{path}"


@task()
def send_confirmation(suggestion_id: int) -> None:
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update()
            .filter(pk=suggestion_id, status=Suggestion.Status.OPEN)
            .exclude(email="")
            .first()
        )
        if suggestion is None or suggestion.confirmation_sent_at or suggestion.email_confirmed_at:
            return
        link_pending = Suggestion.objects.filter(
            email__iexact=suggestion.email,
            email_confirmed_at__isnull=True,
            confirmation_sent_at__gte=timezone.now() - CONFIRMATION_PAUSE,
        ).exists()
        if link_pending:
            return
        letter = mail.render(
            "suggestion_confirm",
            {"suggestion": suggestion, "url": confirm_url(suggestion), "days": mail.LINK_DAYS.days},
        )
        mail.send(suggestion.email, letter)
        suggestion.confirmation_sent_at = timezone.now()
        suggestion.save(update_fields=["confirmation_sent_at"])


def confirm_address(token: str) -> Suggestion | None:
    """The suggestion a link was made for, its address now confirmed, with every other open
    suggestion from that address; None for a bad or expired link or a closed suggestion."""
    suggestion_id = mail.unsign(CONFIRM, token)
    if suggestion_id is None:
        return None
    suggestion = Suggestion.objects.open().exclude(email="").filter(pk=suggestion_id).first()
    if suggestion is None:
        return None
    Suggestion.objects.open().filter(
        email__iexact=suggestion.email, email_confirmed_at__isnull=True
    ).update(email_confirmed_at=timezone.now())
    suggestion.refresh_from_db()
    return suggestion


@task()
def send_decision(suggestion_id: int) -> None:
    with transaction.atomic():
        suggestion = (
            Suggestion.objects.select_for_update(of=("self",))
            .select_related("programme")
            .exclude(status=Suggestion.Status.OPEN)
            .filter(pk=suggestion_id)
            .first()
        )
        if suggestion is None or not suggestion.email:
            return
        if suggestion.email_confirmed_at and suggestion.decision_sent_at is None:
            letter = mail.render("suggestion_decided", decision_context(suggestion))
            mail.send(suggestion.email, letter)
            suggestion.decision_sent_at = timezone.now()
        retention.forget_address(suggestion)
    retention.forget_old_addresses()


def decision_context(suggestion: Suggestion) -> dict:
    """What the decision message says: only what the directory and its adviser wrote."""
    programme = suggestion.programme
    page = ""
    if programme is not None and programme.status == programme.Status.PUBLISHED:
        page = f"{settings.SITE_URL}{programme.get_absolute_url()}"
    return {
        "suggestion": suggestion,
        "accepted": suggestion.status == Suggestion.Status.ACCEPTED,
        "proposal": suggestion.kind == Suggestion.Kind.PROGRAMME,
        "programme": programme,
        "page": page,
        "sent_on": timezone.localdate(suggestion.received_at),
    }
