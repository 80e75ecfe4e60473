"""Facets: every option of every filter with its count, counted by the database.

The rule, the same for every group of options (and said to students in one line, RULE):
**a count is what that option alone shows together with the other groups' filters.** In a
single-choice group (region, country, length, deadline, delivery) that is what choosing the
option shows; in a multi-select group (type, speciality, study level, pay) it is what ticking that box
alone shows, so ticking a second box adds its programmes (the usual disjunctive facets). The
search, "no red flags" and the checks done in Python (eligibility for a profile, a budget) apply
to every count as they apply to the results, through the same conditions
(`ProgrammeFilter.conditions()` and `ProgrammeQuerySet.among_q()`).

Queries: one for the options of every group that is not in use, one for each group in use with
fixed options, and one `GROUP BY` over the link table of each group whose options are rows
(region, country, speciality, study level): a fixed number whatever the data's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from programs.listing.choices import (
    DURATION_WEEKS,
    DeadlineChoice,
    DeliveryChoice,
    DurationBucket,
    Sort,
)
from programs.listing.filters import ProgrammeFilter
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


def counts(
    filterset: ProgrammeFilter, programmes: QuerySet, within: Q | None = None
) -> dict[str, dict[str, int]]:
    """For each facet group, each option's count by RULE over `programmes` (the published ones),
    under the filters of `filterset` and the extra condition `within`."""
    conditions = filterset.conditions()
    within = within if within is not None else Q()

    def others(group: str) -> QuerySet:
        kept = [condition for name, condition in conditions.items() if name != group]
        return programmes.filter(within, *kept).order_by()

    found: dict[str, dict[str, int]] = {}
    fixed = fixed_options(filterset)
    # Groups not in use all count over the results themselves: one query for all of them.
    idle = {
        f"{group}|{value}": Count("pk", filter=condition)
        for group, options in fixed.items()
        if group not in conditions
        for value, (_, condition) in options.items()
    }
    for group in fixed:
        found[group] = {}
    for key, n in (others("").aggregate(**idle) if idle else {}).items():
        group, value = key.split("|")
        found[group][value] = n
    for group, options in fixed.items():
        if group in conditions:
            aggregates = {value: Count("pk", filter=c) for value, (_, c) in options.items()}
            found[group] = others(group).aggregate(**aggregates)
    for group, (link, column) in LINKED.items():
        rows = (
            link._default_manager.filter(programme_id__in=others(group).values("pk"))
            .values(column)
            .annotate(n=Count("programme_id", distinct=True))
            .values_list(column, "n")
        )
        found[group] = dict(rows)
    return found


def facets(
    filterset: ProgrammeFilter,
    vocabulary: Vocabulary,
    programmes: QuerySet,
    within: Q | None = None,
) -> dict[str, list[Option]]:
    """Every option of every filter, with its count (RULE) and whether it is chosen."""
    data = filterset.data
    chosen = {name: set(data.getlist(name)) for name in filterset.filters}
    chosen["country"] = {value.strip().upper() for value in chosen["country"]}
    numbers = counts(filterset, programmes, within)
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
