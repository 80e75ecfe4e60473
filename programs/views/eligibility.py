"""The eligibility page: a student's profile in, every programme's verdict out.

After an answer the results come first, grouped Eligible / Check / Not eligible, each card with
its all-in estimate and "Add to comparison"; the profile folds away under a one-line summary.
Bad answers are reported (400, the page still renders) in an error summary linking to each field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from programs.caching import vocabulary as shared_vocabulary
from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import costs
from programs.decisions.matching import CHECK, ELIGIBLE, LABELS, NOT_ELIGIBLE, Profile, match
from programs.decisions.profile import EstimateForm, ProfileForm, choice_field
from programs.listing import advice, cards, results
from programs.listing import eligibility as in_sql
from programs.models import Programme, Vocabulary
from programs.views import params

ENGLISH_TESTS = {"IELTS": "IELTS", "TOEFL": "TOEFL iBT", "other": "another English test"}


GROUP_SIZE = 20  # cards shown per verdict; the rest are a link away


@dataclass(frozen=True)
class VerdictGroup:
    state: str
    label: str
    cards: list[cards.Card]  # the first GROUP_SIZE, by title
    count: int  # all of them
    more_url: str = ""  # the list with this profile, where the rest are (not for Not eligible)


@dataclass(frozen=True)
class FieldError:
    """One line of the error summary: the field's id to jump to, its label and the message."""

    id: str
    label: str
    message: str


def error_summary(*forms: Form) -> list[FieldError]:
    return [
        FieldError(
            form[name].id_for_label, str(form.fields[name].label), " ".join(map(str, errors))
        )
        for form in forms
        for name, errors in form.errors.items()
        if name in form.fields
    ]


def profile_summary(profile: Profile) -> str:
    """The answers in one line, e.g. "17 · Secondary school · lives in United Kingdom"."""
    parts = [
        f"age {profile.age}" if profile.age is not None else "",
        profile.level_name,
        profile.discipline_name,
        f"lives in {profile.country_name}" if profile.country_name else "",
        f"{profile.citizenship_name} citizen" if profile.citizenship_name else "",
        profile.area,
        " ".join(
            filter(
                None,
                [ENGLISH_TESTS.get(profile.english_test, ""), str(profile.english_score or "")],
            )
        ),
        f"starting {profile.start:%d %B %Y}" if profile.start else "",
    ]
    return " · ".join(part for part in parts if part)


def verdict_groups(
    request: HttpRequest, asked: params.PageParams, today: date, vocabulary: Vocabulary
) -> list[VerdictGroup]:
    """Eligible, Check and Not eligible: each group counted and its first GROUP_SIZE programmes
    chosen by the database (programs/listing/eligibility.py, `in_sql`), the shown cards judged by the
    matcher. Queries: one for the counts, one per group for its first programmes, and the rows."""
    profile, choice = asked.profile, asked.choice
    published = Programme.objects.published()
    conditions = {
        ELIGIBLE: in_sql.eligible_q(profile),
        CHECK: in_sql.may_apply_q(profile) & ~in_sql.eligible_q(profile),
        NOT_ELIGIBLE: in_sql.not_eligible_q(profile),
    }
    counts = published.aggregate(
        **{state: Count("pk", filter=condition) for state, condition in conditions.items()}
    )
    first = {
        state: list(
            published.filter(condition)
            .order_by("title", "pk")
            .values_list("pk", flat=True)[:GROUP_SIZE]
        )
        for state, condition in conditions.items()
    }
    shown = published.filter(pk__in=[pk for pks in first.values() for pk in pks]).for_cards()
    if profile.discipline:  # the matcher reads a programme's disciplines only then
        shown = shown.prefetch_related("disciplines")
    rows = {p.pk: p for p in shown.select_related("source_guide")}
    benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    url = partial(params.with_profile, profile_query=asked.carry_query)
    listed = params.with_profile(reverse("programs:list"), asked.profile_query, eligible="1")

    def judged(p: Programme) -> cards.Card:
        return cards.card(
            p,
            today,
            url=url(p.get_absolute_url()),
            verdict=match(p, profile),
            estimate=results.estimate_for(p, choice, benchmarks, rates),
            compare=cards.CompareLink(
                p.slug in asked.compare,
                params.adding_to_comparison(request.GET, asked.compare, p.slug),
            ),
        )

    return [
        VerdictGroup(
            state,
            LABELS[state],
            [judged(rows[pk]) for pk in first[state]],
            counts[state],
            listed if state != NOT_ELIGIBLE else "",
        )
        for state in (ELIGIBLE, CHECK, NOT_ELIGIBLE)
    ]


@cached_page(*ProfileForm.base_fields, *EstimateForm.base_fields, "p")
def eligibility(request: HttpRequest) -> HttpResponse:
    today, vocabulary = clock.today(), shared_vocabulary.shared()
    asked = params.read(request, today, vocabulary)
    profile, choice = asked.profile, asked.choice
    groups: list[VerdictGroup] = []
    help_ = advice.NO_HELP
    if not profile.is_empty:
        groups = verdict_groups(request, asked, today, vocabulary)
        url = partial(params.with_profile, profile_query=asked.carry_query)
        if not groups[0].count:
            # Nothing is surely open to this student: what the guides advise for their level and
            # discipline, and the routes worth asking about.
            help_ = advice.for_student(
                [profile.level],
                [profile.discipline],
                profile,
                lambda p: url(p.get_absolute_url()),
            )
    errors = error_summary(asked.profile_form, asked.estimate_form)
    ctx = {
        "section": "eligibility",
        "form": asked.profile_form,
        "estimate_form": asked.estimate_form,
        "estimate_choice": choice,
        "estimate_currencies": choice_field(asked.estimate_form, "currency").choices,
        "profile": profile,
        "profile_summary": profile_summary(profile),
        "eligible_url": params.with_profile(
            reverse("programs:list"), asked.profile_query, eligible="1"
        ),
        "groups": groups,
        "help": help_,
        "errors": errors,
        "compare": asked.compare,
    }
    status = 400 if errors else 200
    return render(request, "programs/tools/eligibility.html", ctx, status=status)
