"""Issue 22 in Chromium: a student follows a search (its feed), asks for email about it and for
reminders of the deadlines they compare, confirms through the link in the message (a real SMTP
server on loopback, the real task worker); an adviser publishes a matching programme and
confirms a deadline in the admin; `send_alerts` sends one digest and one reminder; the student
unsubscribes in one click, and the mail client's RFC 8058 one-click POST removes the rest."""

from __future__ import annotations

import datetime
import re

import feedparser
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from programs.catalogue.roles import create_staff_user
from programs.core import clock
from programs.models import Alert, Programme
from tests.factories import (
    make_country,
    make_programme,
    make_source,
    make_study_level,
)
from tests.smtp import Inbox, body, run_worker, smtp_inbox_fixture  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)
STUDENT = "student@example.org"


def on_server(url: str, link: str) -> str:
    """A link from a message (SITE_URL) on the live server."""
    return url + "/" + link.split("://", 1)[1].split("/", 1)[1]


def link_in(message, path: str) -> str:
    found = re.search(rf"https?://\S+{path}\S+/", body(message))
    assert found, body(message)
    return found.group(0)


def ask_by_email(page: Page, button: str, daily: bool = False) -> None:
    page.get_by_label("Your email address").fill(STUDENT)
    if daily:
        page.get_by_label("Daily, when something changed").check()
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()


def test_a_student_follows_a_search_and_hears_of_a_new_programme_and_a_deadline(
    page: Page, live_server, smtp_inbox: Inbox
):
    url = live_server.url
    leeds = make_programme(title="Cardiology research in Leeds", programme_type="research")
    make_programme(  # where and for whom: what publishing asks for
        title="Research in Oslo",
        programme_type="research",
        status=Programme.Status.DRAFT,
        countries=[make_country("NO", name="Norway")],
        study_levels=[make_study_level()],
    )
    make_programme(title="Shadowing in Lyon")  # outside the search
    source = make_source(title="Leeds admissions office")

    # Follow the search: the page names its feed, a feed reader reads the same results.
    page.goto(f"{url}/programmes/?type=research")
    follow = page.get_by_role("link", name="Follow this search")
    expect(follow).to_have_attribute("href", "/programmes/feed.atom?type=research")
    alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    expect(alternate).to_have_attribute("href", "/programmes/feed.atom?type=research")
    feed = feedparser.parse(page.request.get(f"{url}/programmes/feed.atom?type=research").body())
    assert [entry.title for entry in feed.entries] == ["Cardiology research in Leeds"]

    # Email about the search, daily; and reminders for the programme being compared.
    page.get_by_role("link", name="Email me about this search").click()
    expect(page.locator("main")).to_contain_text("Your search finds 1 programme now")
    ask_by_email(page, "Email me about this search", daily=True)
    page.goto(f"{url}/compare/?p={leeds.slug}")
    page.get_by_role("link", name="Remind me of these deadlines").click()
    expect(page.locator("main")).to_contain_text("Cardiology research in Leeds")
    ask_by_email(page, "Remind me")

    # One confirmation link for the address, which confirms both.
    run_worker()
    (confirmation,) = smtp_inbox.to(STUDENT)
    page.goto(on_server(url, link_in(confirmation, "/alerts/confirm/")))
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", name="Your alerts are on")).to_be_visible()
    expect(page.locator("main")).to_contain_text("confirmed for 2 alerts")

    # An adviser publishes the Oslo programme and confirms Leeds's deadline, 20 days ahead.
    adviser = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    create_staff_user("amina", "amina@example.org", PASSWORD)
    adviser.goto(f"{url}/admin/login/")
    adviser.get_by_label("Username").fill("amina")
    adviser.get_by_label("Password").fill(PASSWORD)
    adviser.get_by_role("button", name="Log in").click()
    oslo = Programme.objects.get(title="Research in Oslo")
    adviser.goto(f"{url}/admin/programs/programme/{oslo.pk}/change/")
    adviser.locator("#id_status").select_option("published")
    adviser.get_by_role("button", name="Save", exact=True).first.click()
    expect(adviser.locator(".messagelist")).to_contain_text("was changed successfully")
    due = clock.today() + datetime.timedelta(days=20)
    adviser.goto(f"{url}/admin/programs/programme/{leeds.pk}/change/")
    adviser.get_by_role("button", name=re.compile("Add another Dated deadline", re.I)).click()
    adviser.locator("#id_dated_deadlines-0-cycle").fill(str(due.year + 1))
    adviser.locator("#id_dated_deadlines-0-date").fill(due.isoformat())
    adviser.locator("#id_dated_deadlines-0-source + .select2").click()
    adviser.locator(".select2-container--open .select2-search__field").fill("Leeds admissions")
    adviser.locator(".select2-results__option", has_text="Leeds admissions").first.click()
    adviser.get_by_role("button", name="Save", exact=True).first.click()
    expect(adviser.locator(".messagelist")).to_contain_text("was changed successfully")
    assert leeds.dated_deadlines.get(source=source).date == due

    # send_alerts, run twice: one digest and one reminder.
    call_command("send_alerts")
    call_command("send_alerts")
    digest, reminder = smtp_inbox.to(STUDENT)[1:]
    assert str(digest["Subject"]) == (
        "2 changes to your search on the Medical Internships Directory"
    )
    text = body(digest)
    assert "Research in Oslo" in text and "Now listed in the directory" in text
    assert f"Confirmed deadline: {due.day} {due:%B %Y}" in text and "Lyon" not in text
    assert str(reminder["Subject"]) == (
        "20 days left: Cardiology research in Leeds (confirmed deadline)"
    )
    assert "from the provider's email" in body(reminder)

    # Unsubscribe in one click from the digest; the mail client's one-click POST for the rest.
    page.goto(on_server(url, link_in(digest, "/alerts/unsubscribe/")))
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    expect(page.get_by_role("link", name="see or delete them")).to_be_visible()
    one_click = on_server(url, reminder["List-Unsubscribe"].strip("<>"))
    response = page.request.post(one_click, form={"List-Unsubscribe": "One-Click"})
    assert response.status == 200
    assert not Alert.objects.filter(email=STUDENT).exists()
