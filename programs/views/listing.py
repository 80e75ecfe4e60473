"""The home page and the filterable programme list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from programs.caching import snapshot
from programs.core import clock
from programs.decisions import costs, deadlines
from programs.decisions.matching import attach_verdicts
from programs.decisions.profile import EstimateChoice, ListExtrasForm, ProfileForm
from programs.listing import index as listing_index
from programs.listing.choices import Sort
from programs.listing.facets import facets
from programs.listing.filters import ProgrammeFilter
from programs.models import Programme, Region, StudyLevel
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
    n: int  # named programmes
    all: int  # programmes and routes

    @property
    def routes(self) -> int:
        return self.all - self.n


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
    upcoming = deadlines.attach_deadline_status([by_pk[pk] for pk in soonest if pk in by_pk], today)
    named = index.named & everyone
    ctx = {
        "totals": {
            "programmes": named.bit_count(),
            "routes": (everyone & ~named).bit_count(),
            "countries": sum(1 for bits in index.options["country"].values() if bits),
            "organisations": index.organisations,
        },
        "regions": [
            Counted(row, index.count("region", slug, named), index.count("region", slug, everyone))
            for slug, row in vocabulary.regions.items()
        ],
        "levels": [
            Counted(row, index.count("level", slug, named), index.count("level", slug, everyone))
            for slug, row in vocabulary.levels.items()
        ],
        "soonest": [
            p
            for p in upcoming
            if p.deadline_status.state in (deadlines.UPCOMING, deadlines.CLOSING_SOON)
        ],
    }
    return render(request, "programs/home.html", ctx)


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
    profile_form, profile = params.read_profile(request, today, vocabulary)
    extras = ListExtrasForm(request.GET)
    extras.is_valid()
    benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    estimate_form, choice = params.read_estimate(request)
    results = ranked_results(filterset, selection, profile, extras, benchmarks, rates, choice)
    paginator = Paginator(results, PER_PAGE)
    page, page_note = page_of(paginator, request.GET.get("page"))
    if results is selection:
        # Only this page's programmes need an estimate when nothing filters or sorts by one.
        attach_estimates(page.object_list, benchmarks, rates, choice)
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
    ctx = {
        "section": "programmes",
        "filterset": filterset,
        "options": facets(filterset, selection, vocabulary),
        "chips": active_filters(filterset),
        "problems": problems(filterset) + extra_problems(profile_form, extras, estimate_form),
        "search_text": cleaned.get("q") or "",
        "count": paginator.count,
        "page": page,
        "page_note": page_note,
        "programmes": cards,
        "profile_form": profile_form,
        "profile_fields": "" if profile_query else empty_profile_fields(profile_form, today),
        "profile": profile,
        "profile_query": profile_query,
        "extras": extras,
        "compare": compare,
        "compare_url": compare_url(compare, profile_query),
        "rates": [rate for rate in rates.by_currency.values() if rate.illustrative],
        "estimate_choice": choice,
        "estimate_currencies": estimate_form.fields["currency"].choices,
    }
    return render(request, "programs/programme_list.html", ctx)


def ranked_results(
    filterset, selection, profile, extras, benchmarks, rates, choice
) -> listing_index.Selection | list[Programme]:
    """The filtered programmes in order: the index's selection, paged by primary key, or, when a
    verdict or an estimate filters or sorts them, a list worked out in Python."""
    budget = extras.cleaned_data.get("max_cost")
    by_cost = filterset.form.cleaned_data.get("sort") == Sort.COST
    only_eligible = bool(extras.cleaned_data.get("eligible")) and not profile.is_empty
    if profile.is_empty and budget is None and not by_cost:
        return selection
    queryset = filterset.qs.select_related("source_guide")
    if not profile.is_empty:
        queryset = queryset.prefetch_related("disciplines")
    programmes = list(queryset)
    if not profile.is_empty:
        attach_verdicts(programmes, profile)
        if only_eligible:
            programmes = [p for p in programmes if p.verdict.may_apply]
    attach_estimates(programmes, benchmarks, rates, choice)
    if budget is not None:
        # In the estimate's currency; an estimate with no figures (no length) cannot fit it.
        programmes = [p for p in programmes if p.estimate.available and p.estimate.low <= budget]
    if by_cost:
        # Monotonic in what the cards show: low end, then high end; no estimate last.
        programmes.sort(key=lambda p: p.estimate.sort_key())
    if only_eligible:
        # Eligible before Check, each group in the order above.
        programmes.sort(key=lambda p: p.verdict.severity)
    return programmes


def attach_estimates(programmes, benchmarks, rates, choice: EstimateChoice) -> None:
    """The estimate each card shows, for the student's weeks and currency when given."""
    for programme in programmes:
        programme.estimate = costs.estimate(
            programme,
            choice.weeks,
            choice.currency,
            benchmarks,
            rates,
            with_pay=choice.with_pay,
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


def extra_problems(*forms) -> list[Problem]:
    return [
        Problem(str(form.fields[name].label), list(messages), {name: None})
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
