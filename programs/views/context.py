"""What every page's template knows: the student's shortlist (`p`), so the header shows
"Compare (n)" and the main navigation keeps the comparison from page to page without an account.

A cached page declares `p` (`@cached_page(..., "p")`), so its entry is keyed on the shortlist and
everyone without one shares the plain page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from programs.views import params


@dataclass(frozen=True)
class Shortlist:
    slugs: list[str]
    suffix: str  # "?p=a&p=b" to append to an internal link, or ""
    more: str  # "&p=a&p=b" to append to an internal link that already has a query, or ""
    compare_url: str  # the compare page for the shortlist, or ""


def shortlist(request: HttpRequest) -> dict[str, Shortlist]:
    slugs, _ = params.compare_slugs(request.GET)
    query = params.shortlist_query(slugs)
    return {
        "shortlist": Shortlist(
            slugs=slugs,
            suffix=f"?{query}" if query else "",
            more=f"&{query}" if query else "",
            compare_url=params.compare_url(slugs, ""),
        )
    }
