"""The student decision tools: eligibility, compare, upcoming deadlines and calendar files.

A student's answers come from the query string only; bad answers are reported on the page with a
400 status (the page still renders), never a 500.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify

from programs.core import clock
from programs.decisions import calendars, costs, deadlines, planning
from programs.decisions.legitimacy import legitimacy
from programs.decisions.matching import (
    CHECK,
    ELIGIBLE,
    LABELS,
    NOT_ELIGIBLE,
    attach_verdicts,
    rules_prefetch,
)
from programs.decisions.summary import decide
from programs.listing.filters import SLUG, ProgrammeFilter
from programs.models import Programme, Vocabulary
from programs.views import params
from programs.views.listing import prepare_cards
from programs.views.pages import advice_for_applicants

DEADLINE_HORIZON_DAYS = 366


def _status(*forms, extra: Iterable[str] = ()) -> int:
    return 400 if any(form.errors for form in forms) or list(extra) else 200


def eligibility(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    form, profile = params.read_profile(request, today, Vocabulary())
    groups = []
    if not profile.is_empty:
        programmes = (
            Programme.objects.published()
            .for_cards()
            .prefetch_related(rules_prefetch(), "disciplines")
            .order_by("title")
        )
        cards = attach_verdicts(prepare_cards(programmes, today), profile)
        for state in (ELIGIBLE, CHECK, NOT_ELIGIBLE):
            members = [p for p in cards if p.verdict.state == state]
            groups.append({"state": state, "label": LABELS[state], "programmes": members})
    ctx = {
        "section": "eligibility",
        "form": form,
        "profile": profile,
        "profile_query": params.profile_query(request.GET),
        "groups": groups,
        "input_problems": params.input_problems(form),
    }
    return render(request, "programs/tools/eligibility.html", ctx, status=_status(form))


def compare(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    vocabulary = Vocabulary()
    profile_form, profile = params.read_profile(request, today, vocabulary)
    estimate_form, weeks, currency = params.read_estimate(request)
    slugs, messages = params.compare_slugs(request.GET)
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
    for programme in prepare_cards(programmes, today):
        decision = decide(programme, profile, weeks, currency, benchmarks, rates, None, today)
        others = [slug for slug in slugs if slug != programme.slug and slug in found]
        signals = legitimacy(programme, checklist)
        columns.append(
            {
                "programme": programme,
                "decision": decision,
                "signals": signals,
                "red_flags": sum(1 for s in signals if s.state == "red_flag"),
                "remove": others,
            }
        )
    problems = params.input_problems(profile_form, estimate_form) + messages
    ctx = {
        "section": "programmes",
        "columns": columns,
        "slugs": [c["programme"].slug for c in columns],
        "profile": profile,
        "profile_query": params.profile_query(request.GET),
        "estimate_form": estimate_form,
        "currency": currency,
        "weeks": weeks,
        "input_problems": problems,
        "max_compare": params.MAX_COMPARE,
    }
    status = _status(profile_form, estimate_form, extra=messages)
    return render(request, "programs/tools/compare.html", ctx, status=status)


def upcoming_deadlines(request: HttpRequest) -> HttpResponse:
    """Every dated deadline of the next twelve months, month by month, then the undated ones."""
    today = clock.today()
    published = Programme.objects.published().for_cards()
    programmes = prepare_cards(published, today)
    dated = sorted(
        (p for p in programmes if p.deadline_status.date is not None),
        key=lambda p: (p.deadline_status.date, p.title.lower()),
    )
    horizon = today + timedelta(days=DEADLINE_HORIZON_DAYS)
    months = [
        {"month": month, "programmes": list(members)}
        for month, members in groupby(
            (p for p in dated if p.deadline_status.date <= horizon),
            key=lambda p: p.deadline_status.date.replace(day=1),
        )
    ]
    ctx = {
        "section": "deadlines",
        "today": today,
        "months": months,
        "rolling": [p for p in programmes if p.deadline_status.state == deadlines.ROLLING],
        "varies": [p for p in programmes if p.deadline_status.state == deadlines.VARIES],
        "closing_soon_days": deadlines.CLOSING_SOON_DAYS,
    }
    return render(request, "programs/tools/deadlines.html", ctx)


def _ics(cal, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_request(lines: Iterable[str]) -> HttpResponse:
    text = "The calendar could not be made:\n" + "\n".join(f"- {line}" for line in lines)
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def programme_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme's next deadline (repeating yearly) or, with ?start=, the whole plan."""
    programme = get_object_or_404(
        Programme.objects.published().select_related("source_guide"), slug=slug
    )
    today = clock.today()
    form, profile = params.read_profile(request, today, Vocabulary())
    if "start" in form.errors:
        return _bad_request(params.input_problems(form))
    status = deadlines.deadline_status(programme, today)
    plan = None
    if profile.start:
        plan = planning.plan(profile.start, today, planning.timeline(), programme)
    url = request.build_absolute_uri(programme.get_absolute_url())
    return _ics(calendars.plan_calendar(programme, status, plan, url), f"{slug}.ics")


def list_calendar(request: HttpRequest) -> HttpResponse:
    """A feed of the deadlines of any filtered list: the list's own parameters."""
    today = clock.today()
    filterset = ProgrammeFilter(
        request.GET,
        queryset=Programme.objects.published().select_related("source_guide"),
        today=today,
    )
    programmes = list(filterset.qs)
    if filterset.errors:
        return _bad_request(params.input_problems(filterset.form))
    deadlines.attach_deadline_status(programmes, today)
    cal = calendars.deadlines_calendar(
        "Medical internship deadlines",
        programmes,
        lambda p: request.build_absolute_uri(p.get_absolute_url()),
    )
    return _ics(cal, f"{slugify('internship deadlines')}.ics")
