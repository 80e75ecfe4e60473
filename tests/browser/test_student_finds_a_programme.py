"""A student filters the list by region and pay, opens a programme and reads it, in Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_student_filters_by_region_and_pay_then_reads_a_programme(
    page: Page, seeded_server, screenshot, viewport
):
    page.set_viewport_size(viewport)
    page.goto(f"{seeded_server.url}/programmes/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    if viewport is PHONE:  # the filters fold into a disclosure on small screens
        page.locator("summary", has_text="Filters").click()
    page.get_by_label("Region").select_option("europe")
    if viewport is DESKTOP:  # beside the results, a change submits by itself
        expect(page).to_have_url(re.compile(r"region=europe"))
    page.get_by_role("checkbox", name=re.compile(r"^Unpaid")).check()
    page.get_by_role("button", name="Show programmes").click()

    expect(page).to_have_url(re.compile(r"region=europe"))
    expect(page).to_have_url(re.compile(r"pay=unpaid"))
    results = page.locator("article")
    expect(results).to_have_count(2)
    expect(
        page.get_by_role("link", name="UCLH Hospital Shadowing / Elective", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Barts Health NHS Trust"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Lite Regal"))).to_have_count(0)
    screenshot(f"list-europe-unpaid-{viewport['width']}")

    page.get_by_role("link", name="UCLH Hospital Shadowing / Elective", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("UCLH Hospital Shadowing / Elective")
    expect(page.get_by_text("Varies by department").first).to_be_visible()
    expect(
        page.get_by_text("Internships in the United Kingdom: The NHS Experience").first
    ).to_be_visible()
    expect(page.get_by_text("Not stated in source").first).to_be_visible()
    screenshot(f"detail-uclh-{viewport['width']}")


def test_the_filters_work_with_javascript_off(browser, seeded_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{seeded_server.url}/programmes/")

    page.get_by_role("group", name="Type of placement").get_by_label(
        re.compile(r"^Research")
    ).check()
    page.get_by_role("button", name="Show programmes").click()

    expect(page).to_have_url(re.compile(r"type=research"))
    expect(
        page.get_by_role("link", name="UCL Summer Research Internship", exact=True)
    ).to_be_visible()
    expect(
        page.get_by_role("link", name="UCLH Hospital Shadowing / Elective", exact=True)
    ).to_have_count(0)
    context.close()
