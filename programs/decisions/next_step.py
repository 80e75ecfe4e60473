"""The one thing a student can do next on every listing, most trustworthy first:

1. the official application page an adviser recorded (`application_url`);
2. the official website, when a guide names one (`website`);
3. the sites the guide itself cites for the programme (`guide_references`, e.g. "literegal.co.uk"),
   each a link labelled as the guide's source, not as the programme's own page;
4. a web search for the programme's exact name and organisation, labelled as a search.

No listing ends without one. Built from fields the page's query already fetched: no query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from programs.models import Programme

SEARCH_ENGINE = "https://duckduckgo.com/"
# A bare domain as the guide writes it: "literegal.co.uk", "sussex.ac.uk", "www.x.org/path".
SITE = re.compile(r"^(?:https?://)?([a-z0-9-]+(?:\.[a-z0-9-]+)+)(/[^\s]*)?$", re.IGNORECASE)


class StepKind(StrEnum):
    APPLICATION = "application"
    WEBSITE = "website"
    GUIDE_SOURCE = "guide_source"
    SEARCH = "search"


@dataclass(frozen=True)
class StepLink:
    url: str
    text: str


@dataclass(frozen=True)
class NextStep:
    kind: StepKind
    lead: str  # what the links are, in a sentence
    links: tuple[StepLink, ...]
    caveat: str = ""  # what the student should check, when the link is not the programme's own

    @property
    def is_official(self) -> bool:
        return self.kind in (StepKind.APPLICATION, StepKind.WEBSITE)


def cited_sites(references: str) -> list[StepLink]:
    """The guide's cited sites as links; anything that is not a plain domain is left out."""
    links: list[StepLink] = []
    for raw in re.split(r"[,;\s]+", references):
        match = SITE.match(raw.strip().rstrip("."))
        if not match:
            continue
        text = match.group(1).lower() + (match.group(2) or "")
        links.append(StepLink(url=f"https://{text}", text=text))
    return links


def search_url(programme: Programme) -> str:
    query = f'"{programme.title}" "{programme.organisation.name}"'
    return SEARCH_ENGINE + "?" + urlencode({"q": query})


def next_step(programme: Programme) -> NextStep:
    if programme.application_url:
        return NextStep(
            kind=StepKind.APPLICATION,
            lead="Apply on the official application page:",
            links=(StepLink(programme.application_url, f"Apply to {programme.title}"),),
        )
    if programme.website:
        return NextStep(
            kind=StepKind.WEBSITE,
            lead="Start at the official website:",
            links=(StepLink(programme.website, programme.website),),
        )
    sites = cited_sites(programme.guide_references)
    if sites:
        return NextStep(
            kind=StepKind.GUIDE_SOURCE,
            lead="No official page is recorded yet. Start at the site the guide cites:",
            links=tuple(
                StepLink(site.url, f"{site.text} (the source the guide cites)") for site in sites
            ),
            caveat="Not an official application page; check who runs the site before you pay.",
        )
    return NextStep(
        kind=StepKind.SEARCH,
        lead="No official page is recorded yet. Search the web:",
        links=(
            StepLink(
                search_url(programme),
                f"Web search for “{programme.title}” by {programme.organisation.name}",
            ),
        ),
        caveat="Search results, not a page we have checked: apply only on the organisation's "
        "own site.",
    )
