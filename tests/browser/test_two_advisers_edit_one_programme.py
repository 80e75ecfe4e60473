"""Issue 23 in Chromium at 1280×900, two browsers: Amina and Ben open the same programme; each
sees the other on the form. Amina changes a cost and the pay note and saves; Ben, from his older
form, changes a rule and records the 2027 deadline. His save is refused and shows, per field and
per row, what each changed and what is stored now; saving again keeps everything of both.
Leaving a changed form asks first, after a refused save too."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from programs.catalogue import writing
from programs.catalogue.roles import create_staff_user
from programs.models import Cost, DatedDeadline, EditingSession, EligibilityRule, Programme
from tests.browser.conftest import photograph
from tests.browser.viewports import DESKTOP
from tests.factories import make_cost, make_programme, make_rule, make_source

pytestmark = pytest.mark.browser

PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)
RULE = "Must live in Northern California."
# A save answers in well under a second on a quiet machine; a loaded one (eight test runs on two
# cores) took over five, the assertion's default wait.
ANSWERED = 30_000


@pytest.fixture
def programme(transactional_db, settings) -> Programme:
    # Pings come when a tab is shown again (below); none on a timer during the test, as the
    # in-memory SQLite live server shares one connection between simultaneous requests.
    settings.EDITING_PRESENCE_PING_SECONDS = 3600
    programme = make_programme(title="Paediatrics summer internship", pay="stipend")
    make_cost(programme, key="stipend", kind="stipend", amount_min=Decimal("3000"), currency="USD")
    make_rule(programme, key="residence", kind="residency", text=RULE)
    return programme


@pytest.fixture
def signed_in(browser: Browser, live_server, programme: Programme):
    """A new browser (context) per adviser, signed in; all closed before the server stops."""
    contexts = []

    def sign_in(username: str, first_name: str) -> Page:
        user = create_staff_user(username, f"{username}@example.org", PASSWORD)
        user.first_name = first_name
        user.save()
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        return page

    yield sign_in
    for context in contexts:
        context.close()
    # Each open form says goodbye as it closes (a beacon): wait for them while the test may still
    # use the database, or they arrive after it and Chromium waits for their answers for ever.
    deadline = time.monotonic() + 15
    while EditingSession.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.2)


def back_on_the_tab(page: Page) -> None:
    """The adviser returns to the tab: its script pings at once (as on its timer)."""
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def test_two_advisers_editing_one_programme_lose_nothing_and_see_each_other(
    signed_in, live_server, programme: Programme
):
    email = make_source(title="Admissions office")
    # Its cost and rule, added outside a write, each moved the version already.
    start = Programme.objects.get(pk=programme.pk).version
    url = f"{live_server.url}/admin/programs/programme/{programme.pk}/change/"
    amina = signed_in("amina", "Amina")
    amina.goto(url)
    ben = signed_in("ben", "Ben")
    ben.goto(url)

    # Each sees the other: Ben at once (the page as rendered), Amina when she is back on her tab.
    expect(ben.locator("#editing-presence")).to_contain_text("Amina has it open")
    back_on_the_tab(amina)
    expect(amina.locator("#editing-presence")).to_contain_text("Ben has it open", timeout=ANSWERED)
    photograph(amina, "admin-who-else-is-editing", full_page=False)

    amina.locator("#id_costs-0-amount_min").fill("3500")
    amina.get_by_label("Pay note").fill("Stipend of US$3,500, as the provider's email says.")
    amina.get_by_role("button", name="Save and continue editing").first.click()
    expect(amina.locator(".messagelist")).to_contain_text(
        "was changed successfully", timeout=ANSWERED
    )
    assert Cost.objects.get(programme=programme).amount_min == Decimal("3500")
    back_on_the_tab(ben)
    expect(ben.locator("#editing-presence")).to_contain_text(
        "Someone saved this record", timeout=ANSWERED
    )

    ben.locator("#id_eligibility_rules-0-text").fill(RULE + " Bay Area counties only.")
    ben.locator("#dated_deadlines-group .add-row a").click()
    ben.locator("#id_dated_deadlines-0-cycle").fill("2027")
    ben.locator("#id_dated_deadlines-0-date").fill("2027-02-21")
    ben.locator("#dated_deadlines-0 .select2-selection").click()
    ben.locator(".select2-search--dropdown .select2-search__field").fill("Admissions")
    ben.locator(".select2-results__option", has_text="Admissions office").click()
    ben.get_by_role("button", name="Save and continue editing").first.click()

    expect(ben.locator(".errorlist.nonfield")).to_contain_text(
        "Saved by Amina at", timeout=ANSWERED
    )
    report = ben.locator("#stale-refusal")
    expect(report).to_contain_text("Pay note")
    expect(report).to_contain_text("Stipend of US$3,500, as the provider's email says.")
    expect(report.locator("li", has_text="Cost")).to_contain_text(
        "Changed by the other adviser: the form now shows the stored values."
    )
    expect(report.locator("li", has_text="Eligibility rule")).to_contain_text("Changed by you")
    expect(report.locator("li", has_text="Dated deadline")).to_contain_text("Added by you: kept.")
    expect(ben.locator("#id_costs-0-amount_min")).to_have_value("3500.00")
    photograph(ben, "admin-stale-save-refused")
    assert Cost.objects.get(programme=programme).amount_min == Decimal("3500")
    assert not DatedDeadline.objects.filter(programme=programme).exists()

    ben.get_by_role("button", name="Save and continue editing").first.click()
    expect(ben.locator(".messagelist")).to_contain_text(
        "was changed successfully", timeout=ANSWERED
    )

    programme.refresh_from_db()
    assert programme.pay_note == "Stipend of US$3,500, as the provider's email says."
    assert Cost.objects.get(programme=programme).amount_min == Decimal("3500")
    assert EligibilityRule.objects.get(programme=programme).text.endswith("Bay Area counties only.")
    deadline = DatedDeadline.objects.get(programme=programme)
    assert (deadline.cycle, deadline.date, deadline.source) == (
        2027,
        datetime.date(2027, 2, 21),
        email,
    )
    assert programme.version == start + 2  # one version per save: Amina's, then Ben's


def prompts_on_leaving(page: Page) -> list[str]:
    """Follow the breadcrumb link; answer 'stay' to any prompt; the prompts seen."""
    seen: list[str] = []

    def stay(dialog: Dialog) -> None:
        seen.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", stay)
    page.locator(".breadcrumbs a").last.click(no_wait_after=True)
    page.wait_for_timeout(500)
    return seen


def test_leaving_a_changed_form_asks_first_even_after_a_refused_save(
    signed_in, live_server, programme: Programme
):
    url = f"{live_server.url}/admin/programs/programme/{programme.pk}/change/"
    page = signed_in("amina", "Amina")
    page.goto(url)

    page.get_by_label("Pay note").click()
    page.keyboard.type("Stipend paid monthly.")
    assert prompts_on_leaving(page) == ["beforeunload"]
    expect(page.get_by_label("Pay note")).to_have_value("Stipend paid monthly.")

    # Someone else saves; this save is refused, and the page holds edits not yet saved.
    with writing.programme_write(programme.pk):
        programme.title = "Renamed meanwhile"
        programme.save()
    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator("#stale-refusal")).to_be_visible(timeout=ANSWERED)
    assert prompts_on_leaving(page) == ["beforeunload"]

    page.get_by_role("button", name="Save and continue editing").first.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "was changed successfully", timeout=ANSWERED
    )
    assert prompts_on_leaving(page) == []  # saved: nothing to lose
