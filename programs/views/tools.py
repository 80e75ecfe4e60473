"""The student decision tools: compare, upcoming deadlines and calendar files (eligibility is in
programs/views/eligibility.py).

A student's answers come from the query string only; bad answers are reported on the page with a
400 status (the page still renders), never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from icalendar import Calendar

from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import calendars, costs, deadlines, planning
from programs.decisions.legitimacy import Signal, legitimacy
from programs.decisions.profile import EstimateForm, ProfileForm
from programs.decisions.summary import Decision, decide
from programs.listing import cards
from programs.listing.filters import SLUG
from programs.listing.query import ListQuery
from programs.models import Programme, ProgrammeQuerySet, Vocabulary
from programs.views import params
from programs.views.pages import advice_for_applicants

from .renamed import follow_renamed_slug

DEADLINE_HORIZON_DAYS = 366


def _status(*forms: Form, extra: Iterable[str] = ()) -> int:
    return 400 if any(form.errors for form in forms) or list(extra) else 200


@dataclass(frozen=True)
class Column:
    """One programme on the compare page."""

    card: cards.Card
    decision: Decision
    signals: list[Signal]
    red_flags: int
    remove_query: str  # the comparison without this programme


@cached_page(*ProfileForm.base_fields, *EstimateForm.base_fields, "p")
def compare(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    vocabulary = Vocabulary()
    asked = params.read(request, today, vocabulary)
    slugs, messages = asked.compare, list(asked.compare_messages)
    valid = [slug for slug in slugs if SLUG.fullmatch(slug)]
    found = {
        p.slug: p
        for p in Programme.objects.published()
        .for_detail()
        .prefetch_related("legitimacy_signals")
        .filter(slug__in=valid)
    }
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        messages.append(
            "No published programme has the address "
            + ", ".join(f"“{slug[:80]}”" for slug in unknown)
            + "; it is left out."
        )
    programmes = [found[slug] for slug in slugs if slug in found]
    benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    _, checklist = advice_for_applicants() if programmes else ([], [])
    columns = []
    for programme in programmes:
        decision = decide(programme, asked.profile, asked.choice, benchmarks, rates, None, today)
        others = [slug for slug in slugs if slug != programme.slug and slug in found]
        signals = legitimacy(programme, checklist)
        url = params.with_profile(programme.get_absolute_url(), asked.carry_query)
        columns.append(
            Column(
                card=cards.card(programme, today, url=url),
                decision=decision,
                signals=signals,
                red_flags=sum(1 for s in signals if s.state == "red_flag"),
                remove_query=params.comparison_query(others, asked.profile_query),
            )
        )
    problems = asked.input_problems + messages
    ctx = {
        "section": "programmes",
        "columns": columns,
        "has_calendar": any(column.card.deadline.in_calendar for column in columns),
        "profile": asked.profile,
        "estimate_form": asked.estimate_form,
        "currency": asked.currency,
        "weeks": asked.weeks,
        "with_pay": asked.choice.with_pay,
        "input_problems": problems,
        "max_compare": params.MAX_COMPARE,
    }
    status = _status(asked.profile_form, asked.estimate_form, extra=messages)
    return render(request, "programs/tools/compare.html", ctx, status=status)


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    rows: list[deadlines.DeadlineRow]


@cached_page("p")
def upcoming_deadlines(request: HttpRequest) -> HttpResponse:
    """Every dated deadline of the next twelve months, month by month, then the undated ones."""
    today = clock.today()
    rows = deadlines.deadline_rows(
        Programme.objects.published().for_cards().select_related("source_guide"), today
    )
    horizon = today + timedelta(days=DEADLINE_HORIZON_DAYS)
    dated = sorted(
        (
            (row.status.date, row)
            for row in rows
            if row.status.date is not None
            and row.status.state != deadlines.PASSED
            and row.status.date <= horizon
        ),
        key=lambda pair: (pair[0], pair[1].programme.title.lower()),
    )
    months = [
        Month(month, [row for _, row in members])
        for month, members in groupby(dated, key=lambda pair: pair[0].replace(day=1))
    ]
    ctx = {
        "section": "deadlines",
        "today": today,
        "months": months,
        "rolling": [row for row in rows if row.status.state == deadlines.ROLLING],
        "varies": [row for row in rows if row.status.state == deadlines.VARIES],
        "closing_soon_days": deadlines.CLOSING_SOON_DAYS,
    }
    return render(request, "programs/tools/deadlines.html", ctx)


def _ics(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(lines: Iterable[str]) -> HttpResponse:
    text = "The calendar could not be made:\n" + "\n".join(f"- {line}" for line in lines)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


@follow_renamed_slug
def programme_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's next deadline (repeating yearly) or, with ?start=, the whole plan."""
    programme = get_object_or_404(
        Programme.objects.published().select_related("source_guide").with_deadlines(), slug=slug
    )
    today = clock.today()
    asked = params.read(request, today, Vocabulary())
    form, profile = asked.profile_form, asked.profile
    if "start" in form.errors:
        return _bad_request(params.input_problems(form))
    status = deadlines.deadline_status(programme, today)
    plan = None
    if profile.start:
        plan = planning.plan(profile.start, today, planning.timeline(), programme)
    if plan is None and not status.in_calendar:
        # An empty calendar would look like a working one: say why there is none instead.
        return HttpResponse(
            f"{programme.title} has no dated deadline ahead ({status.short}), so there is no "
            "calendar to download; give a start date (?start=YYYY-MM-DD) for a plan.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    url = request.build_absolute_uri(programme.get_absolute_url())
    return _ics(calendars.plan_calendar(programme, status, plan, url), f"{slug}.ics")


def compare_calendar(request: HttpRequest) -> HttpResponse:
    """One calendar file for the whole comparison: each shortlisted programme's next deadline."""
    slugs, _ = params.compare_slugs(request.GET)
    today = clock.today()
    programmes = list(
        Programme.objects.published()
        .filter(slug__in=slugs)
        .select_related("organisation", "source_guide")
        .with_deadlines()
    )
    return _deadlines_file(
        request,
        programmes,
        today,
        none_ahead="Not one of the programmes you are comparing",
        title="Your shortlist's deadlines",
        key="compare&" + "&".join(sorted(slugs)),
        filename="shortlist-deadlines.ics",
    )


def _deadlines_file(
    request: HttpRequest,
    programmes: list[Programme],
    today: date,
    *,
    none_ahead: str,
    title: str,
    key: str,
    filename: str,
) -> HttpResponse:
    """The calendar file of these programmes' next dated deadlines, or a 404 that says why there
    is none (an empty calendar would look like a working subscription)."""
    events = calendars.deadline_events(
        deadlines.deadline_rows(programmes, today),
        lambda p: request.build_absolute_uri(p.get_absolute_url()),
    )
    if not events:
        return HttpResponse(
            f"{none_ahead} has a dated deadline ahead (they are rolling, vary, or state none), "
            "so there is no calendar to download.",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    return _ics(calendars.deadlines_calendar(title, events, key), filename)


def list_calendar(request: HttpRequest) -> HttpResponse:
    """A feed of the deadlines of any filtered list: the list's own parameters and checks."""
    query = ListQuery.read(request.GET, clock.today())
    if query.errors:
        return _bad_request(params.input_problems(query.filterset.form))
    today = query.today
    in_calendar = ProgrammeQuerySet.in_calendar_q(today)
    programmes = list(
        query.rows(
            lambda found: found.filter(in_calendar).select_related("source_guide").with_deadlines()
        )
    )
    return _deadlines_file(
        request,
        programmes,
        today,
        none_ahead="Not one of the programmes this filter keeps",
        title="Medical internship deadlines",
        key="&".join(sorted(f"{k}={v}" for k in request.GET for v in request.GET.getlist(k))),
        filename=f"{slugify('internship deadlines')}.ics",
    )
