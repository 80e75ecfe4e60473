"""The one thing a student can do next on every listing, most trustworthy first:

1. the official application page an adviser recorded (`application_url`), shown with the day they
   last checked it and where it comes from (its `Source`, in words);
2. the official website, when a guide names one (`website`);
3. a web search for the programme's exact name and organisation, labelled as a search.

The sites a guide cites for a fact (`guide_references`: a forum thread for UCLH's eligibility, an
aggregator for Penn's pay) support that fact beside it on the page; they are never offered as the
way to apply. No listing ends without a step. Built from fields the page's query already fetched
(`for_cards()`, `for_listing()` and `for_detail()` join the page's source): no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

from programs.models import Programme
from programs.models.sources import long_date

SEARCH_ENGINE = "https://duckduckgo.com/"


class StepKind(StrEnum):
    APPLICATION = "application"
    WEBSITE = "website"
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
    checked: str = ""  # for an application page: when an adviser checked it, and its source

    @property
    def is_official(self) -> bool:
        return self.kind in (StepKind.APPLICATION, StepKind.WEBSITE)


def search_url(programme: Programme) -> str:
    query = f'"{programme.title}" "{programme.organisation.name}"'
    return SEARCH_ENGINE + "?" + urlencode({"q": query})


def next_step(programme: Programme) -> NextStep:
    if programme.application_url:
        return NextStep(
            kind=StepKind.APPLICATION,
            lead="Apply on the official application page:",
            links=(StepLink(programme.application_url, f"Apply to {programme.title}"),),
            checked=application_page_checked(programme),
        )
    if programme.website:
        return NextStep(
            kind=StepKind.WEBSITE,
            lead="Start at the official website:",
            links=(StepLink(programme.website, programme.website),),
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
        "own site. Check with the provider how to apply.",
    )


def application_page_checked(programme: Programme) -> str:
    """ "Checked by an adviser on 3 December 2026; from the provider's website, read on …"."""
    said = "Checked by an adviser"
    if programme.application_url_checked_on is not None:
        said += f" on {long_date(programme.application_url_checked_on)}"
    source = programme.application_url_source
    return f"{said}; {source.in_words()}." if source is not None else f"{said}."
