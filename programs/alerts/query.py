"""A saved search is the list's own query string: the programmes it selects, in the page's order.

`programmes_for()` is the one place alerts and the per-search feed ask the list what a query
string selects. It asks the list's own `ListQuery` (programs/listing/query.py), which the list
page and the exports read too, so an alert lists exactly what the page would show.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import QueryDict

from programs.core import clock
from programs.decisions.profile import EstimateForm, ListExtrasForm, ProfileForm
from programs.listing.filters import ProgrammeFilter
from programs.listing.query import ListQuery
from programs.models import Programme, ProgrammeQuerySet, Vocabulary

# What a saved search keeps: the list's filters, search, profile, budget and estimate. The page
# number and the comparison (`p`) are where the student was, not what they search for.
NOT_SAVED = ("page", "p")
PROFILE_AND_ESTIMATE = (
    *ProfileForm.base_fields,
    *ListExtrasForm.base_fields,
    *EstimateForm.base_fields,
)


def list_parameters() -> frozenset[str]:
    """Every parameter the list page reads (the same names its `@cached_page` declares)."""
    return frozenset(
        (
            *ProgrammeFilter.base_filters,
            *ProfileForm.base_fields,
            *ListExtrasForm.base_fields,
            *EstimateForm.base_fields,
        )
    )


def saved_query(query: QueryDict) -> str:
    """The query string an alert keeps: every parameter but the page and the comparison, in a
    fixed order (so one search is one string), unknown names included so they can be reported."""
    kept = QueryDict(mutable=True)
    for name in sorted(query):
        if name in NOT_SAVED:
            continue
        values = [value for value in query.getlist(name) if value != ""]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


@dataclass(frozen=True)
class Problem:
    """A part of a saved search the list no longer understands: it is reported, not dropped."""

    name: str
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


NAME = re.compile(r"[a-z_]{1,40}")


def read(query: QueryDict, vocabulary: Vocabulary | None = None) -> ListQuery:
    """The list's own reading of this query string (read it once to ask both questions below)."""
    return ListQuery.read(query, clock.today(), vocabulary)


def problems(
    query: QueryDict,
    vocabulary: Vocabulary | None = None,
    list_query: ListQuery | None = None,
) -> list[Problem]:
    """Parameters the list does not know (any more) and values it cannot use. A name is repeated
    only when it looks like one (a message never carries arbitrary text someone typed)."""
    known = list_parameters()
    found = [
        Problem(
            name if NAME.fullmatch(name) else "a parameter",
            "the list has no such filter any more, so it is left out",
        )
        for name in sorted(query)
        if name not in known and name not in NOT_SAVED
    ]
    list_query = list_query or read(query, vocabulary)
    asked = list_query.asked
    forms: tuple[Form, ...] = (
        list_query.filterset.form,
        asked.profile_form,
        asked.extras,
        asked.estimate_form,
    )
    for form in forms:
        form.is_valid()
        for name, messages in form.errors.items():
            label = str(form.fields[name].label) if name in form.fields else name
            found.extend(Problem(label, _without_values(str(m))) for m in messages)
    return found


def _without_values(message: str) -> str:
    """A form's message without the value it quotes (a message to the inbox quotes nobody)."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"|'[^']*'", "…", message)


def programmes_for(
    query: QueryDict,
    vocabulary: Vocabulary | None = None,
    list_query: ListQuery | None = None,
) -> QuerySet[Programme] | list[Programme]:
    """The published programmes this list query string selects, in the list page's order: the
    list's own `ListQuery` (programs/listing/query.py), as the page and the exports read it."""
    list_query = list_query or read(query, vocabulary)

    def for_cards(found: QuerySet[Programme]) -> QuerySet[Programme]:
        return cast(ProgrammeQuerySet, found).for_cards().select_related("source_guide")

    # The database keeps and orders them all (the budget and the cost sort included).
    return for_cards(list_query.results())


# Up to this many ids are bound one by one (the primary key's index finds them); more as one value.
FEW_IDS = 500


def selected_among(
    query: QueryDict,
    ids: Collection[int],
    vocabulary: Vocabulary | None = None,
    list_query: ListQuery | None = None,
) -> list[int]:
    """Which of these programmes the query selects, in the page's order (one query without a
    profile check or a budget)."""
    if not ids:
        return []
    found = programmes_for(query, vocabulary, list_query)
    if isinstance(found, list):
        return [programme.pk for programme in found if programme.pk in ids]
    among = Q(pk__in=sorted(ids)) if len(ids) <= FEW_IDS else ProgrammeQuerySet.among_q(ids)
    within = found.filter(among)
    return list(within.values_list("pk", flat=True))
