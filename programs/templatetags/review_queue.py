"""The review queue's counts for the admin index page."""

from __future__ import annotations

from django import template
from django.urls import reverse

from programs.core import clock
from programs.models import Programme
from programs.models.review import REASONS

register = template.Library()


@register.simple_tag
def review_queue() -> dict:
    """Totals per reason with the admin list link that shows them, from one query."""
    counts = Programme.objects.review_counts(clock.today())
    url = reverse("admin:programs_programme_changelist")
    return {
        "total": counts["total"],
        "url": f"{url}?review=any",
        "reasons": [
            {"label": label, "count": counts[name], "url": f"{url}?review={name}"}
            for name, label in REASONS.items()
        ],
    }
