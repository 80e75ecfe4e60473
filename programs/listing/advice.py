"""Empty states that help: when a study level or a discipline finds nothing, what the guides advise
for it, and the pathways (exchange routes) worth asking about.

The advice is data, transcribed from the guides with a source: the level's or discipline's own
description (programs/models/taxonomy.py), then the guide items about it — for a level, the items
filed under that level; for a discipline, the items cited from the same guide section as its
description (the guides advise dentistry, pharmacy and allied health in one section). Nothing here
is written for a template.

Queries: one each for the levels and the disciplines advised on (none for an empty list), one for
their items, one for the routes; none at all when there is nothing to advise on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from programs.models import Discipline, GuideItem, Programme, StudyLevel

MAX_ROUTES = 6


@dataclass(frozen=True)
class Advice:
    """What the guides say to a student of one level or discipline."""

    name: str
    summary: str  # the row's description, in our words
    citation: str  # "Guide title — Section heading"
    items: list[GuideItem]


@dataclass(frozen=True)
class Help:
    advice: list[Advice]
    routes: list[Programme]  # pathways that do not rule the student out, to ask about

    def __bool__(self) -> bool:
        return bool(self.advice or self.routes)


NO_HELP = Help([], [])


def for_student(levels: Iterable[str], disciplines: Iterable[str]) -> Help:
    """Advice for the study levels and disciplines named by slug (unknown slugs are skipped), and
    the published pathways open to them as far as the pathways say."""
    level_slugs, discipline_slugs = sorted(set(levels) - {""}), sorted(set(disciplines) - {""})
    if not level_slugs and not discipline_slugs:
        return NO_HELP
    level_rows = list(
        StudyLevel.objects.select_related("source_guide").filter(slug__in=level_slugs)
    )
    discipline_rows = list(
        Discipline.objects.select_related("source_guide").filter(slug__in=discipline_slugs)
    )
    same_section = Q(pk__in=[])
    for row in discipline_rows:
        same_section |= Q(source_guide_id=row.source_guide_id, source_section=row.source_section)
    items = list(
        GuideItem.objects.select_related("source_guide", "study_level").filter(
            Q(study_level__slug__in=level_slugs) | same_section
        )
    )
    advice = [
        Advice(
            row.name,
            row.description,
            row.citation,
            [item for item in items if item.study_level_id == row.pk],
        )
        for row in level_rows
    ] + [
        Advice(
            row.name,
            row.description,
            row.citation,
            [
                item
                for item in items
                if item.source_guide_id == row.source_guide_id
                and item.source_section == row.source_section
            ],
        )
        for row in discipline_rows
    ]
    return Help(advice, routes_open_to(level_slugs, discipline_slugs))


def routes_open_to(levels: list[str], disciplines: list[str]) -> list[Programme]:
    """Published pathways whose listed levels and disciplines (when they list any) include the
    student's: the routes worth asking about."""
    routes = Programme.objects.published().filter(listing_kind=Programme.ListingKind.PATHWAY)
    if levels:
        routes = routes.filter(
            Q(study_levels__isnull=True) | Q(study_levels__slug__in=levels)
        ).distinct()
    if disciplines:
        routes = routes.filter(
            Q(disciplines__isnull=True) | Q(disciplines__slug__in=disciplines)
        ).distinct()
    return list(routes.select_related("organisation").order_by("title")[:MAX_ROUTES])
