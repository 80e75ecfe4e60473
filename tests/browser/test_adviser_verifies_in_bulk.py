"""Issue 23, in Chromium as an adviser: "Mark verified" from the list shows each selected
programme with the sources its facts cite and stamps only the one she ticked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from programs.core import clock
from programs.models import Programme
from tests.browser.test_adviser_records_a_providers_email import log_in

pytestmark = pytest.mark.browser


def test_adviser_ticks_the_one_programme_she_checked_and_only_it_is_verified(
    page: Page, seeded_server, screenshot
):
    url = seeded_server.url
    log_in(page, url)
    checked, unchecked = Programme.objects.filter(status="published").order_by("title")[:2]
    before = unchecked.last_verified

    page.goto(f"{url}/admin/programs/programme/")
    for programme in (checked, unchecked):
        page.locator(f'input[name="_selected_action"][value="{programme.pk}"]').check()
    page.locator('select[name="action"]').select_option("mark_verified_today")
    page.get_by_role("button", name="Run").click()

    # The checking page: each programme with its sources, and a tick of its own.
    expect(page.locator("h1")).to_have_text("Check each programme against its sources")
    for programme in (checked, unchecked):
        section = page.locator(".verify-programme", has_text=programme.title)
        expect(section.locator(".verify-sources li").first).to_contain_text("From the guide")
    screenshot("admin-verify-selected")
    page.get_by_label(f"I checked every fact of “{checked.title}”").check()
    page.get_by_role("button", name="Mark the ticked programmes verified").click()

    expect(page.locator(".messagelist")).to_contain_text(f"as verified today: {checked.title}.")
    expect(page.locator(".messagelist")).to_contain_text("1 selected programme(s) were not ticked")
    checked.refresh_from_db()
    unchecked.refresh_from_db()
    assert checked.last_verified == clock.today()
    assert checked.verified_by is not None and checked.verified_by.username == "amina"
    assert unchecked.last_verified == before
