"""What a public page reads from its query string: the profile, the estimate's weeks and currency,
and the comparison; and how invalid answers are reported."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, QueryDict

from programs.decisions.matching import Profile
from programs.decisions.profile import PROFILE_FIELDS, EstimateForm, ProfileForm
from programs.models import Vocabulary

MAX_COMPARE = 4


def read_profile(
    request: HttpRequest, today: date, vocabulary: Vocabulary
) -> tuple[ProfileForm, Profile]:
    form = ProfileForm(request.GET, today=today, vocabulary=vocabulary)
    return form, form.profile()


def profile_query(data: QueryDict) -> str:
    """The profile part of a query string, to carry it to another page."""
    kept = QueryDict(mutable=True)
    for name in PROFILE_FIELDS:
        values = [v for v in data.getlist(name) if v]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def compare_slugs(data: QueryDict) -> tuple[list[str], list[str]]:
    """The first four distinct slugs of `p`, and messages about the rest."""
    slugs, messages = [], []
    for raw in data.getlist("p"):
        slug = raw.strip()
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_COMPARE:
        messages.append(
            f"You can compare up to {MAX_COMPARE} programmes at once; you asked for {len(slugs)}, "
            f"so only the first {MAX_COMPARE} are shown."
        )
        slugs = slugs[:MAX_COMPARE]
    return slugs, messages


def read_estimate(request: HttpRequest) -> tuple[EstimateForm, int | None, str]:
    form = EstimateForm(request.GET)
    weeks, currency = form.choice()
    return form, weeks, currency


def input_problems(*forms) -> list[str]:
    """Each invalid answer as "Label: message", for the notice at the top of a page."""
    return [
        f"{form.fields[name].label}: {' '.join(errors)}"
        for form in forms
        for name, errors in form.errors.items()
        if name in form.fields
    ] + [
        " ".join(errors)
        for form in forms
        for name, errors in form.errors.items()
        if name == "__all__"
    ]
