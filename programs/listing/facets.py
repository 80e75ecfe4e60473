"""Facets: every option of every filter with its count, counted by the database.

The rule, the same for every group of options (and said to students in one line, RULE):
**a count is what that option alone shows together with the other groups' filters.** In a
single-choice group (region, country, length, deadline, delivery) that is what choosing the
option shows; in a multi-select group (type, speciality, study level, pay) it is what ticking that box
alone shows, so ticking a second box adds its programmes (the usual disjunctive facets). The
search, "no red flags" and the checks done in Python (eligibility for a profile, a budget) apply
to every count as they apply to the results, through the same conditions
(`ProgrammeFilter.conditions()` and `ProgrammeQuerySet.among_q()`).

Queries: two whatever the filters and the data's size: one conditional aggregate for the
results' number, the calendar flag and every option of the groups with fixed options, and one
`UNION` of a `GROUP BY` over the link table of each group whose options are rows (region, country,
speciality, study level).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet, Value

from programs.listing import results
from programs.listing.choices import (
    DURATION_WEEKS,
    DeadlineChoice,
    DeliveryChoice,
    DurationBucket,
    Sort,
)
from programs.listing.filters import FACET_GROUPS, ProgrammeFilter
from programs.models import Country, Programme, ProgrammeQuerySet, Vocabulary

RULE = "Each count shows what you would get by choosing that option with your other filters."


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


def fixed_options(filterset: ProgrammeFilter) -> dict[str, dict[str, tuple[str, Q]]]:
    """The groups with a fixed list of options: value → (label, condition)."""
    today = filterset.today
    return {
        "type": {
            v: (str(label), ProgrammeQuerySet.of_types_q([v]))
            for v, label in Programme.Type.choices
        },
        "pay": {
            v: (str(label), ProgrammeQuerySet.paying_q([v])) for v, label in Programme.Pay.choices
        },
        "duration": {
            v: (str(label), ProgrammeQuerySet.lasting_q(*DURATION_WEEKS[v]))
            for v, label in DurationBucket.choices
        },
        "deadline": {
            v: (str(label), ProgrammeQuerySet.deadline_q(v, today))
            for v, label in DeadlineChoice.choices
        },
        "delivery": {
            v: (str(label), ProgrammeQuerySet.delivered_q(v)) for v, label in DeliveryChoice.choices
        },
    }


# Groups whose options are rows of a vocabulary: the link table, the column read, the value.
LINKED = {
    "region": (Country.programmes.through, "country__region__slug"),
    "country": (Country.programmes.through, "country__code"),
    "speciality": (Programme.specialities.through, "speciality__slug"),
    "level": (Programme.study_levels.through, "studylevel__slug"),
}


@dataclass(frozen=True)
class Counts:
    """What `counts()` found: the results' number, whether one has a dated deadline ahead (the
    calendar feed would hold something), and each facet option's count by RULE."""

    results: int
    has_calendar: bool
    options: dict[str, dict[str, int]]


def _all(conditions: list[Q]) -> Q | None:
    return reduce(and_, conditions) if conditions else None


def _count(*conditions: Q | None) -> Count:
    kept = [c for c in conditions if c is not None]
    return Count("pk", filter=reduce(and_, kept)) if kept else Count("pk")


def counts(filterset: ProgrammeFilter, programmes: QuerySet, within: Q | None = None) -> Counts:
    """The results' number, the calendar flag and, for each facet group, each option's count by
    RULE over `programmes` (the published ones), under the filters of `filterset` and the extra
    condition `within`: two queries, whatever the filters. Both read only the programmes some
    count may count (`results.counted_q()`); each count applies the facet groups' conditions
    but its own group's."""
    conditions = filterset.conditions()
    scope = programmes.filter(within or Q(), results.counted_q(conditions)).order_by()
    grouped = {name: c for name, c in conditions.items() if name in FACET_GROUPS}

    def others(group: str) -> Q | None:
        return _all([c for name, c in grouped.items() if name != group])

    # Each condition becomes a column of a derived table, worked out once per programme, which
    # the counts test by name: written into each count instead, PostgreSQL ran a filter's
    # EXISTS once per count it appears in (600 ms instead of 60 at 10,000 programmes).
    flags: dict[str, ExpressionWrapper] = {}

    def flag(condition: Q) -> Q:
        alias = f"holds_{len(flags)}"
        flags[alias] = ExpressionWrapper(condition, output_field=BooleanField())
        return Q(**{alias: True})

    held = {name: flag(condition) for name, condition in grouped.items()}

    def all_but(group: str) -> Q | None:
        return _all([c for name, c in held.items() if name != group])

    everything = all_but("")
    aggregates = {
        "results": _count(everything),
        "calendar": _count(everything, flag(ProgrammeQuerySet.in_calendar_q(filterset.today))),
    }
    fixed = fixed_options(filterset)
    for group, options in fixed.items():
        for value, (_, condition) in options.items():
            aggregates[f"{group}|{value}"] = _count(all_but(group), flag(condition))
    # distinct() (a no-op: one row per programme) is what makes Django count over the derived
    # table instead of writing each column's condition into the counts again.
    totals = scope.annotate(**flags).distinct().aggregate(**aggregates)
    found: dict[str, dict[str, int]] = {group: {} for group in [*fixed, *LINKED]}
    for key, n in totals.items():
        if "|" in key:
            group, value = key.split("|")
            found[group][value] = n
    # The groups whose options are rows: one GROUP BY over each link table, in one UNION.
    linked = [
        link._default_manager.filter(
            programme_id__in=scope.filter(others(group) or Q()).values("pk")
        )
        .order_by()
        .values(column)
        .annotate(n=Count("programme_id", distinct=True))
        .values_list(Value(group), column, "n")
        for group, (link, column) in LINKED.items()
    ]
    for group, value, n in linked[0].union(*linked[1:], all=True):
        found[group][value] = n
    return Counts(totals["results"], totals["calendar"] > 0, found)


def facets(
    filterset: ProgrammeFilter, vocabulary: Vocabulary, counted: Counts
) -> dict[str, list[Option]]:
    """Every option of every filter, with its count (RULE, from `counts()`) and whether it is
    chosen."""
    data = filterset.data
    chosen = {name: set(data.getlist(name)) for name in filterset.filters}
    chosen["country"] = {value.strip().upper() for value in chosen["country"]}
    numbers = counted.options
    labels: dict[str, list[tuple[str, str]]] = {
        group: [(value, label) for value, (label, _) in options.items()]
        for group, options in fixed_options(filterset).items()
    }
    labels |= {
        "region": [(slug, row.name) for slug, row in vocabulary.regions.items()],
        "country": [(code, row.name) for code, row in vocabulary.countries.items()],
        "speciality": [(slug, row.name) for slug, row in vocabulary.specialities.items()],
        "level": [(slug, row.name) for slug, row in vocabulary.levels.items()],
    }
    result = {
        group: [
            Option(value, label, numbers[group].get(value, 0), value in chosen[group])
            for value, label in options
        ]
        for group, options in labels.items()
    }
    result["no_red_flags"] = [
        Option("1", "Hide programmes with a red flag recorded", 0, "1" in chosen["no_red_flags"])
    ]
    result["sort"] = [
        Option(value, str(label), 0, value in chosen["sort"]) for value, label in Sort.choices
    ]
    return result
