"""Where a deadline stands on a given day, in Python and in the database.

The guides give one cycle and no year ("10 Best Medical Internship For International Students
2025/2026"), so a stated day is *expected* next time round, never "closed"; only a dated deadline
an adviser confirmed with its source can pass.
"""

from datetime import date

import pytest

from programs.decisions.deadlines import deadline_status, yearly_date
from programs.models import Programme
from tests.factories import make_dated_deadline, make_programme, make_source

TODAY = date(2026, 11, 29)


def programme(**fields) -> Programme:
    return Programme(**fields)


def fixed(month: int, day: int, note: str = "") -> Programme:
    return programme(
        deadline_kind="fixed", deadline_month=month, deadline_day=day, deadline_note=note
    )


def status_of(p: Programme, today: date = TODAY):
    return deadline_status(p, today, confirmed=())


def test_a_yearly_date_from_the_guides_cycle_is_expected_and_unconfirmed_never_closed():
    # Roswell Park: "Deadline: February 21"
    status = status_of(fixed(2, 21, "February 21"))

    assert (status.state, status.date, status.days_left) == ("upcoming", date(2027, 2, 21), 84)
    assert status.label == (
        "Expected around 21 Feb 2027 (84 days left); last stated as 21 February; confirm the "
        "2027 date"
    )
    assert status.short == "Expected ~21 Feb 2027 · 84 days left"
    assert (status.expected, status.confirmed, status.tone) == (True, False, "")


def test_a_month_only_deadline_plans_for_the_first_day_of_the_month_and_says_so():
    # Penn: "February (typically February 1–28)"
    penn = programme(
        deadline_kind="approximate",
        deadline_month=2,
        deadline_note="February (typically February 1–28)",
    )

    status = status_of(penn)

    assert (status.state, status.date, status.days_left) == ("upcoming", date(2027, 2, 1), 64)
    assert status.label == (
        "February 2027, day not stated: plan for 1 February (64 days left); last stated as "
        "“February (typically February 1–28)”; confirm the 2027 date"
    )
    # The programme page's summary says the days left too.
    assert status.short == "Expected February 2027 · plan for 1 Feb · 64 days left"


def test_a_month_only_deadline_inside_its_month_says_apply_now():
    penn = programme(deadline_kind="approximate", deadline_month=2, deadline_note="February")

    status = status_of(penn, date(2027, 2, 10))

    assert (status.state, status.date, status.days_left) == ("closing_soon", date(2027, 2, 1), 0)
    assert status.label.startswith("February 2027, day not stated: 1 February has gone, so apply")
    assert status.short == "Expected February 2027 · apply now"


def test_an_approximate_day_is_expected_around_it():
    # NHGRI: "Mid-February (approx. Feb 15)"
    nih = programme(
        deadline_kind="approximate",
        deadline_month=2,
        deadline_day=15,
        deadline_note="Mid-February (approx. Feb 15)",
    )

    status = status_of(nih)

    assert status.label == (
        "Expected around 15 Feb 2027 (78 days left); last stated as “Mid-February (approx. Feb "
        "15)”; confirm the 2027 date"
    )


def test_a_deadline_within_30_days_is_closing_soon():
    status = status_of(fixed(12, 20))

    assert (status.state, status.days_left, status.tone) == ("closing_soon", 21, "warn")
    assert status.closing_soon


def test_the_deadline_day_itself_is_due_today():
    status = status_of(fixed(3, 1), date(2027, 3, 1))

    assert (status.state, status.days_left) == ("closing_soon", 0)
    assert "due today" in status.label


def test_29_february_falls_back_to_the_28th_in_ordinary_years():
    assert yearly_date(2027, 2, 29) == date(2027, 2, 28)
    assert yearly_date(2028, 2, 29) == date(2028, 2, 29)
    assert yearly_date(2027, 2, None) == date(2027, 2, 1)
    assert status_of(fixed(2, 29), date(2027, 3, 1)).date == date(2028, 2, 29)


def test_a_rolling_deadline_gives_the_lead_time():
    # Lite Regal: "Rolling enrollment, apply 8+ weeks before desired start"
    status = status_of(programme(deadline_kind="rolling", deadline_lead_weeks=8))

    assert (status.state, status.date) == ("rolling", None)
    assert status.label == "Rolling · apply 8+ weeks before your start"


def test_a_varying_deadline_quotes_the_guides_note():
    # UCLH: "Varies by department"
    status = status_of(programme(deadline_kind="varies", deadline_note="Varies by department"))

    assert (status.state, status.label) == ("varies", "Varies: Varies by department")


