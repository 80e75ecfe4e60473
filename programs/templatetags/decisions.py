"""Template helpers for the decision tools: carry the query string through GET forms."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def hidden_inputs(data: QueryDict, exclude: str = "") -> str:
    """Hidden fields for every parameter of `data` except those named in `exclude` (space-
    separated), so a small form on the page keeps the profile, filters and comparison."""
    skip = set(exclude.split()) | {"page"}
    pairs = [(k, v) for k, values in data.lists() if k not in skip for v in values]
    if not pairs:
        return mark_safe("")
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', pairs)


@register.filter
def money(value) -> str:
    """A whole amount with thousands separators: 11375 → "11,375"."""
    return f"{value:,.0f}"
