"""Deadlines seen from a given day, the backward plan, and the calendar files they become."""

from datetime import date

import icalendar
import pytest
from django.urls import reverse

from programs.core import clock
from programs.decisions import deadlines, planning
from programs.models import Programme

pytestmark = pytest.mark.django_db

NIH = "nhgri-summer-internship-biomedical-research"  # about 15 February every year
LITE_REGAL = "lite-regal-medical-internship-shadowing-london"  # rolling, 8+ weeks ahead


def programme(slug: str) -> Programme:
    return Programme.objects.select_related("source_guide").get(slug=slug)


def test_a_15_february_deadline_seen_from_1_january_is_open_with_45_days_left(seeded):
    status = deadlines.deadline_status(programme(NIH), date(2027, 1, 1))

    assert (status.state, status.date, status.days_left) == ("open", date(2027, 2, 15), 45)


def test_a_15_february_deadline_seen_from_1_march_points_to_next_year(seeded):
    status = deadlines.deadline_status(programme(NIH), date(2027, 3, 1))

    assert (status.state, status.date) == ("closed", date(2028, 2, 15))
    assert status.label == "Closed for 2027 · next deadline about 15 Feb 2028"


def test_the_deadline_for_a_start_date_is_the_last_one_before_it(seeded):
    nih = programme(NIH)

    assert planning.deadline_for_start(nih, date(2027, 7, 1)) == date(2027, 2, 15)
    assert planning.deadline_for_start(nih, date(2027, 2, 1)) == date(2026, 2, 15)
    assert planning.deadline_for_start(programme(LITE_REGAL), date(2027, 7, 1)) == date(2027, 5, 6)


def test_the_plan_counts_back_from_the_start_with_the_guides_timeline(seeded):
    plan = planning.plan(date(2027, 7, 1), date(2026, 11, 23), planning.timeline(), programme(NIH))

    assert [(m.key, m.begins, m.ends, m.late) for m in plan.milestones] == [
        ("stage-preliminary-selection", date(2026, 7, 1), date(2026, 12, 31), True),
        ("stage-application", date(2027, 1, 1), date(2027, 2, 28), False),
        (f"deadline-{NIH}", date(2027, 2, 15), None, False),
        ("stage-preparation", date(2027, 3, 1), date(2027, 4, 30), False),
        (f"start-{NIH}", date(2027, 7, 1), None, False),
    ]
    assert plan.milestones[1].checklist[:2] == ["Fill in the application forms", "Send a CV"]
    assert plan.notes == [
        "Some stages should already have begun for this start date: start them now, or "
        "consider a later start."
    ]


def test_a_start_too_soon_for_this_years_deadline_says_so(seeded):
    plan = planning.plan(date(2027, 2, 1), date(2026, 11, 23), planning.timeline(), programme(NIH))

    assert plan.notes[0] == (
        "The deadline for a start on 1 February 2027 was 15 February 2026, which has passed: "
        "choose a later start date."
    )


def test_months_before_keeps_the_day_inside_shorter_months():
    assert planning.months_before(date(2027, 5, 31), 3) == date(2027, 2, 28)
    assert planning.months_before(date(2027, 1, 15), 12) == date(2026, 1, 15)


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_a_programme_calendar_holds_its_deadline_repeating_every_year(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2027, 3, 1))

    cal = parse(client.get(reverse("programs:programme_calendar", args=[NIH])))

    (event,) = cal.events
    assert event.start == date(2028, 2, 15)
    assert event.end == date(2028, 2, 16)
    assert str(event["uid"]) == f"deadline-{NIH}@medical-internships.directory"
    assert (
        event["summary"]
        == "Deadline (approximate): NIH National Human Genome Research Institute (NHGRI) – Summer Internship in Biomedical Research"
    )
    (rule,) = event.rrules
    assert rule["FREQ"] == ["YEARLY"]


def test_a_plan_calendar_has_every_milestone_with_stable_uids(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))
    url = reverse("programs:programme_calendar", args=[NIH]) + "?start=2027-07-01"

    first, second = parse(client.get(url)), parse(client.get(url))

    uids = [str(e["uid"]) for e in first.events]
    assert uids == [str(e["uid"]) for e in second.events]
    assert len(uids) == len(set(uids)) == 5
    assert [e.start for e in first.events] == [
        date(2026, 7, 1),
        date(2027, 1, 1),
        date(2027, 2, 15),
        date(2027, 3, 1),
        date(2027, 7, 1),
    ]
    assert "☐ Send a CV" in str(first.events[1]["description"])


def test_the_list_feed_holds_the_filtered_programmes_dated_deadlines(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 1))

    every = parse(client.get(reverse("programs:list_calendar")))
    uk = parse(client.get(reverse("programs:list_calendar") + "?country=GB"))

    assert sorted((e.start, str(e["uid"]).split("@")[0]) for e in every.events) == [
        (date(2027, 2, 15), f"deadline-{NIH}"),
        (date(2027, 2, 21), "deadline-roswell-park-summer-cancer-research-experience"),
        (date(2027, 2, 24), "deadline-stanford-pediatrics-internship-program"),
        (date(2027, 2, 28), "deadline-penn-center-for-global-health-internship"),
        (date(2027, 3, 1), "deadline-johns-hopkins-internship-brain-sciences"),
    ]
    assert uk.events == []  # the UK programmes' deadlines are rolling or vary


def test_bad_calendar_input_is_a_400_with_a_message(client, seeded):
    bad_start = client.get(reverse("programs:programme_calendar", args=[NIH]) + "?start=1900-01-01")
    bad_filter = client.get(reverse("programs:list_calendar") + "?type=nonsense")

    assert bad_start.status_code == 400
    assert "Choose a start date between today" in bad_start.content.decode()
    assert bad_filter.status_code == 400
    assert "Type of placement: Choose a valid programme type." in bad_filter.content.decode()


def test_a_deadline_closes_soon_within_30_days_and_not_before(seeded):
    nih = programme(NIH)

    assert deadlines.deadline_status(nih, date(2027, 1, 16)).closing_soon
    assert not deadlines.deadline_status(nih, date(2027, 1, 15)).closing_soon
    assert not deadlines.deadline_status(nih, date(2027, 3, 1)).closing_soon
