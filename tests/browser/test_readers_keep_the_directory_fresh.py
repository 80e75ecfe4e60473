"""Issue 21 in Chromium, at a phone's and a laptop's width, with JavaScript on and off: a student
reports a wrong deadline with a link and an adviser accepts it (the page, the calendar and
/programmes.json then show the new date citing the report); a provider proposes a programme and
an adviser publishes it after editing; a rejected suggestion's sender gets the reason by email
(a real SMTP server on loopback, the real task worker)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from programs.catalogue.roles import create_staff_user
from programs.core import clock
from programs.models import Programme, Suggestion
from programs.models.sources import long_date
from tests.browser.viewports import DESKTOP, PHONE
from tests.factories import make_country, make_organisation, make_programme, make_study_level
from tests.smtp import Inbox, body, run_worker, smtp_inbox_fixture  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Saving an admin form on a loaded 2-core machine can take longer than Playwright's 5 s default.
expect.set_options(timeout=20_000)
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)
READER = "student@example.org"
EVIDENCE = "https://www.surgery-school.example.org/apply/dates"
WAYS = [
    pytest.param(PHONE, True, id="390px-js"),
    pytest.param(DESKTOP, False, id="1280px-no-js"),
]
OTHER_WAYS = [
    pytest.param(PHONE, False, id="390px-no-js"),
    pytest.param(DESKTOP, True, id="1280px-js"),
]


@pytest.fixture
def programme() -> Programme:
    return make_programme(
        title="Summer School in Surgery",
        deadline_kind="fixed",
        deadline_month=2,
        deadline_day=21,
        deadline_note="21 February",
    )


def open_page(browser: Browser, viewport, javascript: bool) -> Page:
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    return context.new_page()


def fits(page: Page) -> None:
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"  # type: ignore[index]


def log_in(page: Page, url: str) -> None:
    create_staff_user("amina", "amina@example.org", PASSWORD)
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def confirm_by_email(page: Page, inbox: Inbox) -> None:
    run_worker()
    (message,) = inbox.to(READER)
    link = re.search(r"https?://\S+?(/suggestions/confirm/\S+/)", body(message))
    assert link
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/")[2] + link.group(1))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", name="Your address is confirmed")).to_be_visible()


def report_a_deadline(page: Page, url: str, programme: Programme, email: str = "") -> None:
    page.goto(f"{url}{programme.get_absolute_url()}")
    page.get_by_role("link", name="Suggest a correction").click()
    # Measure the form's page, not the detail page it is leaving (mid-navigation there is no document).
    expect(page.get_by_role("heading", name="Suggest a correction", level=1)).to_be_visible()
    fits(page)
    page.get_by_role("radio", name="Deadline").check()
    page.get_by_label("What it should say").fill("Applications now close on 15 March 2027.")
    page.get_by_label("The new deadline, if it is a date (optional)").fill("2027-03-15")
    page.get_by_role("radio", name="A web page that shows it").check()
    page.get_by_label("Address of the page that shows it").fill(EVIDENCE)
    if email:
        page.get_by_label("Your email, if you want to hear back (optional)").fill(email)
    page.get_by_role("button", name="Send to an adviser").click()
    expect(page.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()
    fits(page)


@pytest.mark.parametrize(("viewport", "javascript"), WAYS)
def test_a_student_reports_a_wrong_deadline_and_an_adviser_accepts_it(
    browser: Browser, live_server, programme, viewport, javascript, screenshot
):
    url = live_server.url
    page = open_page(browser, viewport, javascript)
    report_a_deadline(page, url, programme)
    expect(page.get_by_text("Nothing on the site changes until they have")).to_be_visible()
    page.goto(f"{url}{programme.get_absolute_url()}")
    expect(page.locator("main")).not_to_contain_text("15 March 2027")

    log_in(page, url)
    page.goto(f"{url}/admin/programs/suggestion/")
    page.get_by_role("link", name="Summer School in Surgery").first.click()
    expect(page.get_by_role("columnheader", name="Now on the site")).to_be_visible()
    expect(page.locator(".suggestion-compare")).to_contain_text("21 February")
    evidence = page.locator(".suggestion-reveal a")
    expect(evidence).to_be_hidden()  # text until the adviser reveals it
    page.get_by_text("Reveal the link").click()
    expect(evidence).to_be_visible()
    fits(page)
    page.get_by_role("button", name="Accept: open the programme's form").click()
    expect(page.locator(".messagelist")).to_contain_text("Accepting suggestion")
    expect(page.locator("#id_dated_deadlines-0-date")).to_have_value("15/03/2027")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("accepted")
    screenshot(f"admin-suggestion-accepted-{viewport['width']}", of=page)

    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.decided_by.username) == ("accepted", "amina")  # type: ignore[union-attr]
    words = f"from a reader's report of {long_date(clock.today())} citing www.surgery-school.example.org, checked by an adviser"
    student = open_page(browser, viewport, javascript)
    student.goto(f"{url}{programme.get_absolute_url()}")
    expect(student.locator(".dated-deadlines")).to_contain_text("15 March 2027 for the 2027 cycle")
    expect(student.locator("#sources")).to_be_visible()
    expect(student.locator(".references")).to_contain_text(words)
    expect(student.locator(".corrections")).to_contain_text(
        f"Updated on {long_date(clock.today())} after a reader's report, checked by an adviser."
    )
    fits(student)
    screenshot(f"detail-after-a-readers-report-{viewport['width']}", of=student)
    calendar = student.request.get(f"{url}/programmes/{programme.slug}/calendar.ics").text()
    assert "DTSTART;VALUE=DATE:20270315" in calendar
    assert "reader's report" in calendar.replace("\r\n ", "")
    rows = json.loads(student.request.get(f"{url}/programmes.json").text())["programmes"]
    (row,) = [r for r in rows if r["slug"] == programme.slug]
    assert (row["next_deadline"], row["deadline_confirmed"], row["source"]) == (
        "2027-03-15",
        True,
        words,
    )


@pytest.mark.parametrize(("viewport", "javascript"), OTHER_WAYS)
def test_a_provider_proposes_a_programme_and_an_adviser_publishes_it_after_editing(
    browser: Browser, live_server, viewport, javascript
):
    url = live_server.url
    hospital = make_organisation(name="Lakeside Children's Hospital")
    make_country("UG", name="Uganda")
    make_study_level(slug="final-year", name="Final-year medical students")
    page = open_page(browser, viewport, javascript)
    page.goto(f"{url}/")
    page.get_by_role("link", name="Propose a programme").click()
    page.get_by_label("Programme name").fill("Lakeside Paediatrics Elective")
    page.get_by_label("Organisation that runs it").fill("Lakeside Children's Hospital")
    page.get_by_label("Where").fill("Kampala, Uganda")
    page.get_by_label("Who may apply").fill("Final-year medical students.")
    page.get_by_role("radio", name="I run this programme").check()
    page.get_by_label("How an adviser can reach you to check").fill("Dr A. Okello, +256 700 000000")
    page.get_by_role("button", name="Send to an adviser").click()
    expect(page.get_by_role("heading", name=re.compile("Thank you"))).to_be_visible()

    # The adviser works in the admin, whose pickers (autocomplete) need JavaScript.
    page = open_page(browser, viewport, True)
    log_in(page, url)
    page.goto(f"{url}/admin/programs/suggestion/")
    page.get_by_role("link", name="Lakeside Paediatrics Elective").click()
    expect(page.locator("#id_organisation")).to_have_value(str(hospital.pk))
    page.locator("#id_programme_type").select_option("clinical_rotation")
    page.locator("#id_summary").fill("A paediatrics elective at a children's hospital in Kampala.")
    fits(page)
    page.get_by_role("button", name="Make a draft citing this proposal").click()
    expect(page.locator(".messagelist")).to_contain_text("is a draft citing the proposal")
    page.get_by_label("Duration note").fill("Four to eight weeks, as the provider states.")
    # Publishing needs a destination and study levels (the review queue names them on a draft).
    for select_id, search, match in (
        ("id_countries", "Ugan", "Uganda"),
        ("id_study_levels", "Final", "Final-year medical students"),
    ):
        page.locator(f"#{select_id} + .select2").click()
        page.locator(".select2-container--open .select2-search__field").fill(search)
        page.locator(".select2-results__option", has_text=match).first.click()
    page.locator("#id_status").select_option("published")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    reader = open_page(browser, viewport, javascript)
    reader.goto(f"{url}/programmes/lakeside-paediatrics-elective/")
    expect(reader.get_by_role("heading", name="Lakeside Paediatrics Elective")).to_be_visible()
    expect(reader.locator("main")).to_contain_text("Four to eight weeks")
    expect(reader.locator(".references")).to_contain_text("from the provider's report of")
    expect(reader.locator(".corrections")).to_contain_text("after the provider's report")
    fits(reader)


@pytest.mark.parametrize(("viewport", "javascript"), [*WAYS[:1], *OTHER_WAYS[:1]])
def test_a_rejected_suggestions_sender_gets_the_reason_by_email(
    browser: Browser, live_server, programme, smtp_inbox, viewport, javascript
):
    url = live_server.url
    page = open_page(browser, viewport, javascript)
    report_a_deadline(page, url, programme, email=READER)
    confirm_by_email(page, smtp_inbox)

    log_in(page, url)
    page.goto(f"{url}/admin/programs/suggestion/")
    page.get_by_role("link", name="Summer School in Surgery").first.click()
    expect(page.get_by_label("Reason")).to_have_attribute("required", "")  # no reason, no reject
    page.get_by_label("Reason").fill("The programme's page still says 21 February 2027.")
    page.get_by_role("button", name="Reject with this reason").click()
    expect(page.locator(".messagelist")).to_contain_text("rejected")
    assert len(smtp_inbox.to(READER)) == 1  # nothing is sent inside the request

    run_worker()

    decision = smtp_inbox.to(READER)[1]
    assert "declined" in str(decision["Subject"])
    assert "The programme's page still says 21 February 2027." in body(decision)
    assert Suggestion.objects.get().email == ""
