"""The home page and the filterable programme list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from programs.core import clock
from programs.decisions import costs, deadlines
from programs.decisions.matching import attach_verdicts, rules_prefetch
from programs.decisions.profile import ListExtrasForm, ProfileForm
from programs.listing import results, suggest
from programs.listing.choices import Sort
from programs.listing.facets import RULE, facets
from programs.listing.filters import ProgrammeFilter
from programs.models import Programme, ProgrammeQuerySet, Region, StudyLevel, Vocabulary
from programs.views import params

PER_PAGE = 20
SOONEST_DEADLINES = 5

# The costs a card may headline for each kind of pay, most telling first: an unpaid card never
# headlines the salary of a few paid posts, and a stipend card shows its stipend.
HEADLINE_COSTS = {
    "fee": ("programme_fee",),
    "unpaid": ("programme_fee",),
    "unknown": ("programme_fee",),
    "paid": ("salary", "stipend"),
    "stipend": ("stipend", "salary"),
    "partial": ("stipend", "salary"),
}
COST_WORDS = {"programme_fee": "Fee", "stipend": "Stipend", "salary": "Salary"}


@dataclass(frozen=True)
class Counted:
    row: Region | StudyLevel
    n: int


def home(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    published = Programme.objects.published()
    # Open deadlines soonest first; when fewer than five are open, next year's fill the list.
    dated = published.filter(published.dated_deadline_q()).select_related("organisation")
    upcoming = deadlines.attach_deadline_status(
        list(dated.by_next_deadline(today)[:SOONEST_DEADLINES]), today
    )
    totals = published.aggregate(
        programmes=Count("pk", distinct=True),
        countries=Count("countries", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    ctx = {
        "totals": totals,
        "regions": [
            Counted(region, region.n)
            for region in Region.objects.annotate(
                n=Count(
                    "countries__programmes",
                    filter=Q(countries__programmes__status=Programme.Status.PUBLISHED),
                    distinct=True,
                )
            )
        ],
        "levels": [
            Counted(level, level.n)
            for level in StudyLevel.objects.annotate(
                n=Count(
                    "programmes",
                    filter=Q(programmes__status=Programme.Status.PUBLISHED),
                    distinct=True,
                )
            )
        ],
        "soonest": [p for p in upcoming if p.deadline_status.state == deadlines.OPEN],
        "next_round": [p for p in upcoming if p.deadline_status.state == deadlines.CLOSED],
    }
    return render(request, "programs/home.html", ctx)


def programme_list(request: HttpRequest) -> HttpResponse:
    today, vocabulary = clock.today(), Vocabulary()
    published = Programme.objects.published()
    filterset = ProgrammeFilter(
        request.GET,
        queryset=published.for_cards().select_related("source_guide"),
        today=today,
        vocabulary=vocabulary,
    )
    filterset.is_valid()
    profile_form, profile = params.read_profile(request, today, vocabulary)
    extras = ListExtrasForm(request.GET)
    extras.is_valid()
    benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    # The one set the results and every facet count are drawn from (programs/listing/facets.py).
    kept = results.kept_by_checks(
        filterset,
        published,
        profile,
        bool(extras.cleaned_data.get("eligible")),
        extras.cleaned_data.get("max_cost"),
        benchmarks,
        rates,
    )
    within = ProgrammeQuerySet.among_q(kept) if kept is not None else None
    found = filterset.qs.filter(within) if within is not None else filterset.qs
    if not profile.is_empty:
        found = found.prefetch_related(rules_prefetch(), "disciplines")
    by_cost = filterset.form.cleaned_data.get("sort") == Sort.COST
    paginator = Paginator(sorted_by_cost(found, benchmarks, rates) if by_cost else found, PER_PAGE)
    page, page_note = page_of(paginator, request.GET.get("page"))
    if not by_cost:
        results.attach_estimates(page.object_list, benchmarks, rates)
    if not profile.is_empty:
        attach_verdicts(page.object_list, profile)
    compare = params.compare_slugs(request.GET)[0]
    cards = prepare_cards(page.object_list, today)
    adding = compare_query(request, compare) if len(compare) < params.MAX_COMPARE else None
    for programme in cards:
        programme.in_comparison = programme.slug in compare
        programme.compare_query = (
            "&".join(filter(None, [adding, urlencode({"p": programme.slug})]))
            if adding is not None
            else ""
        )
    profile_query = params.profile_query(request.GET)
    search_text = filterset.form.cleaned_data.get("q") or ""
    ctx = {
        "section": "programmes",
        "filterset": filterset,
        "options": facets(filterset, vocabulary, published, within),
        "facet_rule": RULE,
        "chips": active_filters(filterset),
        "problems": problems(filterset) + extra_problems(profile_form, extras),
        "search_text": search_text,
        "count": paginator.count,
        "page": page,
        "page_note": page_note,
        "programmes": cards,
        "profile_form": profile_form,
        "profile_fields": "" if profile_query else empty_profile_fields(profile_form),
        "profile": profile,
        "profile_query": profile_query,
        "extras": extras,
        "compare": compare,
        "compare_url": compare_url(compare, profile_query),
        "rates": [rate for rate in rates.by_currency.values() if rate.illustrative],
        "suggestions": (
            suggest.when_nothing_found(filterset, published, within, search_text)
            if paginator.count == 0
            else None
        ),
    }
    return render(request, "programs/programme_list.html", ctx)


def sorted_by_cost(found, benchmarks, rates) -> list[Programme]:
    """Every result with its estimate, cheapest first; estimates that leave out a fee the source
    does not state sort after complete ones."""
    programmes = list(found)
    results.attach_estimates(programmes, benchmarks, rates)
    programmes.sort(key=lambda p: (bool(p.estimate.missing), p.estimate.low, p.estimate.high))
    return programmes


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


def extra_problems(*forms) -> list[Problem]:
    return [
        Problem(str(form.fields[name].label), list(messages), {name: None})
        for form in forms
        for name, messages in form.errors.items()
        if name in form.fields
    ]


def empty_profile_fields(form: ProfileForm) -> str:
    """The profile fields as a student sees them before answering."""
    return render_to_string(
        "programs/_profile_fields.html", {"form": form, "legend": "Your profile"}
    )


def compare_query(request: HttpRequest, slugs: list[str]) -> str:
    """This page's query string with `p` set to `slugs` (and back to page 1)."""
    query = request.GET.copy()
    query.setlist("p", slugs)
    query.pop("page", None)
    return query.urlencode()


