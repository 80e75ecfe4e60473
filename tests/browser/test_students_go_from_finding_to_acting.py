"""Issue 13's journeys in Chromium, at a phone's and a laptop's size, with JavaScript on and off: a
UK 17-year-old finds US research placements with verdicts and estimates and reaches a next step;
an Indian medical student filters London electives within a budget, builds a comparison across
the list and programme pages and downloads a calendar; a dentistry student and a graduate doctor
meet empty states that say what the guides advise and where to look instead."""

import re

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import photograph
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

NHGRI = re.compile(r"^NIH National Human Genome Research Institute")
PENN = re.compile(r"^University of Pennsylvania Center for Global Health")


def open_filters(page: Page, viewport) -> None:
    """On a phone the filters sit behind a "Filters" disclosure."""
    if viewport is PHONE:
        page.locator("summary", has_text="Filters").click()


def settle(page: Page, autosubmit: bool, pattern: str) -> None:
    """On a wide screen with JavaScript a changed filter submits itself: wait for the new page."""
    if autosubmit:
        expect(page).to_have_url(re.compile(pattern))


def answer_profile(page: Page, answers: dict[str, str]) -> None:
    for label, value in answers.items():
        field = page.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Check my eligibility").click()


# Each journey runs at both sizes and both ways (JavaScript on and off), in pairs, and the three
# journeys between them take all four combinations: every combination on every journey doubled the
# suite's longest file for no behaviour that depends on the pair.
JOURNEYS = [
    pytest.param(PHONE, True, id="phone-js"),
    pytest.param(DESKTOP, False, id="desktop-no-js"),
]
OTHER_JOURNEYS = [
    pytest.param(PHONE, False, id="phone-no-js"),
    pytest.param(DESKTOP, True, id="desktop-js"),
]


