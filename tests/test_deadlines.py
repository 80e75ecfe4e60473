"""Where a deadline stands on a given day, in Python and in the database."""

from datetime import date

import pytest

from programs.decisions.deadlines import DeadlineStatus, deadline_status, yearly_date
from programs.models import Programme
from tests.factories import make_programme

NEW_YEAR_2027 = date(2027, 1, 1)


def programme(**fields) -> Programme:
    return Programme(**fields)


def fixed(month: int, day: int) -> Programme:
    return programme(deadline_kind="fixed", deadline_month=month, deadline_day=day)


def test_a_deadline_later_this_year_is_open_with_the_days_left():
    status = deadline_status(fixed(2, 15), NEW_YEAR_2027)

    assert status == DeadlineStatus(
        "open", date(2027, 2, 15), 45, "Open · 45 days left (15 Feb 2027)", False
    )


def test_a_deadline_already_passed_is_closed_and_points_to_next_year():
    status = deadline_status(fixed(2, 15), date(2027, 3, 1))

    assert status.state == "closed"
    assert status.date == date(2028, 2, 15)
    assert status.days_left is None
    assert status.label == "Closed for 2027 · next deadline 15 Feb 2028"


def test_the_deadline_day_itself_is_still_open():
    status = deadline_status(fixed(3, 1), date(2027, 3, 1))

    assert (status.state, status.days_left) == ("open", 0)
    assert "closes today" in status.label


def test_one_day_left_is_singular():
    assert "1 day left" in deadline_status(fixed(3, 1), date(2027, 2, 28)).label


def test_an_approximate_month_without_a_day_runs_to_the_end_of_that_month():
    status = deadline_status(
        programme(deadline_kind="approximate", deadline_month=2), date(2027, 2, 20)
    )

    assert status.state == "open"
    assert status.date == date(2027, 2, 28)
    assert status.approximate is True
    assert status.label == "Open · 8 days left (about 28 Feb 2027)"


def test_an_approximate_day_says_about_when_closed_too():
    status = deadline_status(
        programme(deadline_kind="approximate", deadline_month=2, deadline_day=15),
        date(2027, 6, 1),
    )

    assert status.label == "Closed for 2027 · next deadline about 15 Feb 2028"


def test_29_february_falls_back_to_the_28th_in_ordinary_years():
    assert yearly_date(2027, 2, 29) == date(2027, 2, 28)
    assert yearly_date(2028, 2, 29) == date(2028, 2, 29)
    assert deadline_status(fixed(2, 29), date(2027, 3, 1)).date == date(2028, 2, 29)
    assert deadline_status(fixed(2, 29), date(2027, 2, 28)).state == "open"


def test_a_december_deadline_seen_on_new_years_eve_is_open():
    assert deadline_status(fixed(12, 31), date(2027, 12, 31)).state == "open"


def test_a_rolling_deadline_gives_the_lead_time():
    status = deadline_status(
        programme(deadline_kind="rolling", deadline_lead_weeks=8), NEW_YEAR_2027
    )

    assert status.state == "rolling"
    assert status.date is None
    assert status.label == "Rolling · apply 8+ weeks before your start"


def test_a_varying_deadline_quotes_the_guides_note():
    status = deadline_status(
        programme(deadline_kind="varies", deadline_note="Varies by department"), NEW_YEAR_2027
    )

    assert status.state == "varies"
    assert status.label == "Varies: Varies by department"


def test_an_approximate_deadline_without_a_month_varies():
    status = deadline_status(
        programme(deadline_kind="approximate", deadline_note="early spring"), NEW_YEAR_2027
    )

    assert (status.state, status.label, status.approximate) == (
        "varies",
        "Varies: early spring",
        True,
    )


def test_an_unknown_deadline_is_not_stated_in_source():
    status = deadline_status(programme(deadline_kind="unknown"), NEW_YEAR_2027)

    assert (status.state, status.label) == ("unknown", "Not stated in source")


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
}
AWKWARD_DAYS = [
    date(2027, 1, 1),
    date(2027, 2, 15),
    date(2027, 2, 16),
    date(2027, 2, 28),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2027, 3, 1),
    date(2027, 3, 2),
    date(2027, 12, 31),
]


@pytest.fixture
def every_kind_of_deadline(db):
    return {
        slug: make_programme(slug=slug, title=slug, **fields) for slug, fields in DEADLINES.items()
    }


@pytest.mark.parametrize("today", AWKWARD_DAYS, ids=str)
def test_the_database_and_python_agree_on_every_deadline_state(every_kind_of_deadline, today):
    for state in ("open", "closed", "rolling", "varies", "unknown"):
        in_database = set(
            Programme.objects.with_deadline(state, today).values_list("slug", flat=True)
        )
        in_python = {
            slug
            for slug, p in every_kind_of_deadline.items()
            if deadline_status(p, today).state == state
        }
        assert in_database == in_python, state


def test_next_deadline_order_is_this_years_then_next_years_then_rolling_varies_unknown(
    every_kind_of_deadline,
):
    order = Programme.objects.by_next_deadline(date(2027, 2, 16)).values_list("slug", flat=True)

    assert list(order) == [
        "fixed-feb-29",  # 28 Feb this year
        "about-feb",  # end of February
        "about-mar-1",
        "fixed-dec-31",
        "fixed-jan-1",  # next year's
        "fixed-feb-15",
        "rolling",
        "spring",
        "varies",
        "unknown",
    ]


def test_the_soonest_open_deadlines_are_a_single_query(
    every_kind_of_deadline, django_assert_num_queries
):
    today = date(2027, 2, 16)
    with django_assert_num_queries(1):
        soonest = list(Programme.objects.open_for_applications(today).by_next_deadline(today)[:2])

    assert [p.slug for p in soonest] == ["fixed-feb-29", "about-feb"]
