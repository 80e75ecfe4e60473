"""Guides and programme pages print as checklists and plans: content only, every answer open."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_printed_faq_shows_every_answer_and_none_of_the_site_chrome(
    page: Page, seeded_server, screenshot
):
    page.goto(f"{seeded_server.url}/guides/faq/")
    answer = page.locator(".faq details").first.locator("p").first
    expect(answer).to_be_hidden()

    page.emulate_media(media="print")
    expect(answer).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    screenshot("print-faq")


def test_a_printed_programme_keeps_its_facts_and_drops_the_breadcrumb(
    page: Page, seeded_server, screenshot
):
    page.goto(f"{seeded_server.url}/programmes/uclh-hospital-shadowing-elective/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.get_by_role("heading", name="How to apply")).to_be_visible()
    expect(page.get_by_role("heading", name="Ask the provider")).to_be_visible()
    screenshot("print-detail")