@pytest.mark.parametrize(("viewport", "javascript"), JOURNEYS)
def test_a_uk_17_year_old_finds_us_research_placements_and_reaches_a_next_step(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    autosubmit = javascript and viewport is DESKTOP
    page.goto(f"{seeded_server.url}/eligibility/")
    answer_profile(
        page,
        {
            "Your age at the start date:": "17",
            "Your study level:": "secondary-school",
            "Your school year (secondary school only):": "penultimate",
            "Your country of residence:": "GB",
            "Currently enrolled (at least half-time) in school or university?": "yes",
        },
    )

    # Results first; the profile folded away under a one-line summary.
    expect(page.get_by_role("heading", level=2, name="Your results")).to_be_visible()
    fold = page.locator("details.profile-fold")
    expect(fold.locator("summary")).to_contain_text("age 17 · Secondary school")
    expect(fold.get_by_label("Your age at the start date:")).to_be_hidden()
    expect(
        page.get_by_role("heading", level=3, name=re.compile(r"^Eligible \(\d+\)$"))
    ).to_be_visible()
    if viewport is PHONE and javascript:
        photograph(page, "eligibility-results-390")

    page.get_by_role("link", name=re.compile(r"Browse and filter only the programmes")).click()
    open_filters(page, viewport)
    types = page.get_by_role("group", name="Type of placement")
    types.get_by_label(re.compile(r"^Research")).check()
    settle(page, autosubmit, r"type=research")
    page.get_by_label("Country", exact=True).select_option("US")
    settle(page, autosubmit, r"country=US")
    if not autosubmit:
        page.get_by_role("button", name="Show programmes").click()

    expect(page).to_have_url(re.compile(r"type=research.*country=US|country=US.*type=research"))
    chips = page.locator(".chips")
    expect(
        chips.get_by_role("link", name=re.compile(r"Type of placement: Research"))
    ).to_be_visible()
    expect(
        chips.get_by_role("link", name=re.compile(r"Only programmes I may be eligible"))
    ).to_be_visible()
    card = page.locator("article", has=page.get_by_role("link", name=NHGRI))
    expect(card.locator(".verdict .badge").first).to_have_text("Eligible")
    expect(card.get_by_text("All-in estimate")).to_be_visible()
    next_step = card.locator(".next-step a").first
    expect(next_step).to_have_attribute("href", re.compile(r"^https?://"))

    card.get_by_role("link", name=NHGRI).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("NHGRI")
    expect(page.locator(".next-step a").first).to_have_attribute("href", re.compile(r"^https?://"))
    context.close()


@pytest.mark.parametrize(("viewport", "javascript"), OTHER_JOURNEYS)
def test_an_indian_medical_student_compares_london_electives_within_budget_and_gets_a_calendar(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(
        viewport=viewport, java_script_enabled=javascript, accept_downloads=True
    )
    page = context.new_page()
    autosubmit = javascript and viewport is DESKTOP
    nav = page.get_by_role("navigation", name="Main")
    page.goto(f"{seeded_server.url}/eligibility/")
    answer_profile(
        page,
        {
            "Your age at the start date:": "22",
            "Your study level:": "medical-student",
            "Your discipline:": "medicine",
            "Your country of residence:": "IN",
            "Your citizenship:": "IN",
        },
    )
    page.get_by_role("link", name=re.compile(r"Browse and filter only the programmes")).click()

    open_filters(page, viewport)
    page.get_by_label("Country", exact=True).select_option("GB")
    settle(page, autosubmit, r"country=GB")
    types = page.get_by_role("group", name="Type of placement")
    types.get_by_label(re.compile(r"^Clinical shadowing")).check()
    settle(page, autosubmit, r"type=shadowing")
    types.get_by_label(re.compile(r"^Supervised clinical rotation")).check()
    settle(page, autosubmit, r"type=clinical_rotation")
    page.get_by_label("Currency").select_option("GBP")
    settle(page, autosubmit, r"currency=GBP")
    budget = page.get_by_label("Budget, all-in")
    budget.fill("3000")
    budget.press("Enter")

    expect(page).to_have_url(re.compile(r"max_cost=3000"))
    chips = page.locator(".chips")
    expect(
        chips.get_by_role("link", name=re.compile(r"Budget, all-in: up to £3,000"))
    ).to_be_visible()
    expect(page.locator(".filters > summary")).to_contain_text("(5 active)")
    uclh = page.locator("article", has=page.get_by_role("link", name=re.compile(r"^UCLH")))
    expect(uclh.get_by_text("All-in estimate")).to_be_visible()
    uclh.get_by_role("link", name="Add to comparison").click()
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Barts Health")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Barts")
    page.get_by_role("link", name="Add to comparison").click()
    expect(page).to_have_url(re.compile(r"/compare/\?p=uclh-hospital-shadowing-elective&p=barts"))

    # A third, with a dated deadline: Penn's global health internship, found by search.
    nav.get_by_role("link", name="Programmes").click()
    open_filters(page, viewport)
    page.get_by_label("Search", exact=True).fill("Penn global health")
    page.get_by_label("Search", exact=True).press("Enter")
    page.get_by_role("link", name=PENN).click()
    page.get_by_role("link", name="Add to comparison").click()
    expect(nav.get_by_role("link", name="Compare (3)")).to_be_visible()
    expect(page.locator("table.compare > thead > tr > th")).to_have_count(4)
    if viewport is DESKTOP and javascript:
        photograph(page, "compare-london-electives-1280")

    page.locator("table.compare").get_by_role("link", name=PENN).first.click()
    with page.expect_download() as download_info:
        page.locator('a[href*="calendar.ics"]').first.click()
    download = download_info.value
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    assert calendar.events
    assert download.suggested_filename == "penn-center-for-global-health-internship.ics"
    expect(nav.get_by_role("link", name="Compare (3)")).to_be_visible()
    context.close()


@pytest.mark.parametrize(("viewport", "javascript"), OTHER_JOURNEYS)
def test_a_dentistry_student_and_a_graduate_doctor_meet_empty_states_that_help(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    autosubmit = javascript and viewport is DESKTOP

    # A dentistry student: no programme lists dentistry.
    page.goto(f"{seeded_server.url}/eligibility/")
    answer_profile(
        page,
        {"Your study level:": "medical-student", "Your discipline:": "dentistry"},
    )
    expect(page.get_by_role("heading", level=3, name="Eligible (0)")).to_be_visible()
    advice = page.get_by_role("heading", name="What the guides advise: Dentistry")
    expect(advice).to_be_visible()
    expect(page.get_by_text("Each field has its own limits on patient contact")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Are There Internship Opportunities in Dentistry")).first
    ).to_be_visible()
    routes = page.locator(".empty-help__routes")
    expect(routes.get_by_role("link", name=re.compile(r"IFMSA"))).to_be_visible()
    if viewport is PHONE and not javascript:
        photograph(page, "empty-state-dentistry-390")

    # A graduate doctor looking for a UK placement.
    page.goto(f"{seeded_server.url}/programmes/")
    open_filters(page, viewport)
    page.get_by_label("Country", exact=True).select_option("GB")
    settle(page, autosubmit, r"country=GB")
    # Every study level stays offered (with its count, here 0), so the graduate can tick theirs.
    page.get_by_role("group", name="Study level").get_by_label(re.compile(r"^Graduates")).check()
    settle(page, autosubmit, r"level=graduate")
    if not autosubmit:
        page.get_by_role("button", name="Show programmes").click()

    expect(page.get_by_role("heading", level=2, name="0 programmes")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"What the guides advise: Graduates"))
    ).to_be_visible()
    expect(page.get_by_text("usually limited to observerships or research").first).to_be_visible()
    nearest = page.locator("ul.nearest")
    expect(nearest.get_by_role("link")).to_have_count(3)
    if viewport is DESKTOP and javascript:
        photograph(page, "empty-state-graduate-1280")
    nearest.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    context.close()
