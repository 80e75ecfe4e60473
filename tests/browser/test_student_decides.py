"""A student fills in a profile, reads verdicts and reasons, compares two programmes and downloads
a calendar file, in Chromium."""

import re

import icalendar
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NIH_TITLE = "NIH National Human Genome Research Institute (NHGRI) – Summer Internship in Biomedical Research"


def test_student_checks_eligibility_compares_two_programmes_and_downloads_a_calendar(
    page: Page, seeded_server, screenshot
):
    page.goto(f"{seeded_server.url}/eligibility/")
    page.get_by_label("Your age at the start date").fill("17")
    page.get_by_label("Your study level").select_option("secondary-school")
    page.get_by_label("Your country of residence").select_option("GB")
    page.get_by_label(
        "Currently enrolled (at least half-time) in school or university?"
    ).select_option("yes")
    page.get_by_role("button", name="Check my eligibility").click()

    expect(page).to_have_url(re.compile(r"age=17"))
    nih = page.locator("article", has=page.get_by_role("link", name=NIH_TITLE))
    expect(nih.get_by_text("Check", exact=True).first).to_be_visible()
    expect(nih.get_by_text("Requires age 17 or over; you will be 17.")).to_be_visible()
    stanford = page.locator("article", has_text="Stanford Pediatrics Internship Program")
    expect(stanford.get_by_text("Not eligible", exact=True).first).to_be_visible()
    expect(
        stanford.get_by_text(
            "Requires residence in Northern California; you live in United Kingdom."
        )
    ).to_be_visible()
    screenshot("eligibility-uk-school-student")

    page.get_by_role("link", name=re.compile(r"Browse and filter only the programmes")).click()
    card = page.locator("article", has=page.get_by_role("link", name=NIH_TITLE, exact=True))
    card.get_by_role("link", name="Add to comparison").click()
    card = page.locator("article", has=page.get_by_role("link", name=re.compile("^Lite Regal")))
    card.get_by_role("link", name="Add to comparison").click()
    page.get_by_role("link", name="Compare 2 programmes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare programmes")
    table = page.get_by_role("table").first
    expect(table.get_by_role("link", name=NIH_TITLE, exact=True)).to_be_visible()
    expect(table.get_by_role("link", name=re.compile("^Lite Regal"))).to_be_visible()
    expect(table.get_by_text("Requires age 17 or over; you will be 17.").first).to_be_visible()
    screenshot("compare-nih-lite-regal")

    table.get_by_role("link", name=NIH_TITLE, exact=True).click()
    page.get_by_label("Intended start date").fill("2027-07-01")
    page.get_by_role("button", name="Make my plan").click()
    expect(page.get_by_text("Placement starts: NIH")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"Download the deadline and plan")).click()
    download = download_info.value
    cal = icalendar.Calendar.from_ical(download.path().read_bytes())
    assert len(cal.events) == 5
    assert download.suggested_filename == "nhgri-summer-internship-biomedical-research.ics"
    screenshot("detail-nih-plan")
