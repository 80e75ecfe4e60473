"""Issue 20's journeys in Chromium, at a phone's and a laptop's size, with JavaScript on and off:
an Indian medical student with a budget in rupees builds a shortlist across the list, the home
page, a destination page, the deadlines page and two programmes, compares it and downloads a
calendar; a nursing student at another university meets an empty result that suggests nothing
they cannot join."""

import re

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

UCLH = re.compile(r"^UCLH Hospital Shadowing")
STANFORD = re.compile(r"^Stanford Pediatrics Internship")
NHGRI = re.compile(r"^NIH National Human Genome Research Institute")

JOURNEYS = [
    pytest.param(PHONE, True, id="phone-js"),
    pytest.param(PHONE, False, id="phone-no-js"),
    pytest.param(DESKTOP, True, id="desktop-js"),
    pytest.param(DESKTOP, False, id="desktop-no-js"),
]


def open_filters(page: Page, viewport) -> None:
    """On a phone the filters sit behind a "Filters" disclosure."""
    if viewport is PHONE:
        page.locator("summary", has_text="Filters").click()


@pytest.mark.parametrize(("viewport", "javascript"), JOURNEYS)
def test_an_indian_student_budgets_in_rupees_and_keeps_a_shortlist_across_the_site(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(
        viewport=viewport, java_script_enabled=javascript, accept_downloads=True
    )
    page = context.new_page()
    nav = page.get_by_role("navigation", name="Main")
    # The budget in rupees, for 4 weeks, as the list's form sends it.
    page.goto(f"{seeded_server.url}/programmes/?currency=INR&weeks=4&max_cost=400000&country=GB")
    chips = page.locator(".chips")
    expect(
        chips.get_by_role("link", name=re.compile(r"Budget, all-in: up to ₹400,000, for 4 weeks"))
    ).to_be_visible()
    # UCLH states no fee: kept, and said so, never passed silently.
    uclh = page.locator("article", has=page.get_by_role("link", name=UCLH))
    expect(uclh.get_by_text("Fee not stated", exact=True)).to_be_visible()
    expect(uclh.get_by_text(re.compile(r"₹[\d,]+"))).not_to_have_count(0)
    uclh.get_by_role("link", name="Add to comparison").click()
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()

    # Opening the programme keeps the rupees and the 4 weeks.
    page.locator("article", has=page.get_by_role("link", name=UCLH)).get_by_role(
        "link", name=UCLH
    ).click()
    expect(page.get_by_text(re.compile(r"Estimated total for 4 weeks: ₹"))).to_be_visible()

    # Home, a destination page, a second programme.
    page.get_by_role("link", name="Medical Internships Directory").click()
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()
    nav.get_by_role("link", name="Destinations").click()
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()
    page.get_by_role("heading", level=2).get_by_role("link", name="North America").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North America")
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()
    page.get_by_role("link", name=STANFORD).first.click()
    # The stipend is never shown without its condition.
    expect(
        page.get_by_text("Stipend · US$3,000, for students with financial need").first
    ).to_be_visible()
    page.get_by_role("link", name="Add to comparison").click()
    expect(nav.get_by_role("link", name="Compare (2)")).to_be_visible()

    # The deadlines page, with its sources, and a third programme from it.
    nav.get_by_role("link", name="Deadlines").click()
    expect(nav.get_by_role("link", name="Compare (2)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Source: ")).first).to_be_visible()
    page.get_by_role("link", name=NHGRI).first.click()
    page.get_by_role("link", name="Add to comparison").click()
    expect(nav.get_by_role("link", name="Compare (3)")).to_be_visible()
    table = page.locator("table.compare")
    expect(page.locator("table.compare > thead > tr > th")).to_have_count(4)
    expect(table.get_by_role("rowheader", name="Next step")).to_be_visible()
    expect(table.get_by_text("None", exact=True)).to_have_count(0)

    # One calendar for the whole comparison.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"one \.ics calendar")).click()
    calendar = icalendar.Calendar.from_ical(download_info.value.path().read_bytes())
    assert len(calendar.events) == 2  # Stanford's and NHGRI's; UCLH's "varies" has no date
    assert download_info.value.suggested_filename == "shortlist-deadlines.ics"
    table.get_by_role("link", name=NHGRI).first.click()
    expect(nav.get_by_role("link", name="Compare (3)")).to_be_visible()
    context.close()


@pytest.mark.parametrize(("viewport", "javascript"), JOURNEYS)
def test_a_nursing_students_empty_result_suggests_nothing_they_cannot_join(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(
        f"{seeded_server.url}/eligibility/?age=21&study=medical-student&discipline=nursing"
        "&university=other"
    )
    expect(page.get_by_role("heading", level=3, name="Eligible (0)")).to_be_visible()
    routes = page.locator(".empty-help__routes")
    expect(routes.get_by_role("heading", name="Routes worth asking about")).to_be_visible()
    # "For Semmelweis University students": Not eligible on this page, so never suggested.
    expect(routes.get_by_role("link", name=re.compile(r"Semmelweis"))).to_have_count(0)
    items = routes.locator("li")
    expect(items.first).to_be_visible()
    for n in range(items.count()):
        expect(items.nth(n).locator(".badge")).to_have_text(re.compile(r"^(Eligible|Check)$"))
    routes.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Not eligible", exact=True)).to_have_count(0)
    context.close()
