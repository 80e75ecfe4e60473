"""The home page and the filterable programme list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from programs.caching import snapshot
from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import costs, deadlines
from programs.decisions.matching import Verdict, match
from programs.decisions.profile import (
    EstimateChoice,
    EstimateForm,
    ListExtrasForm,
    ProfileForm,
    choice_field,
)
from programs.listing import cards
from programs.listing import index as listing_index
from programs.listing.choices import Sort
from programs.listing.facets import facets
from programs.listing.filters import ProgrammeFilter
from programs.models import CostBenchmark, Programme, Region, StudyLevel
from programs.views import params

PER_PAGE = 20
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
    vocabulary, index = snapshot.vocabulary(), listing_index.current(today)
    everyone = index.universe
    # The soonest dated deadlines (confirmed or expected): everything but rolling, varies, unknown.
    undated = 0
    for state in (deadlines.ROLLING, deadlines.VARIES, deadlines.UNKNOWN):
        undated |= index.options["deadline"].get(state, 0)
    soonest = index.page(everyone & ~undated, index.orders["deadline"], 0, SOONEST_DEADLINES)
    by_pk = (
        Programme.objects.published()
        .select_related("organisation")
        .with_deadlines()
        .in_bulk(soonest)
    )
    upcoming = deadlines.deadline_rows([by_pk[pk] for pk in soonest if pk in by_pk], today)
    named = index.named & everyone
    listed = reverse("programs:list")
    ctx = {
        "totals": {
            "programmes": named.bit_count(),
            "routes": (everyone & ~named).bit_count(),
            "countries": sum(1 for bits in index.options["country"].values() if bits),
            "organisations": index.organisations,
        },
        "regions": [
            Counted(
                row,
                index.count("region", slug, named),
                index.count("region", slug, everyone),
                params.url_with(listed, region=slug),
            )
            for slug, row in vocabulary.regions.items()
        ],
        "levels": [
            Counted(
                row,
                index.count("level", slug, named),
                index.count("level", slug, everyone),
                params.url_with(listed, level=slug),
            )
            for slug, row in vocabulary.levels.items()
        ],
        "soonest": [
            row
            for row in upcoming
            if row.status.state in (deadlines.UPCOMING, deadlines.CLOSING_SOON)
        ],
    }
    return render(request, "programs/home.html", ctx)


@cached_page(
    *ProgrammeFilter.base_filters,
    *ProfileForm.base_fields,
    *ListExtrasForm.base_fields,
    *EstimateForm.base_fields,
    "page",
    "p",
)
def programme_list(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    vocabulary, index = snapshot.vocabulary(), listing_index.current(today)
    filterset = ProgrammeFilter(
        request.GET,
        queryset=Programme.objects.published().for_cards(),
        today=today,
        vocabulary=vocabulary,
    )
    filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    found = listing_index.search(cleaned["q"]) if cleaned.get("q") else None
    rows = Programme.objects.published().for_cards().select_related("source_guide")
    selection = listing_index.Selection(index, cleaned, found, rows)
    asked = params.read(request, today, vocabulary)
    benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    ranked = ranked_results(filterset, selection, asked, benchmarks, rates)
    paginator = Paginator(ranked.results, PER_PAGE)
    page, page_note = page_of(paginator, request.GET.get("page"))
    # Only this page's programmes need an estimate when nothing filters or sorts by one.
    estimates = ranked.estimates or {
        p.pk: estimate_for(p, asked.choice, benchmarks, rates) for p in page.object_list
    }
    compare = asked.compare
    results = [
        cards.card(
            programme,
            today,
            url=params.with_profile(programme.get_absolute_url(), asked.carry_query),
            verdict=ranked.verdicts.get(programme.pk),
            estimate=estimates[programme.pk],
            compare=cards.CompareLink(
                programme.slug in compare,
                params.adding_to_comparison(request.GET, compare, programme.slug),
            ),
        )
        for programme in page.object_list
    ]
    ctx = {
        "section": "programmes",
        "filterset": filterset,
        "options": facets(filterset, selection, vocabulary),
        "chips": active_filters(filterset),
        "problems": problems(filterset)
        + extra_problems(asked.profile_form, asked.extras, asked.estimate_form),
        "search_text": cleaned.get("q") or "",
        "count": paginator.count,
        "page": page,
        "page_note": page_note,
        "cards": results,
        "profile_form": asked.profile_form,
        "profile_fields": (
            "" if asked.profile_query else empty_profile_fields(asked.profile_form, today)
        ),
        "profile": asked.profile,
        "extras": asked.extras,
        "compare": compare,
        "compare_url": params.compare_url(compare, asked.profile_query),
        "rates": [rate for rate in rates.by_currency.values() if rate.illustrative],
        "estimate_choice": asked.choice,
        "estimate_currencies": choice_field(asked.estimate_form, "currency").choices,
    }
    return render(request, "programs/programme_list.html", ctx)


@dataclass(frozen=True)
class Ranked:
    """The filtered programmes in order, with what was worked out to filter or sort them."""

    results: listing_index.Selection | list[Programme]
    verdicts: dict[int, Verdict]  # by primary key; empty without a profile
    estimates: dict[int, costs.Estimate]  # by primary key; empty when the index pages alone


def ranked_results(
    filterset: ProgrammeFilter,
    selection: listing_index.Selection,
    asked: params.PageParams,
    benchmarks: Iterable[CostBenchmark],
    rates: costs.Rates,
) -> Ranked:
    """The index's selection, paged by primary key, or, when a verdict or an estimate filters or
    sorts the programmes, a list worked out in Python."""
    profile = asked.profile
    extras = asked.extras
    budget = extras.cleaned_data.get("max_cost")
    by_cost = filterset.form.cleaned_data.get("sort") == Sort.COST
    only_eligible = bool(extras.cleaned_data.get("eligible")) and not profile.is_empty
    if profile.is_empty and budget is None and not by_cost:
        return Ranked(selection, {}, {})
    queryset = filterset.qs.select_related("source_guide")
    if not profile.is_empty:
        queryset = queryset.prefetch_related("disciplines")
    programmes = list(queryset)
    verdicts: dict[int, Verdict] = {}
    if not profile.is_empty:
        verdicts = {p.pk: match(p, profile) for p in programmes}
        if only_eligible:
            programmes = [p for p in programmes if verdicts[p.pk].may_apply]
    estimates = {p.pk: estimate_for(p, asked.choice, benchmarks, rates) for p in programmes}
    if budget is not None:
        # In the estimate's currency; an estimate with no figures (no length) cannot fit it.
        programmes = [
            p
            for p in programmes
            if estimates[p.pk].available and (estimates[p.pk].low or 0) <= budget
        ]
    if by_cost:
        # Monotonic in what the cards show: low end, then high end; no estimate last.
        programmes.sort(key=lambda p: estimates[p.pk].sort_key())
    if only_eligible:
        # Eligible before Check, each group in the order above.
        programmes.sort(key=lambda p: verdicts[p.pk].severity)
    return Ranked(programmes, verdicts, estimates)


def estimate_for(
    programme: Programme,
    choice: EstimateChoice,
    benchmarks: Iterable[CostBenchmark],
    rates: costs.Rates,
) -> costs.Estimate:
    """The estimate a card shows, for the student's weeks, currency and pay when given."""
    return costs.estimate(
        programme, choice.weeks, choice.currency, benchmarks, rates, with_pay=choice.with_pay
    )


