"""What a programme says now about the fact a correction concerns, for the inbox's side-by-side
view."""

from __future__ import annotations

from programs.core.wording import month_span, weeks
from programs.models import Programme, Suggestion
from programs.models.sources import long_date

from .base import format_amount
from .programmes import deadline_summary

Fact = Suggestion.Fact


def current_value(programme: Programme | None, fact: str) -> list[str]:
    """The programme's current words for `fact`, one line each (plain text, escaped when shown)."""
    if programme is None:
        return ["(the programme was deleted)"]
    match fact:
        case Fact.DEADLINE:
            lines = [f"{deadline_summary(programme)}: “{programme.deadline_note or '—'}”"]
            lines += [
                f"Confirmed: {long_date(d.date)} ({d.cycle} cycle), {d.source.in_words()}"
                for d in programme.dated_deadlines.select_related("source", "source__guide")
            ]
            return lines
        case Fact.FEE:
            costs = [f"{c.get_kind_display()}: {format_amount(c)}" for c in programme.costs.all()]
            return costs or ["No costs recorded"]
        case Fact.PAY:
            return [programme.get_pay_display(), programme.pay_note]
        case Fact.LENGTH:
            return [weeks(programme) or "Weeks not stated", programme.duration_note]
        case Fact.ELIGIBILITY:
            rules = [rule.text for rule in programme.eligibility_rules.all()]
            return rules or ["No rules recorded"]
        case Fact.HOW_TO_APPLY:
            return [programme.how_to_apply, programme.application_url]
    return [programme.summary, month_span(programme)]
