"""Deadlines seen from a given day, the backward plan, and the calendar files they become.

NHGRI: "Deadline: Mid-February (approx. Feb 15)"; Lite Regal: "Rolling enrollment, apply 8+ weeks
before desired start"; Penn: "February (typically February 1–28)" (10 Best Medical Internship For
International Students 2025/2026). The timeline is the 2026 guide's "6 - 12 Months Before",
"4 - 6 Months Before" and "2 - 4 Months Before" ("After receiving an offer").
"""

from datetime import date, timedelta

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


def test_a_15_february_deadline_seen_from_1_january_is_expected_with_45_days_left(
    seeded,
):
    status = deadlines.deadline_status(programme(NIH), date(2027, 1, 1))

    assert (status.state, status.date, status.days_left) == ("upcoming", date(2027, 2, 15), 45)
    assert status.expected


def test_a_15_february_deadline_seen_from_1_march_is_expected_next_year_not_closed(
    seeded,
):
    status = deadlines.deadline_status(programme(NIH), date(2027, 3, 1))

    assert (status.state, status.date) == ("upcoming", date(2028, 2, 15))
    assert status.label == (
        "Expected around 15 Feb 2028 (351 days left); last stated as “Mid-February (approx. "
        "Feb 15)”; confirm the 2028 date"
    )


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


def test_a_programme_calendar_holds_its_next_expected_deadline_once_with_reminders(
    client, seeded, monkeypatch
):
    monkeypatch.setattr(clock, "today", lambda: date(2027, 3, 1))
    url = reverse("programs:programme_calendar", args=[NIH])

    cal, again = parse(client.get(url)), parse(client.get(url))

    (event,) = cal.events
    assert event.start == date(2028, 2, 15)
    assert event.end == date(2028, 2, 16)
    assert str(event["uid"]) == f"deadline-{NIH}@medical-internships.directory"
    assert event["summary"] == (
        "Deadline (expected, not confirmed): NIH National Human Genome Research Institute "
        "(NHGRI) – Summer Internship in Biomedical Research"
    )
    assert "rrule" not in event  # an unconfirmed date is never repeated yearly
    assert [alarm["trigger"].dt for alarm in event.walk("VALARM")] == [
        -timedelta(days=14),
        -timedelta(days=2),
    ]
    assert str(cal["uid"]) == str(again["uid"])  # the calendar's own UID is stable


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


def test_the_list_feed_holds_the_filtered_programmes_next_deadlines(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))

    every = parse(client.get(reverse("programs:list_calendar")))
    again = parse(client.get(reverse("programs:list_calendar")))
    us = parse(client.get(reverse("programs:list_calendar") + "?country=US"))

    assert sorted((e.start, str(e["uid"]).split("@")[0]) for e in every.events) == [
        # Penn's "February (typically February 1–28)": planned for the 1st.
        (date(2027, 2, 1), "deadline-penn-center-for-global-health-internship"),
        (date(2027, 2, 15), f"deadline-{NIH}"),
        (date(2027, 2, 21), "deadline-roswell-park-summer-cancer-research-experience"),
        (date(2027, 2, 24), "deadline-stanford-pediatrics-internship-program"),
        (date(2027, 3, 1), "deadline-johns-hopkins-internship-brain-sciences"),
    ]
    assert str(every["uid"]) == str(again["uid"])
    assert str(every["uid"]) != str(us["uid"])


def test_a_filter_with_no_dated_deadline_says_so_instead_of_an_empty_calendar(client, seeded):
    # The UK programmes' deadlines are rolling, vary or give a season ("early spring").
    response = client.get(reverse("programs:list_calendar") + "?country=GB")

    assert response.status_code == 404
    assert response.content.decode() == (
        "Not one of the programmes this filter keeps has a dated deadline ahead (they are "
        "rolling, vary, or state none), so there is no calendar to download."
    )


def test_the_list_offers_its_calendar_only_when_the_filter_keeps_a_dated_deadline(client, seeded):
    link = "Download these deadlines (.ics calendar)"
    uk_only = client.get(reverse("programs:list") + "?country=GB").content.decode()
    us_only = client.get(reverse("programs:list") + "?country=US").content.decode()

    assert link not in uk_only  # rolling, varies or a season: the feed would be a 404
    assert link in us_only
    assert client.get(reverse("programs:list_calendar") + "?country=US").status_code == 200


def test_a_programme_with_no_dated_deadline_offers_no_calendar_until_there_is_a_plan(
    client, seeded
):
    page = client.get(reverse("programs:detail", args=[LITE_REGAL])).content.decode()
    planned = client.get(
        reverse("programs:detail", args=[LITE_REGAL]) + "?start=2027-07-01"
    ).content.decode()
    calendar = client.get(reverse("programs:programme_calendar", args=[LITE_REGAL]))

    assert ".ics" not in page
    assert f'href="/programmes/{LITE_REGAL}/calendar.ics?start=2027-07-01"' in planned
    assert "Download the plan (.ics calendar)" in planned
    assert calendar.status_code == 404
    assert "has no dated deadline ahead (Rolling · apply 8+ weeks before your start)" in (
        calendar.content.decode()
    )


def test_a_dated_deadline_is_offered_as_a_calendar(client, seeded):
    page = client.get(reverse("programs:detail", args=[NIH])).content.decode()

    assert f'href="/programmes/{NIH}/calendar.ics" download>Download the deadline (.ics' in page


def test_the_preparation_stage_begins_after_a_month_only_deadline(seeded):
    penn = programme("penn-center-for-global-health-internship")

    plan = planning.plan(date(2027, 6, 1), date(2026, 11, 29), planning.timeline(), penn)

    by_key = {m.key: m for m in plan.milestones}
    deadline = by_key["deadline-penn-center-for-global-health-internship"]
    assert deadline.begins == date(2027, 2, 1)
    assert deadline.summary == (
        "As the guide states it: “February (typically February 1–28)” (day not stated: plan "
        "for 1 February)."
    )
    assert by_key["stage-preparation"].begins == date(2027, 2, 2)
    assert (
        "Preparation starts once you have an offer, so this plan begins it after the "
        "application deadline (1 February 2027)."
    ) in plan.notes


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