def page_of(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The requested page, or the nearest real one with a note saying so; never an error."""
    if raw is None or raw == "":
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), "That page number wasn’t a number, so here is the first page."
    if number < 1:
        return paginator.page(1), "Pages start at 1, so here is the first page."
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), f"There is no page {number}; here is the last page ({last})."
    return paginator.page(number), ""


# Active filters and problems, each with the query-string change that removes it.


@dataclass(frozen=True)
class Chip:
    label: str
    change: dict[str, list[str] | None]


def active_filters(filterset: ProgrammeFilter) -> list[Chip]:
    data, chips = filterset.data, []
    for name, value in filterset.form.cleaned_data.items():
        if name == "sort" or not value:
            continue
        label = filterset.filters[name].label
        if name == "q":
            chips.append(Chip(f"{label}: “{value}”", {name: None}))
        elif name in ("speciality", "level", "pay"):
            choices = dict(Programme.Pay.choices) if name == "pay" else None
            for item in value:
                key = item if choices else item.slug
                text = choices[item] if choices else item.name
                rest = [raw for raw in data.getlist(name) if raw != key]
                chips.append(Chip(f"{label}: {text}", {name: rest or None}))
        else:
            if isinstance(value, str):
                text = dict(filterset.form.fields[name].choices).get(value, value)
            else:
                text = value.name
            chips.append(Chip(f"{label}: {text}", {name: None}))
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


def empty_profile_fields(form: ProfileForm, today: date) -> str:
    """The profile fields as a student sees them before answering: the same for everyone until
    the vocabularies change, so rendered once per data generation and day (programs/snapshot.py)."""
    return snapshot.per_generation(
        "empty-profile-fields",
        today,
        lambda: render_to_string(
            "programs/_profile_fields.html", {"form": form, "legend": "Your profile"}
        ),
    )
