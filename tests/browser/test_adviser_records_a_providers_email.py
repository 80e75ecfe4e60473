"""Issue 16, in Chromium as an adviser: record a provider's email (a dated deadline and a stipend)
with its source and verify in one save, see it attributed on the public page; press Enter in a
field and lose nothing; reach the review list's filters on a phone."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from programs.catalogue.roles import create_staff_user
from programs.core import clock
from programs.models import Programme, Source

pytestmark = pytest.mark.browser

SLUG = "roswell-park-summer-cancer-research-experience"
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)
EMAIL_DAY = datetime.date(2026, 11, 20)


def log_in(page: Page, url: str) -> None:
    create_staff_user("amina", "amina@example.org", PASSWORD)
    page.goto(f"{url}/admin/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def choose(page: Page, select_id: str, search: str) -> None:
    """Search the admin's autocomplete (select2) for the <select id=select_id> and pick the
    first match."""
    page.locator(f"#{select_id} + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=search).first.click()


def test_adviser_records_a_providers_email_and_verifies_it_in_one_save(
    page: Page, seeded_server, screenshot
):
    url = seeded_server.url
    log_in(page, url)

    # The email, as a source of its own.
    page.goto(f"{url}/admin/programs/source/add/")
    page.get_by_label("Kind").select_option("email")
    page.get_by_label("Title").fill("Roswell Park admissions office")
    page.get_by_label("Date").fill(EMAIL_DAY.isoformat())
    page.get_by_label("Note").fill("Deadline 20 February 2027; stipend US$3,500.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    source = Source.objects.get()
    assert source.recorded_by is not None and source.recorded_by.username == "amina"

    # The programme: cite the email, add the dated deadline and the stipend, tick verified.
    programme = Programme.objects.get(slug=SLUG)
    page.goto(f"{url}/admin/programs/programme/{programme.pk}/change/")
    choose(page, "id_source", "Roswell Park admissions")
    page.get_by_role("button", name=re.compile("Add another Dated deadline", re.I)).click()
    page.locator("#id_dated_deadlines-0-cycle").fill("2027")
    page.locator("#id_dated_deadlines-0-date").fill("2027-02-20")
    choose(page, "id_dated_deadlines-0-source", "Roswell Park admissions")
    costs = programme.costs.count()
    page.get_by_role("button", name=re.compile("Add another Cost", re.I)).click()
    page.locator(f"#id_costs-{costs}-kind").select_option("stipend")
    page.locator(f"#id_costs-{costs}-key").fill("stipend-2027")
    page.locator(f"#id_costs-{costs}-amount_min").fill("3500")
    page.locator(f"#id_costs-{costs}-currency").select_option("USD")
    choose(page, f"id_costs-{costs}-source", "Roswell Park admissions")
    page.get_by_label("Checked against its source today").check()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot("admin-programme-with-providers-email")

    programme.refresh_from_db()
    assert (programme.source, programme.last_verified) == (source, clock.today())
    assert programme.verified_by is not None and programme.verified_by.username == "amina"
    assert programme.dated_deadlines.get().date == datetime.date(2027, 2, 20)
    assert programme.costs.get(kind="stipend", key="stipend-2027").amount_min == Decimal("3500")

    page.goto(f"{url}/programmes/{SLUG}/")
    words = "from the provider's email of 20 November 2026, recorded by an adviser"
    expect(page.get_by_text(f"and updated {words}")).to_be_visible()
    expect(page.locator(".dated-deadlines")).to_contain_text("20 February 2027 for the 2027 cycle")
    # Each fact carries a numbered reference; the Sources list at the end says it in words.
    assert words in cited(page, page.locator(".dated-deadlines li", has_text="2027"))
    assert words in cited(page, page.locator("tr", has_text="US$3,500"))
    screenshot("detail-attributed-to-providers-email")


def test_pressing_enter_in_a_field_saves_the_edits_instead_of_losing_them(
    page: Page, seeded_server
):
    url = seeded_server.url
    log_in(page, url)
    programme = Programme.objects.get(slug=SLUG)
    page.goto(f"{url}/admin/programs/programme/{programme.pk}/change/")

    page.get_by_label("Pay note").fill("US$3,500 stipend, per the provider.")
    page.get_by_label("Deadline day").fill("20")
    page.get_by_label("Deadline day").press("Enter")

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    programme.refresh_from_db()
    assert programme.pay_note == "US$3,500 stipend, per the provider."
    assert programme.deadline_day == 20


def test_the_review_lists_key_columns_fit_1280_px_and_its_filters_come_first_on_a_phone(
    page: Page, seeded_server, screenshot
):
    url = seeded_server.url
    log_in(page, url)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/admin/programs/programme/")
    for column in ["status", "deadline", "last verified", "needs review"]:
        header = page.locator("#result_list thead th", has_text=re.compile(column, re.I)).first
        box = header.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, column

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    filters = page.locator("#changelist-filter").bounding_box()
    results = page.locator("#result_list").bounding_box()
    screenshot("admin-review-list-phone")
    assert filters is not None and results is not None
    assert filters["y"] < results["y"]


def cited(page: Page, fact) -> str:
    """The Sources list's words for the reference beside `fact` (its [N] link's target)."""
    anchor = fact.locator('a[href^="#ref-"]').first
    expect(anchor).to_be_visible()
    return page.locator(anchor.get_attribute("href") or "#missing").inner_text()
