"""Changing a figure names the notes that still quote the old one (issue 23).

When an adviser changes a cost's amount (in the programme's form or the cost's own page), the
programme's notes, its other costs' notes, its rules and its legitimacy notes are searched for the
old figure as written in words ("3,000", "3000", "US$3,000"); each one still saying it is listed in
a warning after the save, so the pay note does not keep the fee the provider's email replaced.
Nothing is changed for the adviser: the words are a person's to rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django.contrib import messages
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from programs.models import Cost, LegitimacySignal, Programme

AMOUNTS = ("amount_min", "amount_max")
# The programme's own text a figure may be quoted in, by label.
PROGRAMME_TEXTS = (
    "summary",
    "pay_note",
    "duration_note",
    "dates_note",
    "deadline_note",
    "how_to_apply",
    "recognition_notes",
    "certificate",
    "role_includes",
    "role_excludes",
)


def figure_pattern(value: Decimal) -> re.Pattern[str]:
    """The figure as people write it: 3000, 3,000, 3 000, 3.000 or 3000.00; not inside 13,000 or
    3,0001."""
    whole, _, cents = f"{value.normalize():f}".partition(".")
    groups = [whole[max(i - 3, 0) : i] for i in range(len(whole), 0, -3)][::-1]
    number = r"[,.\s\u202f]?".join(re.escape(g) for g in groups)
    if cents:
        number += r"[.,]" + re.escape(cents)
    else:
        number += r"(?:[.,]00?)?"
    return re.compile(rf"(?<![\d.,]){number}(?![\d]|[.,]\d)")


def old_figures(form: ModelForm) -> list[Decimal]:
    """The amounts the form changed away from (none for a new row)."""
    if form.instance.pk is None or not form.has_changed() or form.cleaned_data.get("DELETE"):
        return []
    old = []
    for name in AMOUNTS:
        before = form.initial.get(name)
        changed = name in form.changed_data and before != form.cleaned_data.get(name)
        if changed and before is not None:
            old.append(Decimal(before))
    return old


def _texts(programme: Programme) -> Iterable[tuple[str, str]]:
    for name in PROGRAMME_TEXTS:
        label = str(getattr(Programme._meta.get_field(name), "verbose_name", name))
        yield label.capitalize(), getattr(programme, name)
    for cost in Cost.objects.filter(programme=programme):
        yield f"Notes of the cost “{cost.get_kind_display()}” ({cost.key})", cost.notes
    for rule in programme.eligibility_rules.all():
        yield f"Eligibility rule {rule.key}", rule.text
    for signal in LegitimacySignal.objects.filter(programme=programme).select_related("check_item"):
        yield f"Legitimacy note “{signal.check_item.title}”", signal.note


def still_quoting(programme: Programme, figures: Iterable[Decimal]) -> list[str]:
    """Where the programme's words still give one of `figures`: "Pay note: “…”"."""
    patterns = [figure_pattern(figure) for figure in figures]
    if not patterns:
        return []
    return [
        f"{label}: “{text}”"
        for label, text in _texts(programme)
        if text and any(pattern.search(text) for pattern in patterns)
    ]


def written(figure: Decimal) -> str:
    """3000 → "3,000"; 12.50 → "12.50"."""
    return f"{int(figure):,}" if figure == figure.to_integral_value() else f"{figure:,f}"


def warn(request: HttpRequest, programme: Programme, figures: list[Decimal]) -> None:
    places = still_quoting(programme, figures)
    if places:
        said = ", ".join(written(figure) for figure in figures)
        messages.warning(
            request,
            f"You changed a figure from {said}; these notes still give the old figure, so "
            "update them too if they are out of date: " + "; ".join(places),
        )


def warn_after_formset(request: HttpRequest, programme: Programme, formset: BaseFormSet) -> None:
    """After the programme form's costs were saved."""
    figures = [figure for form in formset.forms for figure in old_figures(form)]
    warn(request, programme, figures)
