"""An adviser logs in, finds a stale programme in the review queue, corrects its deadline, marks
it verified in the same save, and the public page shows the new deadline at once, in Chromium."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from programs.catalogue.roles import create_staff_user
from programs.core import clock
from programs.decisions.deadlines import deadline_status
from programs.models import Programme

pytestmark = pytest.mark.browser

SLUG = "ucl-summer-research-internship"
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)


def test_adviser_fixes_a_stale_programme_from_the_review_queue(
    page: Page, seeded_server, screenshot
):
    create_staff_user("amina", "amina@example.org", PASSWORD)
    Programme.objects.filter(slug=SLUG).update(
        last_verified=clock.today() - datetime.timedelta(days=365)
    )
    url = seeded_server.url

    page.goto(f"{url}/admin/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    queue = page.locator("#review-queue")
    expect(queue).to_be_visible()
    screenshot("admin-index-review-queue")
    queue.get_by_role("link", name="Not verified in 180 days").click()
    expect(page).to_have_url(re.compile(r"review=stale"))
    page.get_by_role("link", name="UCL Summer Research Internship").click()

    page.get_by_label("Deadline kind").select_option("fixed")
    page.get_by_label("Deadline month").select_option("4")
    page.get_by_label("Deadline day").fill("30")
    # Issue 16: verification is part of the same save (the change form has no action bar).
    page.get_by_label("Checked against its source today").check()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot("admin-programme-verified")

    programme = Programme.objects.get(slug=SLUG)
    assert programme.last_verified == clock.today()
    assert programme.verified_by is not None
    assert programme.verified_by.username == "amina"
    expected = deadline_status(programme, clock.today()).label

    page.goto(f"{url}/programmes/{SLUG}/")
    # The page states the deadline's status today as the decisions compute it.
    expect(page.get_by_text(expected, exact=True).first).to_be_visible()
    assert "30 Apr" in expected
    screenshot("detail-after-adviser-update")
