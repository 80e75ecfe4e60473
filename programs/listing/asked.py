"""What a public page reads from its query string, read once per request into `PageParams`: the
profile, the estimate's weeks, currency and pay, the list's extras and the comparison. The list's
filters join them in `programs.listing.query.ListQuery`; `programs.views.params` builds every
query string from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.forms import Form
from django.http import QueryDict

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


def read(data: QueryDict, today: date, vocabulary: Vocabulary) -> PageParams:
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
