"""Empty states that help: when a study level or a discipline finds nothing, what the guides advise
for it, and the pathways (exchange routes) worth asking about.

The advice is data, transcribed from the guides with a source: the level's or discipline's own
description (programs/models/taxonomy.py), then the guide items about it — for a level, the items
filed under that level; for a discipline, the items cited from the same guide section as its
description (the guides advise dentistry, pharmacy and allied health in one section). Nothing here
is written for a template.

The routes go through the same matcher as the results (decisions.matching.match): a route the
matcher calls "Not eligible" for the student is never suggested, and each one carries its verdict.
When the student gave no profile but filtered the list by one level (or discipline), that level is
what the routes are judged against.

Queries: one each for the levels and the disciplines advised on (none for an empty list), one for
their items, and the routes with what the matcher reads (their rules, levels, disciplines and
countries); none at all when there is nothing to advise on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.db.models import Q

from programs.decisions.matching import Profile, Verdict, match
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
class Route:
    """A pathway worth asking about, with the matcher's verdict for the student (None when the
    student told us nothing the matcher reads) and the link to its page."""

    programme: Programme
    verdict: Verdict | None
    url: str

    @property
    def why(self) -> str:
        """The first reason that decides the verdict (e.g. the rule that makes it "Check")."""
        if self.verdict is None:
            return ""
        state = self.verdict.state
        return next((r.text for r in self.verdict.reasons if r.state == state), "")


@dataclass(frozen=True)
class Help:
    advice: list[Advice]
    routes: list[Route]  # pathways the matcher does not call "Not eligible", to ask about

    def __bool__(self) -> bool:
        return bool(self.advice or self.routes)


NO_HELP = Help([], [])


def for_student(
    levels: Iterable[str],
    disciplines: Iterable[str],
    profile: Profile | None = None,
    link: Callable[[Programme], str] | None = None,
) -> Help:
    """Advice for the study levels and disciplines named by slug (unknown slugs are skipped), and
    the published pathways the matcher does not rule out for `profile`. `link(programme)` is the
    route's URL (by default its page)."""
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
    judged_as = _judged_as(profile or Profile(), level_rows, discipline_rows)
    return Help(advice, routes_open_to(level_slugs, discipline_slugs, judged_as, link or _page))


def _page(programme: Programme) -> str:
    return programme.get_absolute_url()


def _judged_as(
    profile: Profile, level_rows: list[StudyLevel], discipline_rows: list[Discipline]
) -> Profile:
    """The profile the routes are judged against: the student's, with the one level (or
    discipline) the list was filtered by when the profile does not give one."""
    if not profile.level and len(level_rows) == 1:
        profile = replace(profile, level=level_rows[0].slug, level_name=level_rows[0].name)
    if not profile.discipline and len(discipline_rows) == 1:
        row = discipline_rows[0]
        profile = replace(profile, discipline=row.slug, discipline_name=row.name)
    return profile


def routes_open_to(
    levels: list[str],
    disciplines: list[str],
    profile: Profile | None = None,
    link: Callable[[Programme], str] = _page,
) -> list[Route]:
    """Published pathways whose listed levels and disciplines (when they list any) include the
    student's and that the matcher does not call "Not eligible": the routes worth asking about,
    those the matcher calls "Eligible" first."""
    routes = Programme.objects.published().filter(listing_kind=Programme.ListingKind.PATHWAY)
    if levels:
        routes = routes.filter(
            Q(study_levels__isnull=True) | Q(study_levels__slug__in=levels)
        ).distinct()
    if disciplines:
        routes = routes.filter(
            Q(disciplines__isnull=True) | Q(disciplines__slug__in=disciplines)
        ).distinct()
    profile = profile or Profile()
    judged = [
        Route(route, None if profile.is_empty else match(route, profile), link(route))
        for route in routes.select_related("organisation")
        .prefetch_related(routes.rules_prefetch(), "disciplines", "countries")
        .order_by("title")
    ]
    open_ = [route for route in judged if route.verdict is None or route.verdict.may_apply]
    open_.sort(key=lambda route: route.verdict.severity if route.verdict else 0)
    return open_[:MAX_ROUTES]
