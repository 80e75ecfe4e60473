"""An adviser's decision on a suggestion. Duplicates are closed with the suggestion they repeat,
each sender told the same (notify.send_decision), and every decision records who and when.

- **Accept a correction**: `report_for()` makes (once) the `Source` the change will cite, a reader's
  or provider's report with its evidence and the day it arrived, recorded by the adviser; the
  admin then opens the programme's change form filled with the proposal, and saving it calls
  `accept()`.
- **Turn a proposal into a draft**: `make_draft()` creates the programme as a draft citing the
  report, and closes the proposal as accepted.
- **Reject**, with the reason the sender will read: `reject()`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from programs.models import Programme, Source, Suggestion

from . import notify, retention


def report_for(suggestion: Suggestion, adviser) -> Source:
    """The report an accepted suggestion becomes, made once (opening the form twice reuses it)."""
    if suggestion.source is not None:
        return suggestion.source
    kind = Source.Kind.PROVIDER_REPORT if suggestion.is_from_provider else Source.Kind.READER_REPORT
    source = Source(
        kind=kind,
        url=suggestion.evidence_url,
        date=timezone.localdate(suggestion.received_at),
        recorded_by=adviser,
        note=f"From suggestion {suggestion.pk} ({suggestion.get_kind_display().lower()}), "
        "checked and accepted by the adviser named here.",
    )
    source.full_clean()
    source.save()
    Suggestion.objects.filter(pk=suggestion.pk).update(source=source)
    suggestion.source = source
    return source


def _close(suggestion: Suggestion, status: str, adviser, **fields) -> list[Suggestion]:
    """Close a suggestion and its open duplicates alike (as stored now: locked, so two advisers
    deciding at once decide once); queue each sender's message. [] when already decided."""
    group = Q(pk=suggestion.pk) | Q(duplicate_of=suggestion.pk)
    locked = Suggestion.objects.select_for_update().filter(group).open().order_by("id")
    closed = sorted(locked, key=lambda each: each.pk != suggestion.pk)
    if not closed or closed[0].pk != suggestion.pk:
        return []
    now = timezone.now()
    for each in closed:
        each.status, each.decided_at, each.decided_by = status, now, adviser
        for name, value in fields.items():
            setattr(each, name, value)
        each.full_clean(exclude=["submission", "fingerprint"])
        each.save()
        if each.email and each.email_confirmed_at:
            notify.send_decision.enqueue(each.pk)
        elif each.email or each.contact:
            retention.forget_address(each)  # never confirmed: nothing to tell, nothing to keep
    suggestion.refresh_from_db()  # the caller sees what was stored
    return closed


def accept(suggestion: Suggestion, adviser, programme: Programme) -> list[Suggestion]:
    """The programme's change (citing `report_for(suggestion)`) was saved: close it as accepted."""
    with transaction.atomic():
        source = report_for(suggestion, adviser)
        return _close(
            suggestion, Suggestion.Status.ACCEPTED, adviser, programme=programme, source=source
        )


def make_draft(suggestion: Suggestion, adviser, **programme_fields) -> Programme | None:
    """A proposed programme as a draft citing the proposal (an adviser edits and publishes it);
    None, and nothing made, when another adviser decided it meanwhile."""
    with transaction.atomic():
        source = report_for(suggestion, adviser)
        programme = Programme(
            status=Programme.Status.DRAFT,
            source=source,
            location_note=suggestion.location[:300],
            dates_note=suggestion.dates[:300],
            **programme_fields,
        )
        programme.full_clean()
        programme.save()
        if not _close(
            suggestion, Suggestion.Status.ACCEPTED, adviser, programme=programme, source=source
        ):
            transaction.set_rollback(True)
            return None
    return programme


def reject(suggestion: Suggestion, adviser, reason: str) -> list[Suggestion]:
    with transaction.atomic():
        return _close(suggestion, Suggestion.Status.REJECTED, adviser, reason=reason)
