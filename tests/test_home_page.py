"""The home page: search, entry points with counts, the soonest deadlines and the totals."""

from datetime import date

import pytest

from programs.core import clock
from programs.models import Programme
from tests.factories import (
    make_country,
    make_organisation,
    make_programme,
    make_region,
    make_study_level,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_new_years_day(new_years_day):
    """Every test here sees 1 January 2027 as today."""


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_has_one_h1_and_a_labelled_search_that_goes_to_the_list(client):
    html = text(client.get("/"))

    assert html.count("<h1") == 1
    assert '<form method="get" action="/programmes/">' in html
    assert '<label for="home-q">Search programmes</label>' in html
    assert '<input type="search" id="home-q" name="q"' in html


def test_the_totals_count_published_programmes_their_countries_and_organisations(client):
    uk, us = make_country("GB"), make_country("US")
    shared = make_organisation()
    make_programme(countries=[uk, us], organisation=shared)
    make_programme(countries=[uk], organisation=shared)
    make_programme(countries=[make_country("FR")], status=Programme.Status.DRAFT)

    response = client.get("/")

    assert response.context["totals"] == {
        "programmes": 2,
        "routes": 0,
        "countries": 2,
        "organisations": 1,
    }
    html = text(response)
    assert "<strong>2</strong> programmes you can apply to" in html
    assert "<strong>2</strong> countries" in html
    assert "<strong>1</strong> organisation<" in html


def test_regions_and_study_levels_link_to_the_filtered_list_with_counts(client):
    europe = make_region(slug="europe", name="Europe")
    make_region(slug="asia", name="Asia")
    student = make_study_level(slug="medical-student", name="Medical student")
    make_programme(countries=[make_country(region=europe)], study_levels=[student])
    make_programme(countries=[make_country(region=europe)])

    html = text(client.get("/"))

    assert (
        '<a href="/programmes/?region=europe">Europe</a> <span class="muted">2 programmes' in html
    )
    assert "Asia <span" in html and "no programmes listed yet" in html
    assert '<a href="/programmes/?level=medical-student">Medical student</a>' in html
    assert "1 programme</span>" in html


def test_routes_are_counted_apart_from_programmes_in_the_totals_and_regions(client):
    # The 2026 guide's Semmelweis route is for its own students: not "Asia's only programme".
    asia = make_region(slug="asia", name="Asia")
    make_programme(countries=[make_country(region=asia)], listing_kind="pathway")

    response = client.get("/")
    html = text(response)

    assert (response.context["totals"]["programmes"], response.context["totals"]["routes"]) == (
        0,
        1,
    )
    assert (
        '<a href="/programmes/?region=asia">Asia</a> <span class="muted">no programmes listed yet '
        "· 1 route</span>"
    ) in html


def test_the_soonest_deadlines_come_first_and_none_is_ever_closed(client):
    for slug, month, day in [
        ("march", 3, 1),
        ("mid-feb", 2, 15),
        ("new-years-day", 1, 1),
        ("april", 4, 1),
        ("may", 5, 1),
        ("june", 6, 1),
        ("july", 7, 1),
    ]:
        make_programme(slug=slug, deadline_kind="fixed", deadline_month=month, deadline_day=day)
    make_programme(slug="rolling", deadline_kind="rolling", deadline_lead_weeks=8)

    response = client.get("/")

    # 1 January is the deadline day itself, so it is due today and comes first.
    assert [row.programme.slug for row in response.context["soonest"]] == [
        "new-years-day",
        "mid-feb",
        "march",
        "april",
        "may",
    ]
    assert '<time class="badge" datetime="2027-02-15">' in text(response)


def test_in_late_november_the_february_deadlines_are_the_next_ones_not_closed(client, monkeypatch):
    # Roswell Park "February 21", Penn "February (typically February 1–28)": the guides' cycle.
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))
    make_programme(slug="feb", deadline_kind="fixed", deadline_month=2, deadline_day=21)
    make_programme(slug="december", deadline_kind="fixed", deadline_month=12, deadline_day=1)
    make_programme(
        slug="march", deadline_kind="approximate", deadline_month=3, deadline_note="March"
    )

    response = client.get("/")
    html = text(response)

    assert [row.programme.slug for row in response.context["soonest"]] == [
        "december",
        "feb",
        "march",
    ]
    assert "Closed" not in html
    assert (
        "Expected around 21 Feb 2027 (84 days left); last stated as 21 February; confirm the "
        "2027 date"
    ) in html
    assert "March 2027, day not stated: plan for 1 March (92 days left)" in html


def test_without_dated_deadlines_the_home_page_points_to_rolling_ones(client):
    make_programme(deadline_kind="rolling", deadline_lead_weeks=8)

    html = text(client.get("/"))

    assert "No listed programme has a dated deadline ahead." in html
    assert 'href="/programmes/?deadline=rolling"' in html


@pytest.mark.usefixtures("pages_uncached")
def test_the_home_page_is_five_queries_whatever_the_size(client, django_assert_num_queries):
    """The five soonest deadlines and their confirmed dates, the totals, the regions and the study
    levels with counts."""
    region = make_region()
    for month in range(1, 13):
        make_programme(
            countries=[make_country(region=region)],
            study_levels=[make_study_level()],
            deadline_kind="fixed",
            deadline_month=month,
            deadline_day=1,
        )

    with django_assert_num_queries(5):
        client.get("/")
