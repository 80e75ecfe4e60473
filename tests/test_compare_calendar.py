"""Issue 20: one calendar file for the whole comparison."""

from datetime import date

import icalendar
import pytest

from programs.core import clock

pytestmark = pytest.mark.django_db

NIH = "nhgri-summer-internship-biomedical-research"
STANFORD = "stanford-pediatrics-internship-program"
UCLH = "uclh-hospital-shadowing-elective"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def test_the_comparison_offers_one_calendar_with_each_dated_deadline(client, seeded):
    page = client.get("/compare/", {"p": [NIH, STANFORD, UCLH]}).content.decode()
    assert f'href="/compare/calendar.ics?p={NIH}&amp;p={STANFORD}&amp;p={UCLH}" download' in page

    response = client.get("/compare/calendar.ics", {"p": [NIH, STANFORD, UCLH]})

    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    # UCLH's deadline "Varies by department": no date, so no event; the other two have one each.
    assert len(summaries) == 2
    assert any("Stanford" in s for s in summaries) and any("NHGRI" in s for s in summaries)


def test_a_comparison_without_a_dated_deadline_says_so_instead_of_an_empty_calendar(client, seeded):
    response = client.get("/compare/calendar.ics", {"p": [UCLH]})

    assert response.status_code == 404
    assert "no calendar to download" in response.content.decode()
    assert "calendar.ics" not in client.get("/compare/", {"p": UCLH}).content.decode()
