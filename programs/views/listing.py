"""The home page and the filterable programme list."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from programs.caching import vocabulary as shared_vocabulary
from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import costs, deadlines
from programs.decisions.profile import (
    EstimateChoice,
    EstimateForm,
    ListExtrasForm,
    ProfileForm,
    choice_field,
)
from programs.listing import advice, cards, gaps, suggest
from programs.listing.choices import LENGTH_HINT
from programs.listing.facets import RULE
from programs.listing.filters import ProgrammeFilter
from programs.listing.query import ListQuery
from programs.models import Programme, Region, StudyLevel
from programs.models.money import format_figures
from programs.views import params

SOONEST_DEADLINES = 5


@dataclass(frozen=True)
class Counted:
    row: Region | StudyLevel
    n: int  # named programmes
    all: int  # programmes and routes
    url: str  # the list filtered to this row

    @property
    def routes(self) -> int:
        return self.all - self.n


@cached_page("p")
def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    published = Programme.objects.published()
    # The soonest dated deadlines (confirmed or expected): everything but rolling, varies, unknown.
    undated = Q()
    for state in (deadlines.ROLLING, deadlines.VARIES, deadlines.UNKNOWN):
        undated |= published.deadline_q(state, today)
    soonest = (
        published.exclude(undated)
        .select_related("organisation", "source_guide")
        .with_deadlines()
        .by_next_deadline(today)[:SOONEST_DEADLINES]
    )
    upcoming = deadlines.deadline_rows(list(soonest), today)
    named = Q(listing_kind=Programme.ListingKind.PROGRAMME)
    totals = published.aggregate(
        programmes=Count("pk", filter=named, distinct=True),
        everyone=Count("pk", distinct=True),
        countries=Count("countries", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    totals["routes"] = totals.pop("everyone") - totals["programmes"]
    listed = reverse("programs:list")
    by_region = "countries__programmes__"
    by_level = "programmes__"
    ctx = {
        "totals": totals,
        "regions": [
            _counted(region, params.url_with(listed, region=region.slug))
            for region in Region.objects.annotate(**_named_and_all(by_region))
        ],
        "levels": [
            _counted(level, params.url_with(listed, level=level.slug))
            for level in StudyLevel.objects.annotate(**_named_and_all(by_level))
        ],
        "soonest": [
            row
            for row in upcoming
            if row.status.state in (deadlines.UPCOMING, deadlines.CLOSING_SOON)
        ],
    }
    return render(request, "programs/home.html", ctx)


def _counted(row: Region | StudyLevel, url: str) -> Counted:
    """A row annotated by `_named_and_all()`."""
    return Counted(row, row.n, row.all, url)  # type: ignore[union-attr]


def _named_and_all(path: str) -> dict[str, Count]:
    """Published named programmes (n) and programmes and routes (all) reached through `path`."""
    published = Q(**{f"{path}status": Programme.Status.PUBLISHED})
    named = Q(**{f"{path}listing_kind": Programme.ListingKind.PROGRAMME})
    column = path.removesuffix("__")
    return {
        "n": Count(column, filter=published & named, distinct=True),
        "all": Count(column, filter=published, distinct=True),
    }


@cached_page(
    *ProgrammeFilter.base_filters,
    *ProfileForm.base_fields,
    *ListExtrasForm.base_fields,
    *EstimateForm.base_fields,
    "page",
    "p",
)
def programme_list(request: HttpRequest) -> HttpResponse:
    query = ListQuery.read(request.GET, clock.today())
    found = query.run(request.GET.get("page"))
    asked, filterset, profile = query.asked, query.filterset, query.profile
    compare = asked.compare
    shown = [
        cards.card(
            row.programme,
            query.today,
            url=params.with_profile(row.programme.get_absolute_url(), asked.carry_query),
            verdict=row.verdict,
            estimate=row.estimate,
            compare=cards.CompareLink(
                row.programme.slug in compare,
                params.adding_to_comparison(request.GET, compare, row.programme.slug),
            ),
            budget=None if query.budget is None else costs.budget_fit(row.estimate, query.budget),
        )
        for row in found.shown
    ]
    help_, nearest, suggestions, not_listed = advice.NO_HELP, None, None, None
    if found.count == 0:
        not_listed = gaps.not_listed_yet()
        levels = [row.slug for row in filterset.form.cleaned_data.get("level") or []]
        help_ = advice.for_student(
            [*levels, profile.level],
            [profile.discipline],
            profile,
            lambda p: params.with_profile(p.get_absolute_url(), asked.carry_query),
        )
        if levels:
            nearest = nearest_without(
                filterset, "level", query.published, query.within, asked.carry_query
            )
        suggestions = suggest.when_nothing_found(
            filterset,
            query.published,
            query.within,
            query.search_text,
            lambda slug: params.url_with(reverse("programs:list"), speciality=slug),
        )
    ctx = {
        "section": "programmes",
        "filterset": filterset,
        "options": found.options,
        "facet_rule": RULE,
        "length_hint": LENGTH_HINT,
        "chips": active_filters(filterset, query.extras, query.choice, query.eligible_only),
        "problems": problems(filterset)
        + extra_problems(asked.profile_form, query.extras, asked.estimate_form),
        "search_text": query.search_text,
        "count": found.count,
        # The list's calendar link only where its feed has something to hold (views.tools).
        "has_calendar": found.has_calendar,
        "page": found.page,
        "page_note": found.page_note,
        "cards": shown,
        "profile_form": asked.profile_form,
        "profile_fields": "" if asked.profile_query else empty_profile_fields(asked.profile_form),
        "profile": profile,
        "extras": query.extras,
        "compare": compare,
        "compare_url": params.compare_url(compare, asked.profile_query),
        "rates": [rate for rate in query.rates.by_currency.values() if rate.illustrative],
        "estimate_choice": query.choice,
        "estimate_currencies": choice_field(asked.estimate_form, "currency").choices,
        "help": help_,
        "nearest": nearest,
        "suggestions": suggestions,
        "not_listed": not_listed,
    }
    return render(request, "programs/programme_list.html", ctx)


NEAREST = 3


@dataclass(frozen=True)
class Nearest:
    """The results without one filter: the first few, their number and the list's link."""

    label: str
    programmes: list[tuple[Programme, str]]  # each with its page's URL, carrying the profile
    count: int
    change: dict[str, None]


