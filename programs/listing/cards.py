"""What a result card shows (templates/programs/_programme_card.html), worked out from rows a
`for_cards()` or `for_listing()` queryset already fetched: building a card runs no query."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from programs.decisions.costs import BudgetFit, Estimate
from programs.decisions.deadlines import DeadlineStatus, deadline_status
from programs.decisions.matching import Verdict
from programs.decisions.next_step import NextStep, next_step
from programs.models import Programme

# The costs a card may headline for each kind of pay, most telling first: an unpaid card never
# headlines the salary of a few paid posts, and a stipend card shows its stipend.
HEADLINE_COSTS = {
    "fee": ("programme_fee",),
    "unpaid": ("programme_fee",),
    "unknown": ("programme_fee",),
    "paid": ("salary", "stipend"),
    "stipend": ("stipend", "salary"),
    "partial": ("stipend", "salary"),
}
COST_WORDS = {"programme_fee": "Fee", "stipend": "Stipend", "salary": "Salary"}


@dataclass(frozen=True)
class CompareLink:
    """The card's place in the list page's comparison."""

    in_comparison: bool
    query: str  # the list's query string with this programme added; "" when the comparison is full


@dataclass(frozen=True)
class Card:
    programme: Programme
    url: str  # the programme's page, carrying the student's profile
    where: str
    levels: str
    duration: str
    headline_cost: str
    deadline: DeadlineStatus
    next_step: NextStep
    verdict: Verdict | None = None  # with a profile only
    estimate: Estimate | None = None  # on the list page only
    compare: CompareLink | None = None  # on the list page only
    budget: BudgetFit | None = None  # on the list page, with a budget only


def card(
    programme: Programme,
    today: date,
    *,
    url: str = "",
    verdict: Verdict | None = None,
    estimate: Estimate | None = None,
    compare: CompareLink | None = None,
    budget: BudgetFit | None = None,
) -> Card:
    return Card(
        programme=programme,
        url=url or programme.get_absolute_url(),
        where=where(programme),
        levels=", ".join(level.name for level in programme.study_levels.all()),
        duration=duration_label(programme),
        headline_cost=headline_cost(programme),
        deadline=deadline_status(programme, today),
        next_step=next_step(programme),
        verdict=verdict,
        estimate=estimate,
        compare=compare,
        budget=budget,
    )


def cards(programmes: Iterable[Programme], today: date) -> list[Card]:
    return [card(programme, today) for programme in programmes]


def where(programme: Programme) -> str:
    places: list[str] = []
    covered: set[int] = set()
    for city in programme.cities.all():
        places.append(f"{city.name}, {city.country.name}")
        covered.add(city.country_id)
    places += [c.name for c in programme.countries.all() if c.pk not in covered]
    text = "; ".join(places) or programme.location_note
    if places and not covered and programme.location_note:
        # Countries alone say too little ("United States" for Penn's "various global health
        # project sites"): the source's words follow.
        text = f"{text} · {programme.location_note}"
    if programme.delivery == Programme.Delivery.VIRTUAL:
        return f"Virtual · {text}" if text else "Virtual"
    if programme.delivery == Programme.Delivery.HYBRID:
        return f"{text} · in person or virtual" if text else "In person or virtual"
    return text


def duration_label(programme: Programme) -> str:
    low, high = programme.duration_min_weeks, programme.duration_max_weeks
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{low}–{high} weeks"
    weeks = low if low is not None else high
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def headline_cost(programme: Programme) -> str:
    """e.g. "Fee ~US$2,000–5,000 per week": the first cost with a figure that fits the pay."""
    costs = [c for c in programme.costs.all() if c.amount_min is not None]
    for kind in HEADLINE_COSTS.get(programme.pay, ()):
        cost = next((c for c in costs if c.kind == kind), None)
        if cost is None:
            continue
        if kind == "programme_fee" and not cost.amount_min and cost.amount_max is None:
            return "No programme fee"
        period = "" if cost.period == "one_off" else " " + cost.get_period_display()
        # "Stipend · Stipend US$3,000" says it twice.
        word = "" if kind == programme.pay else COST_WORDS[kind] + " "
        text = f"{word}{cost.figures()}{period.replace(' (full-time equivalent)', '')}"
        return cost.with_condition(text)
    return ""
