"""Storing a suggestion a public form sent: once per form, grouped with the one it repeats."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from programs.core.text import fold
from programs.models import Programme, Suggestion

from . import notify


def fingerprint(kind: str, programme: Programme | None, fields: dict[str, Any]) -> str:
    """What two suggestions saying the same thing share: the programme and fact with the folded
    proposed words and date, or a proposal's folded title and organisation."""
    if kind == Suggestion.Kind.PROGRAMME:
        parts = [kind, fields["title"], fields["organisation_name"]]
    else:
        date = fields.get("proposed_date")
        parts = [
            kind,
            str(programme.pk if programme else ""),
            fields["fact"],
            fields["proposed"],
            date.isoformat() if date else "",
        ]
    said = "\x1f".join(" ".join(fold(str(part)).split()) for part in parts)
    return hashlib.sha256(said.encode()).hexdigest()


def receive(
    kind: str, fields: dict[str, Any], submission: uuid.UUID, programme: Programme | None = None
) -> tuple[Suggestion, bool]:
    """Store a suggestion (fields as the form cleaned them) and queue its confirmation message.
    The same form sent again finds the first copy: (suggestion, False)."""
    found = Suggestion.objects.filter(submission=submission).first()
    if found is not None:
        return found, False
    same_as = fingerprint(kind, programme, fields)
    try:
        with transaction.atomic():
            first = (
                Suggestion.objects.open()
                .first_of_each_group()
                .filter(fingerprint=same_as)
                .order_by("received_at", "id")
                .first()
            )
            suggestion = Suggestion(
                kind=kind,
                programme=programme,
                submission=submission,
                fingerprint=same_as,
                duplicate_of=first,
                **fields,
            )
            suggestion.full_clean(exclude=["submission", "fingerprint"])
            suggestion.save()
            if suggestion.email:
                notify.send_confirmation.enqueue(suggestion.pk)
    except IntegrityError:  # the same form, sent twice at once: the other copy won
        return Suggestion.objects.get(submission=submission), False
    return suggestion, True