def nearest_without(
    filterset: ProgrammeFilter, group: str, published: QuerySet, within: Q | None, carry: str
) -> Nearest | None:
    """The listings that might fit: the same filters and checks without `group` (two queries)."""
    kept = [c for name, c in filterset.conditions().items() if name != group]
    found = published.filter(within or Q(), *kept).order_by(Lower("title"), "pk")
    count = found.count()
    if not count:
        return None
    label = str(filterset.filters[group].label)
    first = found.select_related("organisation")[:NEAREST]
    links = [(row, params.with_profile(row.get_absolute_url(), carry)) for row in first]
    return Nearest(label, links, count, {group: None})


# Active filters and problems, each with the query-string change that removes it.


@dataclass(frozen=True)
class Chip:
    label: str
    change: dict[str, list[str] | None]


MULTI_SELECT = ("type", "speciality", "level", "pay")  # one chip per ticked option


def active_filters(
    filterset: ProgrammeFilter,
    extras: ListExtrasForm | None = None,
    choice: EstimateChoice | None = None,
    eligible_only: bool = False,
) -> list[Chip]:
    """A chip for every filter that narrows the results: the filter set's, "eligible only" (when
    a profile makes it apply) and the budget, each removing itself alone."""
    data, chips = filterset.data, []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or not value:
            continue
        label = filterset.filters[name].label
        if name == "q":
            chips.append(Chip(f"{label}: “{value}”", {name: None}))
        elif name in MULTI_SELECT:
            named = dict(filterset.form.fields[name].choices) if name in ("type", "pay") else None
            for item in value:
                key = item if named else item.slug
                text = named[item] if named else item.name
                rest = [raw for raw in data.getlist(name) if raw != key]
                chips.append(Chip(f"{label}: {text}", {name: rest or None}))
        else:
            if isinstance(value, str):
                text = dict(filterset.form.fields[name].choices).get(value, value)
            else:
                text = value.name
            chips.append(Chip(f"{label}: {text}", {name: None}))
    if extras is not None:
        if eligible_only:
            chips.append(Chip("Only programmes I may be eligible for", {"eligible": None}))
        budget = extras.cleaned_data.get("max_cost")
        if budget is not None and "max_cost" not in extras.errors:
            currency = choice.currency if choice is not None else ""
            figure = format_figures(Decimal(budget), None, currency)
            weeks = choice.weeks if choice is not None else None
            # One length per list: the student's weeks, or each programme's own, said here.
            at = (
                f"for {weeks} week{'s' if weeks != 1 else ''}"
                if weeks
                else "each programme at its shortest stated length"
            )
            chips.append(Chip(f"Budget, all-in: up to {figure}, {at}", {"max_cost": None}))
    return chips


@dataclass(frozen=True)
class Problem:
    label: str
    messages: list[str]
    change: dict[str, None]


def problems(filterset: ProgrammeFilter) -> list[Problem]:
    return [
        Problem(str(filterset.filters[name].label), list(messages), {name: None})
        for name, messages in filterset.form.errors.items()
        if name in filterset.filters
    ]


def extra_problems(*forms: Form) -> list[Problem]:
    return [
        Problem(str(form.fields[name].label), [str(m) for m in messages], {name: None})
        for form in forms
        for name, messages in form.errors.items()
        if name in form.fields
    ]


def empty_profile_fields(form: ProfileForm) -> str:
    """The profile fields as a student sees them before answering: the same for everyone until
    the data changes (the countries, levels, disciplines and universities it offers) or the day
    does, so made once per data version and day (rendering its 500 options took a fifth of a list
    page)."""

    def render() -> str:
        return render_to_string(
            "programs/_profile_fields.html", {"form": form, "legend": "Your profile"}
        )

    if any(form.data.get(name) for name in form.fields):  # answered (wrongly): shown as typed
        return render()
    # Per day too: the start date offers today to MAX_PLAN_YEARS ahead (its min and max).
    name = f"empty-profile-fields:{form.today.isoformat()}"
    return shared_vocabulary.per_version(name, render, render)
