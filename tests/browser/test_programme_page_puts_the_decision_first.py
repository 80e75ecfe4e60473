"""A programme's page puts the decision first (issue 13): on a phone and a laptop, its first screen
shows where, type, pay, length, the next deadline, the verdict, the all-in estimate and the next
step; and on a phone the tallest seeded programme's page is at most half the 13,000 px it was."""

import pytest
from playwright.sync_api import Page

from programs.models import Programme
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Half the phone height of the tallest programme page before issue 13 (13,000 px at 390 px wide).
PHONE_HEIGHT_LIMIT = 6_500
UK_SCHOOL_STUDENT = "?age=17&study=secondary-school&residence=GB&enrolled=yes"

# The summary's parts, and where each one starts on the page.
DECISION_TOPS = """() => {
  const glance = document.querySelector(".glance");
  const facts = [...glance.querySelectorAll(".glance__facts dt")];
  const top = el => Math.round(el.getBoundingClientRect().top + window.scrollY);
  return {
    summary: top(glance),
    ...Object.fromEntries(facts.map(dt => [dt.textContent.trim(), top(dt.nextElementSibling)])),
    "next step": top(glance.querySelector(".next-step")),
  };
}"""


def published_slugs() -> list[str]:
    return list(Programme.objects.published().values_list("slug", flat=True))


def test_the_tallest_seeded_programme_page_is_at_most_half_its_old_height_on_a_phone(
    page: Page, seeded_server
):
    page.set_viewport_size(PHONE)
    heights = {}
    for slug in published_slugs():
        page.goto(f"{seeded_server.url}/programmes/{slug}/")
        heights[slug] = page.evaluate("document.documentElement.scrollHeight")

    tallest = max(heights, key=lambda slug: heights[slug])
    assert heights[tallest] <= PHONE_HEIGHT_LIMIT, f"{tallest}: {heights[tallest]} px"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("query", ["", UK_SCHOOL_STUDENT], ids=["no-profile", "with-profile"])
def test_every_programme_page_shows_the_decision_on_its_first_screen(
    page: Page, seeded_server, viewport, query
):
    page.set_viewport_size(viewport)
    below_the_fold = {}
    for slug in published_slugs():
        page.goto(f"{seeded_server.url}/programmes/{slug}/{query}")
        tops = page.evaluate(DECISION_TOPS)
        late = {part: top for part, top in tops.items() if top >= viewport["height"]}
        if late:
            below_the_fold[slug] = late

    assert below_the_fold == {}


def test_the_summary_names_the_verdict_for_the_profile_given(page: Page, seeded_server):
    page.set_viewport_size(PHONE)
    page.goto(
        f"{seeded_server.url}/programmes/stanford-pediatrics-internship-program/{UK_SCHOOL_STUDENT}"
    )

    summary = page.locator(".glance")
    assert summary.get_by_text("Not eligible", exact=True).is_visible()
    assert summary.get_by_text("Next step.").is_visible()
    assert summary.get_by_role("link", name="how it adds up").is_visible()
