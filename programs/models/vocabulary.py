"""The vocabularies a page reads (regions, countries, specialities, study levels, disciplines,
cost benchmarks, exchange rates, search synonyms, the universities the profile asks about, the
longest stated length), each fetched once, when first used.

A page asks `programs.caching.vocabulary.shared()`, which keeps one complete copy in the shared
cache per data version (every process reads the same copy, and an edit anywhere in the directory
makes a new one); without a working shared cache each request reads its own.
"""

from __future__ import annotations

from functools import cached_property

from django.db.models import Max
from django.db.models.functions import Greatest

from .conditions import EligibilityRule
from .destinations import Country, Region
from .guides import CostBenchmark
from .money import ExchangeRate
from .organisations import Organisation
from .programmes import Programme
from .search import SearchSynonym
from .search_text import Phrase
from .taxonomy import Discipline, Speciality, StudyLevel


class Vocabulary:
    """Each vocabulary in its model's display order, keyed by the value the public URLs use."""

    @cached_property
    def regions(self) -> dict[str, Region]:  # by slug
        return {r.slug: r for r in Region.objects.all()}

    @cached_property
    def countries(self) -> dict[str, Country]:  # by ISO code
        return {c.code: c for c in Country.objects.all()}

    @cached_property
    def specialities(self) -> dict[str, Speciality]:  # by slug
        return {s.slug: s for s in Speciality.objects.all()}

    @cached_property
    def levels(self) -> dict[str, StudyLevel]:  # by slug
        return {s.slug: s for s in StudyLevel.objects.all()}

    @cached_property
    def disciplines(self) -> dict[str, Discipline]:  # by slug
        return {d.slug: d for d in Discipline.objects.all()}

    @cached_property
    def benchmarks(self) -> tuple[CostBenchmark, ...]:
        return tuple(CostBenchmark.objects.select_related("source_guide"))

    @cached_property
    def rates(self) -> tuple[ExchangeRate, ...]:
        return tuple(ExchangeRate.objects.all())

    @cached_property
    def universities(self) -> dict[str, Organisation]:  # by slug
        """Universities with a route for their own students only: the profile asks which is yours."""
        return {
            o.slug: o
            for o in Organisation.objects.filter(
                pk__in=EligibilityRule.objects.filter(kind="own_students").values("university")
            ).order_by("name")
        }

    @cached_property
    def synonyms(self) -> dict[Phrase, list[Phrase]]:
        """Every search synonym as phrases of folded words (`SearchSynonym.objects.as_map()`)."""
        return SearchSynonym.objects.as_map()

    @cached_property
    def longest_weeks(self) -> int:
        """The longest length any programme states, in weeks (0 when none does): the budget's
        table of benchmark lines runs that far (programs/listing/budget.py)."""
        stated = Programme.objects.aggregate(
            longest=Greatest(Max("duration_min_weeks"), Max("duration_max_weeks"))
        )["longest"]
        return stated or 0

    def load_all(self) -> Vocabulary:
        """Every vocabulary fetched now (before the copy is shared), in a fixed number of queries."""
        for name, value in vars(type(self)).items():
            if isinstance(value, cached_property):
                getattr(self, name)
        return self
