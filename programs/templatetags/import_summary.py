"""`{% import_summary result as summary %}`: what an admin import will do, for its template."""

from __future__ import annotations

from django import template

from programs.catalogue.import_summary import ImportSummary, summarise

register = template.Library()


@register.simple_tag
def import_summary(result) -> ImportSummary | None:
    return summarise(result) if result is not None else None
