"""Reading pages: one programme's full record, destinations by region, and the guides' advice.

Each page runs a fixed number of queries, whatever the size of the record: the lookup helpers
below hold the select_related/prefetch, and the templates touch nothing they did not fetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import costs, legitimacy, planning
from programs.decisions.profile import EstimateForm, ProfileForm
from programs.decisions.summary import decide
from programs.listing.cards import card
from programs.models import (
    CostBenchmark,
    DestinationNote,
    Guide,
    GuideItem,
    GuideTopic,
    Programme,
    Region,
    Sourced,
    TimelineStage,
    Vocabulary,
)
from programs.publishing.json_ld import json_ld, json_ld_text
from programs.views import params

from .references import References
from .renamed import follow_renamed_slug

# Guide topics other pages borrow from, by the slugs the fixtures use.
DOCUMENTS = "documents"
LEGITIMACY = "legitimacy"
TIMELINE = "timeline"
COSTS = "costs"

Kind = GuideItem.Kind

# Headings for items without a `group`, written for people rather than from the kind's label.
KIND_HEADINGS: dict[str, str] = {
    Kind.POINT: "Key points",
    Kind.STEP: "Step by step",
    Kind.CHECK: "Checklist",
    Kind.RED_FLAG: "Red flags",
    Kind.DOCUMENT: "Documents",
    Kind.REQUIREMENT: "Requirements",
    Kind.QUESTION: "Questions to ask yourself",
    Kind.FAQ: "Frequently asked questions",
    Kind.TIP: "Tips",
}


def shared_source(records: Sequence[Sourced]) -> Sourced | None:
    """The one record whose citation stands for all of them, or None when they differ."""
    sources = {(r.source_guide_id, r.source_section) for r in records}
    return records[0] if len(sources) == 1 else None


@dataclass
class Run:
    """Neighbouring records that cite the same guide section, shown with one source line."""

    source: Sourced
    items: list[Sourced]
    start: int  # the first item's number, so an ordered list continues across runs


def runs_by_source(records: Iterable[Sourced]) -> list[Run]:
    runs: list[Run] = []
    count = 0
    for _, group in groupby(records, key=lambda r: (r.source_guide_id, r.source_section)):
        items = list(group)
        runs.append(Run(items[0], items, count + 1))
        count += len(items)
    return runs


@dataclass
class ItemGroup:
    """Guide items shown under one heading."""

    heading: str
    items: list[GuideItem]

    @property
    def runs(self) -> list[Run]:
        return runs_by_source(self.items)

    @property
    def is_steps(self) -> bool:
        return all(item.kind == Kind.STEP for item in self.items)

    @property
    def is_faq(self) -> bool:
        return all(item.kind == Kind.FAQ for item in self.items)


def group_items(items: Iterable[GuideItem]) -> list[ItemGroup]:
    """Group by the item's `group`, else by its kind; groups keep the order they first appear in."""
    groups: dict[str, ItemGroup] = {}
    for item in items:
        heading = item.group or KIND_HEADINGS.get(item.kind, item.get_kind_display())
        groups.setdefault(heading, ItemGroup(heading, [])).items.append(item)
    return list(groups.values())


# Programme detail


def get_programme_for(request: HttpRequest, slug: str) -> Programme:
    """Published programmes for everyone; drafts and archived ones too for staff, to preview."""
    programmes = (
        Programme.objects.for_detail().with_last_report().prefetch_related("legitimacy_signals")
    )
    if not request.user.is_staff:
        programmes = programmes.published()
    return get_object_or_404(programmes, slug=slug)


def advice_for_applicants() -> tuple[list[GuideItem], list[GuideItem]]:
    """The guides' documents list and legitimacy checklist, fetched in one query."""
    items = GuideItem.objects.filter(
        Q(topic__slug=DOCUMENTS, kind=Kind.DOCUMENT)
        | Q(topic__slug=LEGITIMACY, kind__in=[Kind.CHECK, Kind.RED_FLAG])
    ).select_related("topic", "source_guide")
    documents: list[GuideItem] = []
    checklist: list[GuideItem] = []
    for item in items:
        (documents if item.topic.slug == DOCUMENTS else checklist).append(item)
    return documents, checklist


