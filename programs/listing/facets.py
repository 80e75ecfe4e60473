"""Facets: every option of every filter with its count, from the list index (no queries)."""

from __future__ import annotations

from dataclasses import dataclass

from programs.caching.snapshot import VocabularySnapshot
from programs.listing.choices import DeadlineChoice, DeliveryChoice, DurationBucket, Sort
from programs.listing.filters import ProgrammeFilter
from programs.listing.index import Selection
from programs.models import Programme


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


SCALAR_CHOICES = {
    "type": Programme.Type.choices,
    "pay": Programme.Pay.choices,
    "duration": DurationBucket.choices,
    "deadline": DeadlineChoice.choices,
    "delivery": DeliveryChoice.choices,
}


def facets(
    filterset: ProgrammeFilter, selection: Selection, vocabulary: VocabularySnapshot
) -> dict[str, list[Option]]:
    """Each count applies every other valid filter but not its own, so an option shows what
    choosing it would give."""
    data, index = filterset.data, selection.index
    chosen = {name: set(data.getlist(name)) for name in filterset.filters}
    chosen["country"] = {value.strip().upper() for value in chosen["country"]}
    rows = {
        "region": {slug: row.name for slug, row in vocabulary.regions.items()},
        "country": {code: row.name for code, row in vocabulary.countries.items()},
        "speciality": {slug: row.name for slug, row in vocabulary.specialities.items()},
        "level": {slug: row.name for slug, row in vocabulary.levels.items()},
    }
    result = {}
    for name, choices in [*SCALAR_CHOICES.items(), *((n, r.items()) for n, r in rows.items())]:
        base = selection.without(name)
        result[name] = [
            Option(str(value), str(label), index.count(name, value, base), value in chosen[name])
            for value, label in choices
        ]
    result["no_red_flags"] = [
        Option("1", "Hide programmes with a red flag recorded", 0, "1" in chosen["no_red_flags"])
    ]
    result["sort"] = [
        Option(value, str(label), 0, value in chosen["sort"]) for value, label in Sort.choices
    ]
    return result
