"""What a public page reads from its query string: the profile, the estimate's weeks, currency and
pay, the list's extras and the comparison, read once per request into `PageParams`; how invalid
answers are reported; and every query string Python builds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.forms import Form
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from programs.decisions.matching import Profile
from programs.decisions.profile import (
    PROFILE_FIELDS,
    EstimateChoice,
    EstimateForm,
    ListExtrasForm,
    ProfileForm,
)
from programs.models import Vocabulary

MAX_COMPARE = 4


@dataclass(frozen=True)
class PageParams:
    """One request's answers, parsed once: each form reads the query string, and an invalid
    answer counts as not given."""

    data: QueryDict
    profile_form: ProfileForm
    profile: Profile
    estimate_form: EstimateForm
    choice: EstimateChoice  # the estimate's weeks, currency and whether to count pay
    extras: ListExtrasForm
    compare: list[str]  # at most MAX_COMPARE distinct slugs
    compare_messages: list[str]  # about the slugs left out
    profile_query: str  # the profile part of the query string, to carry it to another page

    @property
    def carry_query(self) -> str:
        """The profile and the shortlist, for links to another page that keep both."""
        return carry_query(self.profile_query, self.compare)

    @property
    def weeks(self) -> int | None:
        return self.choice.weeks

    @property
    def currency(self) -> str:
        return self.choice.currency

    @property
    def input_problems(self) -> list[str]:
        """The profile's and the estimate's invalid answers, for the notice at the top."""
        return input_problems(self.profile_form, self.estimate_form)


def read(request: HttpRequest, today: date, vocabulary: Vocabulary) -> PageParams:
    data = request.GET
    profile_form = ProfileForm(data, today=today, vocabulary=vocabulary)
    estimate_form = EstimateForm(data)
    extras = ListExtrasForm(data)
    extras.is_valid()
    compare, messages = compare_slugs(data)
    return PageParams(
        data=data,
        profile_form=profile_form,
        profile=profile_form.profile(),
        estimate_form=estimate_form,
        choice=estimate_form.choice(),
        extras=extras,
        compare=compare,
        compare_messages=messages,
        profile_query=profile_query(data),
    )


# The estimate's answers travel with the profile: a student who chose 4 weeks in rupees sees a
# programme's page, the comparison and the eligibility page in 4 weeks and rupees.
ESTIMATE_FIELDS = tuple(EstimateForm.base_fields)


def profile_query(data: QueryDict) -> str:
    """The profile and estimate part of a query string, to carry them to another page."""
    kept = QueryDict(mutable=True)
    for name in (*PROFILE_FIELDS, *ESTIMATE_FIELDS):
        values = [v for v in data.getlist(name) if v]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def compare_slugs(data: QueryDict) -> tuple[list[str], list[str]]:
    """The first four distinct slugs of `p`, and messages about the rest."""
    slugs: list[str] = []
    messages: list[str] = []
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


def shortlist_query(slugs: list[str]) -> str:
    """The shortlist as `p=a&p=b`, to keep it on every internal link."""
    query = QueryDict(mutable=True)
    query.setlist("p", slugs)
    return query.urlencode()


def carry_query(profile_query: str, slugs: list[str]) -> str:
    return "&".join(filter(None, [profile_query, shortlist_query(slugs)]))


def with_added(slugs: list[str], slug: str) -> list[str]:
    """The shortlist with `slug` added at the end (once), at most MAX_COMPARE long."""
    return slugs if slug in slugs else [*slugs, slug][-MAX_COMPARE:]


def compare_query(data: QueryDict, slugs: list[str]) -> str:
    """This page's query string with `p` set to `slugs` (and back to page 1)."""
    query = data.copy()
    query.setlist("p", slugs)
    query.pop("page", None)
    return query.urlencode()


def adding_to_comparison(data: QueryDict, compare: list[str], slug: str) -> str:
    """This page's query string with `slug` added to the comparison; "" when it is full."""
    if len(compare) >= MAX_COMPARE:
        return ""
    return "&".join(filter(None, [compare_query(data, compare), urlencode({"p": slug})]))


def comparison_query(slugs: list[str], profile_query: str) -> str:
    """The compare page's query string: the programmes, then the profile."""
    query = QueryDict(mutable=True)
    query.setlist("p", slugs)
    return "&".join(filter(None, [query.urlencode(), profile_query]))


def compare_url(slugs: list[str], profile_query: str) -> str:
    """The compare page for `slugs` with the profile; "" when there is nothing to compare."""
    if not slugs:
        return ""
    return reverse("programs:compare") + "?" + comparison_query(slugs, profile_query)


def with_profile(url: str, profile_query: str, **extra: str) -> str:
    """`url` carrying the profile, then any `extra` parameters."""
    more = QueryDict(mutable=True)
    for name, value in extra.items():
        more[name] = value
    query = "&".join(filter(None, [profile_query, more.urlencode()]))
    return f"{url}?{query}" if query else url


def url_with(url: str, **extra: str) -> str:
    """`url` with the `extra` parameters as its query string."""
    return with_profile(url, "", **extra)


def input_problems(*forms: Form) -> list[str]:
    """Each invalid answer as "Label: message", for the notice at the top of a page."""
    return [
        f"{form.fields[name].label}: {' '.join(str(error) for error in errors)}"
        for form in forms
        for name, errors in form.errors.items()
        if name in form.fields
    ] + [
        " ".join(str(error) for error in errors)
        for form in forms
        for name, errors in form.errors.items()
        if name == "__all__"
    ]