def test_a_season_is_held_as_a_season_with_no_date():
    # Barts: "Applications open early spring"
    barts = programme(deadline_kind="approximate", deadline_note="Applications open early spring")

    status = status_of(barts)

    assert (status.state, status.date, status.form) == ("varies", None, "season")
    assert status.label == "Season only, no date stated: “Applications open early spring”"


def test_an_unknown_deadline_is_not_stated_in_source():
    status = status_of(programme(deadline_kind="unknown"))

    assert (status.state, status.label) == ("unknown", "Not stated in source")


@pytest.mark.django_db
def test_a_confirmed_date_ahead_decides_and_names_its_source():
    roswell = make_programme(deadline_kind="fixed", deadline_month=2, deadline_day=21)
    make_dated_deadline(roswell, cycle=2027, date=date(2027, 2, 20))

    status = deadline_status(Programme.objects.with_deadlines().get(pk=roswell.pk), TODAY)

    assert (status.state, status.date, status.confirmed, status.tone) == (
        "upcoming",
        date(2027, 2, 20),
        True,
        "good",
    )
    assert status.label == (
        "20 Feb 2027 (83 days left); confirmed, from the provider's email of 20 November 2026, "
        "recorded by an adviser"
    )


@pytest.mark.django_db
def test_only_a_confirmed_date_can_pass_and_the_next_cycle_stays_expected():
    roswell = make_programme(deadline_kind="fixed", deadline_month=2, deadline_day=21)
    make_dated_deadline(roswell, cycle=2026, date=date(2026, 2, 20))

    status = deadline_status(Programme.objects.with_deadlines().get(pk=roswell.pk), TODAY)

    assert (status.state, status.tone) == ("passed", "bad")
    assert status.label == (
        "Passed on 20 Feb 2026 (confirmed, from the provider's email of 20 November 2026, "
        "recorded by an adviser). Next cycle not confirmed: expected around 21 Feb 2027."
    )
    assert not status.in_calendar  # nothing ahead is dated: no calendar file to offer


# The database's answer must match Python's on awkward days of the year.

DEADLINES: dict[str, dict[str, str | int]] = {
    "fixed-jan-1": {"deadline_kind": "fixed", "deadline_month": 1, "deadline_day": 1},
    "fixed-feb-15": {"deadline_kind": "fixed", "deadline_month": 2, "deadline_day": 15},
    "fixed-feb-29": {"deadline_kind": "fixed", "deadline_month": 2, "deadline_day": 29},
    "about-feb": {"deadline_kind": "approximate", "deadline_month": 2},
    "about-mar-1": {"deadline_kind": "approximate", "deadline_month": 3, "deadline_day": 1},
    "fixed-dec-31": {"deadline_kind": "fixed", "deadline_month": 12, "deadline_day": 31},
    "rolling": {"deadline_kind": "rolling", "deadline_lead_weeks": 8},
    "varies": {"deadline_kind": "varies"},
    "spring": {"deadline_kind": "approximate", "deadline_note": "spring"},
    "unknown": {"deadline_kind": "unknown"},
    "confirmed-2027": {"deadline_kind": "fixed", "deadline_month": 2, "deadline_day": 21},
    "confirmed-2026-only": {"deadline_kind": "fixed", "deadline_month": 2, "deadline_day": 21},
}
AWKWARD_DAYS = [
    date(2026, 11, 29),
    date(2027, 1, 1),
    date(2027, 1, 22),
    date(2027, 1, 29),
    date(2027, 2, 15),
    date(2027, 2, 16),
    date(2027, 2, 28),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2027, 3, 1),
    date(2027, 3, 2),
    date(2027, 12, 31),
]
STATES = ("closing_soon", "upcoming", "passed", "rolling", "varies", "unknown")


@pytest.fixture
def every_kind_of_deadline(db):
    made = {
        slug: make_programme(slug=slug, title=slug, **fields) for slug, fields in DEADLINES.items()
    }
    source = make_source()
    make_dated_deadline(made["confirmed-2027"], cycle=2027, date=date(2027, 2, 20), source=source)
    make_dated_deadline(
        made["confirmed-2026-only"], cycle=2026, date=date(2026, 2, 20), source=source
    )
    return Programme.objects.with_deadlines().in_bulk(field_name="slug")


