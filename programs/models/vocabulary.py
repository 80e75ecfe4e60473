"""The vocabularies a page reads (regions, countries, specialities, study levels, disciplines,
cost benchmarks, exchange rates), each fetched once per page, when first used.

One object per request and never shared: every process reads the same database, so no two
workers can disagree about what the directory holds.
"""

from __future__ import annotations

from functools import cached_property

from .conditions import EligibilityRule
from .destinations import Country, Region
from .guides import CostBenchmark
from .money import ExchangeRate
from .organisations import Organisation
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
