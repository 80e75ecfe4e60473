"""From finding to acting, in Chromium at a phone's and a laptop's size, with JavaScript on and
off: the shortlist survives the list, a programme's page and the navigation; every programme page
ends in a next step; and after Back the filters show what the results were filtered by."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_student_builds_a_comparison_across_the_list_and_a_programme_page(
    browser: Browser, seeded_server, viewport, javascript
):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    nav = page.get_by_role("navigation", name="Main")
    page.goto(f"{seeded_server.url}/programmes/?region=europe")

    card = page.locator("article", has=page.get_by_role("link", name=re.compile("^UCLH")))
    card.get_by_role("link", name="Add to comparison").click()
    expect(page).to_have_url(re.compile(r"p=uclh-hospital-shadowing-elective#programme-uclh"))
    expect(nav.get_by_role("link", name="Compare (1)")).to_be_visible()

    page.get_by_role("link", name=re.compile("^Barts Health")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Barts")
    expect(page.get_by_text("Next step.").first).to_be_visible()
    page.get_by_role("link", name="Add to comparison").click()

    expect(page).to_have_url(re.compile(r"/compare/\?p=uclh-hospital-shadowing-elective&p=barts"))
    expect(page.locator("table.compare > thead > tr > th")).to_have_count(3)
    expect(nav.get_by_role("link", name="Compare (2)")).to_be_visible()

    nav.get_by_role("link", name="Deadlines").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(nav.get_by_role("link", name="Compare (2)")).to_be_visible()
    nav.get_by_role("link", name="Programmes").click()
    expect(nav.get_by_role("link", name="Compare (2)")).to_be_visible()
    context.close()


def test_after_back_the_filters_show_what_the_results_were_filtered_by(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    page.get_by_label("Region").select_option("europe")
    expect(page).to_have_url(re.compile(r"region=europe"))
    assert "q=" not in page.url  # empty fields are left out of a shared address

    page.go_back()
    expect(page).to_have_url(re.compile(r"/programmes/$"))
    expect(page.get_by_label("Region")).to_have_value("")
