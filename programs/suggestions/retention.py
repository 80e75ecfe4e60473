"""Deleting senders' addresses: once they were told the decision, and in any case after
KEEP_ADDRESSES_DAYS. A provider's contact details go too (they were evidence for the review).

`forget_old_addresses()` runs after every decision message (the task worker) and nightly from
`manage.py forget_addresses` (cron), so it runs even when nobody decides anything.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from programs.models import Suggestion
from programs.models.suggestions import KEEP_ADDRESSES_DAYS


def forget_address(suggestion: Suggestion) -> None:
    """Delete a closed suggestion's address and contact (saved with its other pending changes)."""
    suggestion.email = ""
    suggestion.contact = ""
    suggestion.save(update_fields=["email", "contact", "decision_sent_at"])


def forget_old_addresses(now=None) -> int:
    """Addresses and contacts received more than KEEP_ADDRESSES_DAYS ago, and those of closed
    suggestions whose sender was told or never confirmed; how many suggestions it cleared."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_ADDRESSES_DAYS)
    closed_and_done = ~Q(status=Suggestion.Status.OPEN) & (
        Q(decision_sent_at__isnull=False) | Q(email_confirmed_at__isnull=True)
    )
    holding = ~Q(email="") | ~Q(contact="")
    return Suggestion.objects.filter(
        holding & (Q(received_at__lt=cutoff) | closed_and_done)
    ).update(email="", contact="")