@follow_renamed_slug
@cached_page(*ProfileForm.base_fields, *EstimateForm.base_fields, "p", programme="slug")
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_programme_for(request, slug)
    documents, checks = advice_for_applicants()
    today = clock.today()
    vocabulary = Vocabulary()
    asked = params.read(request, today, vocabulary)
    profile = asked.profile
    stages = planning.timeline() if profile.start else None
    rates = costs.Rates(vocabulary.rates)
    decision = decide(programme, profile, asked.choice, vocabulary.benchmarks, rates, stages, today)
    # The decision first: where, type, pay, length, deadline, verdict, estimate and next step.
    glance = card(programme, today, verdict=decision.verdict, estimate=decision.estimate)
    deadline = glance.deadline
    url = request.build_absolute_uri(programme.get_absolute_url())
    profile_query = asked.profile_query
    # A calendar file only when there is something to put in it: a dated deadline ahead, or a plan.
    calendar_url = ""
    if deadline.in_calendar or decision.plan:
        calendar_url = params.url_with(
            reverse("programs:programme_calendar", args=[programme.slug]),
            **({"start": decision.plan.start.isoformat()} if decision.plan else {}),
        )
    ctx = {
        "section": "programmes",
        "programme": programme,
        "preview": programme.status != Programme.Status.PUBLISHED,
        "json_ld": json_ld_text(json_ld(programme, deadline, url)),
        "glance": glance,
        "refs": References(
            [programme.source_guide, *(b.source_guide for b in vocabulary.benchmarks)]
            + [staged.stage.source_guide for staged in stages or []]
        ),
        "rules": list(programme.eligibility_rules.all()),
        "costs": list(programme.costs.all()),
        "deadline": deadline,
        "next_step": glance.next_step,
        "today": today,
        "document_runs": runs_by_source(documents),
        "checks": legitimacy.checklist(legitimacy.legitimacy(programme, checks)),
        "profile_form": asked.profile_form,
        "eligibility_url": params.with_profile(reverse("programs:eligibility"), profile_query),
        "in_comparison": programme.slug in asked.compare,
        "compare_url": params.compare_url(
            params.with_added(asked.compare, programme.slug), profile_query
        ),
        "calendar_url": calendar_url,
        "estimate_form": asked.estimate_form,
        "decision": decision,
        "input_problems": asked.input_problems,
    }
    return render(request, "programs/programme_detail.html", ctx)


# Destinations


def regions_with_counts() -> QuerySet[Region]:
    """Every region with `programme_count`, its published programmes, in one query."""
    published = Q(countries__programmes__status=Programme.Status.PUBLISHED)
    return Region.objects.annotate(
        programme_count=Count("countries__programmes", filter=published, distinct=True)
    )


@cached_page("p")
def destination_list(request: HttpRequest) -> HttpResponse:
    ctx = {"section": "destinations", "regions": regions_with_counts()}
    return render(request, "programs/destination_list.html", ctx)


@dataclass
class NoteGroup:
    kind: DestinationNote.Kind
    notes: list[DestinationNote]

    @property
    def runs(self) -> list[Run]:
        return runs_by_source(self.notes)


def notes_by_kind(notes: Iterable[DestinationNote]) -> list[NoteGroup]:
    """Overview first, then Best for, What to expect, Watch out for; empty kinds left out."""
    notes = list(notes)
    groups = [
        NoteGroup(kind, [n for n in notes if n.kind == kind]) for kind in DestinationNote.Kind
    ]
    return [group for group in groups if group.notes]


@cached_page("p")
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(
        Region.objects.select_related("source_guide").prefetch_related("countries"), slug=slug
    )
    notes = region.notes.select_related("country", "source_guide")
    programmes = (
        Programme.objects.published().filter(countries__region=region).distinct().for_listing()
    )
    slugs, _ = params.compare_slugs(request.GET)
    keep = params.shortlist_query(slugs)
    today = clock.today()
    shown = [
        card(p, today, url=params.with_profile(p.get_absolute_url(), keep)) for p in programmes
    ]
    ctx = {
        "section": "destinations",
        "region": region,
        "note_groups": notes_by_kind(notes),
        "cards": [c for c in shown if c.programme.listing_kind == Programme.ListingKind.PROGRAMME],
        "routes": [c for c in shown if c.programme.listing_kind != Programme.ListingKind.PROGRAMME],
        "list_url": params.url_with(reverse("programs:list"), region=region.slug),
    }
    return render(request, "programs/region_detail.html", ctx)


# Guides


@cached_page("p", shows_programmes=False)
def guide_list(request: HttpRequest) -> HttpResponse:
    ctx = {
        "section": "guides",
        "topics": GuideTopic.objects.all(),
        "guides": Guide.objects.all(),
    }
    return render(request, "programs/guide_list.html", ctx)


@dataclass(frozen=True)
class StageSection:
    """A timeline stage on the timeline guide, with the topic's items that belong to it."""

    stage: TimelineStage
    items: list[GuideItem]
    # Set when the items cite the same section as the stage, so one source line covers both.
    items_source: Sourced | None


def timeline_stages(items: list[GuideItem]) -> list[StageSection]:
    """The stages in order, each with the topic's items that belong to it."""
    sections = []
    for stage in TimelineStage.objects.select_related("source_guide"):
        mine = [item for item in items if item.stage_id == stage.pk]
        sections.append(StageSection(stage, mine, shared_source([stage, *mine])))
    return sections


@cached_page("p", shows_programmes=False)
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(GuideTopic, slug=slug)
    items = list(topic.items.select_related("source_guide", "stage", "study_level"))
    stages = timeline_stages(items) if topic.slug == TIMELINE else []
    staged = {item.pk for section in stages for item in section.items}
    benchmarks = (
        list(CostBenchmark.objects.select_related("source_guide")) if topic.slug == COSTS else []
    )
    ctx = {
        "section": "guides",
        "topic": topic,
        "stages": stages,
        "groups": group_items(item for item in items if item.pk not in staged),
        "benchmarks": benchmarks,
        "benchmarks_source": shared_source(benchmarks) if benchmarks else None,
    }
    return render(request, "programs/guide_detail.html", ctx)
