"""Every query string Python builds, and a request's answers read once into `PageParams`
(programs/listing/asked.py: the profile, the estimate's weeks, currency and pay, the list's extras
and the comparison; how invalid answers are reported)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict
from django.urls import reverse

from programs.listing import asked
from programs.listing.asked import (
    MAX_COMPARE,
    PageParams,
    carry_query,
    compare_slugs,
    input_problems,
    profile_query,
    shortlist_query,
)
from programs.models import Vocabulary

__all__ = [
    "MAX_COMPARE",
    "PageParams",
    "carry_query",
    "compare_slugs",
    "input_problems",
    "profile_query",
    "shortlist_query",
]


def read(request: HttpRequest, today: date, vocabulary: Vocabulary) -> PageParams:
    """The request's answers (programs/listing/asked.py), parsed once."""
    return asked.read(request.GET, today, vocabulary)


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
