"""Filters that write the directory's facts the way a student reads them.

Every filter returns "Not stated in source" wording rather than guessing when a value is missing,
so a template never shows an empty cell.
"""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from programs.core import wording
from programs.core.wording import AMOUNT_NOT_STATED, NOT_STATED
from programs.models import Period

register = template.Library()


@register.filter
def amount(cost) -> str:
    """A Cost or CostBenchmark as "US$2,000–5,000 per week" or "~£350 per week"."""
    if cost.amount_min is None:
        return AMOUNT_NOT_STATED
    text = f"{cost.figures()} {Period(cost.period).label}"
    return cost.with_condition(text) if hasattr(cost, "with_condition") else text


@register.simple_tag
def not_stated() -> SafeString:
    """What every page shows where a source is silent, in one spelling and one style."""
    return format_html('<span class="not-stated">{}</span>', NOT_STATED)


# The season and the length in words live in core.wording, where the admin's inbox reads them too.
register.filter("month_name", wording.month_name)
register.filter("month_span", wording.month_span)
register.filter("weeks", wording.weeks)


@register.filter
def months_before(stage) -> str:
    """A timeline stage's window: "6–12 months before", "2 months before"."""
    low, high = stage.months_before_min, stage.months_before_max
    if low is not None and high is not None:
        return f"{low} months before" if low == high else f"{low}–{high} months before"
    if low is not None:
        return f"At least {low} months before"
    if high is not None:
        return f"Up to {high} months before"
    return ""


@register.filter
def short_citation(record) -> str:
    """ "Short guide title — section" for compact source lines."""
    return f"{record.source_guide.short_title} — {record.source_section}"


@register.simple_tag
def cite(refs, record) -> str:
    """A record's numbered references (`programs.views.references.References`) as superscript
    links to the page's Sources list; nothing on a page that keeps no references."""
    return refs.cite(record) if refs else ""


@register.simple_tag
def hidden_inputs(data: QueryDict, exclude: str = "") -> str:
    """Hidden fields for every parameter of `data` except those named in `exclude` (space-
    separated), so a small form on the page keeps the profile, filters and comparison."""
    skip = set(exclude.split()) | {"page"}
    pairs = [(k, v) for k, values in data.lists() if k not in skip for v in values]
    if not pairs:
        return mark_safe("")
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)
