"""The eligibility page: a student's profile in, every programme's verdict out.

After an answer the results come first, grouped Eligible / Check / Not eligible, each card with
its all-in estimate and "Add to comparison"; the profile folds away under a one-line summary.
Bad answers are reported (400, the page still renders) in an error summary linking to each field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from programs.caching.pages import cached_page
from programs.core import clock
from programs.decisions import costs
from programs.decisions.matching import CHECK, ELIGIBLE, LABELS, NOT_ELIGIBLE, Profile, match
from programs.decisions.profile import EstimateForm, ProfileForm, choice_field
from programs.listing import advice, cards, results
from programs.models import Programme, Vocabulary
from programs.views import params

ENGLISH_TESTS = {"IELTS": "IELTS", "TOEFL": "TOEFL iBT", "other": "another English test"}


@dataclass(frozen=True)
class VerdictGroup:
    state: str
    label: str
    cards: list[cards.Card]


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


@cached_page(*ProfileForm.base_fields, *EstimateForm.base_fields, "p")
def eligibility(request: HttpRequest) -> HttpResponse:
    today, vocabulary = clock.today(), Vocabulary()
    asked = params.read(request, today, vocabulary)
    profile, choice = asked.profile, asked.choice
    groups: list[VerdictGroup] = []
    help_ = advice.NO_HELP
    if not profile.is_empty:
        benchmarks, rates = vocabulary.benchmarks, costs.Rates(vocabulary.rates)
        programmes = (
            Programme.objects.published()
            .for_cards()
            .select_related("source_guide")
            .prefetch_related("disciplines")
            .order_by("title")
        )
        url = partial(params.with_profile, profile_query=asked.carry_query)
        judged = [
            cards.card(
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
            for p in programmes
        ]
        for state in (ELIGIBLE, CHECK, NOT_ELIGIBLE):
            members = [c for c in judged if c.verdict is not None and c.verdict.state == state]
            groups.append(VerdictGroup(state, LABELS[state], members))
        if not groups[0].cards:
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