@pytest.mark.parametrize("today", AWKWARD_DAYS, ids=str)
def test_the_database_and_python_agree_on_every_deadline_state(every_kind_of_deadline, today):
    for state in STATES:
        in_database = set(
            Programme.objects.with_deadline(state, today).values_list("slug", flat=True)
        )
        in_python = {
            slug
            for slug, p in every_kind_of_deadline.items()
            if deadline_status(p, today).state == state
        }
        assert in_database == in_python, state


@pytest.mark.parametrize("today", AWKWARD_DAYS, ids=str)
def test_due_within_three_months_matches_the_days_python_counts(every_kind_of_deadline, today):
    in_database = set(
        Programme.objects.with_deadline("within_3_months", today).values_list("slug", flat=True)
    )
    in_python = {
        slug
        for slug, p in every_kind_of_deadline.items()
        if (status := deadline_status(p, today)).days_left is not None and status.days_left <= 91
    }

    assert in_database == in_python


def test_next_deadline_order_is_this_years_then_next_years_then_rolling_varies_unknown(
    every_kind_of_deadline,
):
    order = Programme.objects.by_next_deadline(date(2027, 2, 16)).values_list("slug", flat=True)

    assert list(order) == [
        "about-feb",  # February, day not stated: planned for the 1st, still this month
        "confirmed-2027",  # confirmed 20 Feb: the confirmed date decides
        "confirmed-2026-only",  # stated 21 Feb: expected again, its 2026 date having passed
        "fixed-feb-29",  # 28 Feb this year
        "about-mar-1",
        "fixed-dec-31",
        "fixed-jan-1",  # next year's
        "fixed-feb-15",
        "rolling",
        "spring",
        "varies",
        "unknown",
    ]


@pytest.mark.parametrize(
    ("fields", "in_calendar"),
    [
        ({"deadline_kind": "fixed", "deadline_month": 2, "deadline_day": 21}, True),
        ({"deadline_kind": "approximate", "deadline_month": 2}, True),
        ({"deadline_kind": "approximate", "deadline_note": "early spring"}, False),
        ({"deadline_kind": "rolling", "deadline_lead_weeks": 8}, False),
        ({"deadline_kind": "varies"}, False),
        ({"deadline_kind": "unknown"}, False),
    ],
)
def test_only_a_dated_deadline_ahead_is_something_to_put_in_a_calendar(fields, in_calendar):
    assert status_of(programme(**fields)).in_calendar is in_calendar


@pytest.mark.parametrize("today", AWKWARD_DAYS, ids=str)
def test_the_next_deadline_order_follows_the_dates_students_are_shown(
    every_kind_of_deadline, today
):
    order = Programme.objects.by_next_deadline(today).values_list("slug", flat=True)
    shown = [deadline_status(every_kind_of_deadline[slug], today) for slug in order]

    ahead = [status.date for status in shown if status.state in ("closing_soon", "upcoming")]
    assert ahead == sorted(ahead)


def test_a_confirmed_date_ahead_decides_where_a_programme_sorts(db):
    """A provider's confirmed date puts a programme where its date falls, even when the guide
    states another day or none (issue 16: "Dated deadlines … are what the truth issue calls
    confirmed")."""
    make_programme(slug="stated-30-april", deadline_kind="fixed", deadline_month=4, deadline_day=30)
    unknown = make_programme(slug="unknown-confirmed-10-december", deadline_kind="unknown")
    moved = make_programme(
        slug="stated-5-december-confirmed-1-march",
        deadline_kind="fixed",
        deadline_month=12,
        deadline_day=5,
    )
    make_dated_deadline(unknown, cycle=2027, date=date(2026, 12, 10))
    make_dated_deadline(moved, cycle=2027, date=date(2027, 3, 1))

    order = Programme.objects.by_next_deadline(date(2026, 11, 29)).values_list("slug", flat=True)

    assert list(order) == [
        "unknown-confirmed-10-december",
        "stated-5-december-confirmed-1-march",
        "stated-30-april",
    ]


@pytest.mark.parametrize("today", AWKWARD_DAYS, ids=str)
def test_the_database_and_python_agree_on_what_a_calendar_can_hold(every_kind_of_deadline, today):
    in_database = set(
        Programme.objects.filter(Programme.objects.in_calendar_q(today)).values_list(
            "slug", flat=True
        )
    )
    in_python = {
        slug for slug, p in every_kind_of_deadline.items() if deadline_status(p, today).in_calendar
    }

    assert in_database == in_python