def compare_url(slugs: list[str], profile_query: str) -> str:
    if not slugs:
        return ""
    query = QueryDict(mutable=True)
    query.setlist("p", slugs)
    return (
        reverse("programs:compare")
        + "?"
        + "&".join(filter(None, [query.urlencode(), profile_query]))
    )


# What a result card shows, computed from prefetched rows (no queries).


def prepare_cards(programmes: Iterable[Programme], today: date) -> list[Programme]:
    """Attach `deadline_status`, `where`, `duration_label`, `headline_cost` and `levels_label`
    to each programme
    of a `for_cards()` (or `for_listing()`) queryset, for templates/programs/_programme_card.html."""
    programmes = deadlines.attach_deadline_status(programmes, today)
    for programme in programmes:
        programme.where = where(programme)
        programme.duration_label = duration_label(programme)
        programme.headline_cost = headline_cost(programme)
        programme.levels_label = ", ".join(level.name for level in programme.study_levels.all())
    return programmes


def where(programme: Programme) -> str:
    places, covered = [], set()
    for city in programme.cities.all():
        places.append(f"{city.name}, {city.country.name}")
        covered.add(city.country_id)
    places += [c.name for c in programme.countries.all() if c.pk not in covered]
    text = "; ".join(places) or programme.location_note
    if programme.delivery == Programme.Delivery.VIRTUAL:
        return f"Virtual · {text}" if text else "Virtual"
    if programme.delivery == Programme.Delivery.HYBRID:
        return f"{text} · in person or virtual" if text else "In person or virtual"
    return text


def duration_label(programme: Programme) -> str:
    low, high = programme.duration_min_weeks, programme.duration_max_weeks
    if low is None and high is None:
        return ""
    if low is not None and high is not None and low != high:
        return f"{low}–{high} weeks"
    weeks = low if low is not None else high
    return "1 week" if weeks == 1 else f"{weeks} weeks"


def headline_cost(programme: Programme) -> str:
    """e.g. "Fee ~US$2,000–5,000 per week": the first cost with a figure that fits the pay."""
    costs = [c for c in programme.costs.all() if c.amount_min is not None]
    for kind in HEADLINE_COSTS.get(programme.pay, ()):
        cost = next((c for c in costs if c.kind == kind), None)
        if cost is None:
            continue
        if kind == "programme_fee" and not cost.amount_min and cost.amount_max is None:
            return "No programme fee"
        period = "" if cost.period == "one_off" else " " + cost.get_period_display()
        # "Stipend · Stipend US$3,000" says it twice.
        word = "" if kind == programme.pay else COST_WORDS[kind] + " "
        return f"{word}{cost.figures()}{period.replace(' (full-time equivalent)', '')}"
    return ""
