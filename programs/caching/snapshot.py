"""Small, read-mostly data kept in each process's memory and rebuilt when the directory changes.

Every page needs the same few vocabularies (regions, countries, specialities, study levels,
disciplines), the cost benchmarks and the exchange rates. Rather than query them on every request,
each process keeps one copy per data *generation* (programs/caching/generation.py): any save, delete or
re-link in this app bumps the generation, and the next request rebuilds. The list index
(programs/listing/index.py) is kept the same way, per generation and day.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.conf import settings

from programs.caching.generation import generation
from programs.models import (
    CostBenchmark,
    Country,
    Discipline,
    EligibilityRule,
    ExchangeRate,
    Organisation,
    Region,
    Speciality,
    StudyLevel,
)

_memo: dict[str, tuple[Hashable, float, object]] = {}
_lock = threading.RLock()  # re-entrant: building the list index reads the vocabulary


def per_generation[T](name: str, key: Hashable, build: Callable[[], T]) -> T:
    """The value `build()` made for this data generation and `key`, built at most once per
    process and at most `SNAPSHOT_SECONDS` old. The generation is read before building, so a
    change that lands while building leaves a value under the old generation, which the next
    request replaces. The age limit bounds how stale a process can be when it cannot see other
    processes' changes (LocMem cache, no REDIS_URL)."""
    full_key = (generation(), key)
    held = _memo.get(name)
    if held is not None and _fresh(held, full_key):
        return held[2]  # type: ignore[return-value]
    with _lock:
        held = _memo.get(name)
        if held is not None and _fresh(held, full_key):
            return held[2]  # type: ignore[return-value]
        value = build()
        _memo[name] = (full_key, time.monotonic(), value)
        return value


def _fresh(held: tuple[Hashable, float, object], full_key: Hashable) -> bool:
    return held[0] == full_key and time.monotonic() - held[1] < settings.SNAPSHOT_SECONDS


@dataclass(frozen=True)
class VocabularySnapshot:
    """Each in its model's display order, keyed by the value the public URLs use."""

    regions: dict[str, Region]  # by slug
    countries: dict[str, Country]  # by ISO code
    specialities: dict[str, Speciality]  # by slug
    levels: dict[str, StudyLevel]  # by slug
    disciplines: dict[str, Discipline]  # by slug
    benchmarks: tuple[CostBenchmark, ...]
    rates: tuple[ExchangeRate, ...]
    # Universities with a route for their own students only: the profile asks which is yours.
    universities: dict[str, Organisation]  # by slug


def _build_vocabulary() -> VocabularySnapshot:
    return VocabularySnapshot(
        regions={r.slug: r for r in Region.objects.all()},
        countries={c.code: c for c in Country.objects.all()},
        specialities={s.slug: s for s in Speciality.objects.all()},
        levels={s.slug: s for s in StudyLevel.objects.all()},
        disciplines={d.slug: d for d in Discipline.objects.all()},
        benchmarks=tuple(CostBenchmark.objects.select_related("source_guide")),
        rates=tuple(ExchangeRate.objects.all()),
        universities={
            o.slug: o
            for o in Organisation.objects.filter(
                pk__in=EligibilityRule.objects.filter(kind="own_students").values("university")
            ).order_by("name")
        },
    )


def vocabulary() -> VocabularySnapshot:
    return per_generation("vocabulary", None, _build_vocabulary)
