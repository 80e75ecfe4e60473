"""The programme list: every filter narrows, bad input is explained, the query count is fixed."""

from datetime import date

import pytest

from programs.core import clock
from programs.models import Programme
from tests.factories import (
    make_country,
    make_organisation,
    make_programme,
    make_region,
    make_speciality,
    make_study_level,
)

URL = "/programmes/"
TODAY = date(2027, 1, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def new_years_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def slugs(response) -> list[str]:
    assert response.status_code == 200
    return [c.programme.slug for c in response.context["cards"]]


def found(response) -> set[str]:
    return set(slugs(response))


def text(response) -> str:
    return response.content.decode()


# Each filter narrows.


def test_search_matches_title_summary_organisation_and_country_case_insensitively(client):
    # Whole words in either spelling: "paediatric" finds "Paediatric" and "PAEDIATRIC".
    kenya = make_country("KE", name="Kenya")
    make_programme(slug="by-title", title="Paediatric Shadowing")
    make_programme(slug="by-summary", summary="Weeks on a PAEDIATRIC ward.")
    make_programme(slug="by-org", organisation=make_organisation(name="Paediatric Trust"))
    make_programme(slug="by-country", title="Nairobi elective", countries=[kenya])
    make_programme(slug="neither", title="Cardiology research")

    assert found(client.get(URL, {"q": "paediatric"})) == {
        "by-org",
        "by-summary",
        "by-title",
    }
    assert found(client.get(URL, {"q": "kenya"})) == {"by-country"}


def test_search_words_must_all_match(client):
    make_programme(slug="both", title="London shadowing")
    make_programme(slug="one", title="London research", programme_type="research")

    assert found(client.get(URL, {"q": "shadowing london"})) == {"both"}


def test_region_filter_keeps_programmes_with_any_country_in_that_region(client):
    europe, asia = make_region(slug="europe"), make_region(slug="asia")
    france, uk = make_country("FR", region=europe), make_country("GB", region=europe)
    japan = make_country("JP", region=asia)
    make_programme(slug="two-european-countries", countries=[france, uk])
    make_programme(slug="europe-and-asia", countries=[japan, uk])
    make_programme(slug="asia-only", countries=[japan])

    assert found(client.get(URL, {"region": "europe"})) == {
        "europe-and-asia",
        "two-european-countries",
    }


def test_country_filter_takes_the_iso_code_in_either_case(client):
    uk, us = make_country("GB"), make_country("US")
    make_programme(slug="uk", countries=[uk])
    make_programme(slug="us", countries=[us])

    assert found(client.get(URL, {"country": "GB"})) == {"uk"}
    assert found(client.get(URL, {"country": "us"})) == {"us"}


def test_type_filter_keeps_only_that_type(client):
    make_programme(slug="research", programme_type=Programme.Type.RESEARCH)
    make_programme(slug="shadowing", programme_type=Programme.Type.SHADOWING)

    assert found(client.get(URL, {"type": "research"})) == {"research"}


def test_speciality_filter_accepts_several_and_lists_each_programme_once(client):
    cardio, neuro = make_speciality(slug="cardiology"), make_speciality(slug="neurology")
    make_programme(slug="both", specialities=[cardio, neuro])
    make_programme(slug="cardio", specialities=[cardio])
    make_programme(slug="other", specialities=[make_speciality()])

    response = client.get(URL, {"speciality": ["cardiology", "neurology"]})

    assert found(response) == {"both", "cardio"}
    assert response.context["count"] == 2


def test_level_filter_accepts_several_levels(client):
    student, graduate = make_study_level(slug="student"), make_study_level(slug="graduate")
    make_programme(slug="for-students", study_levels=[student])
    make_programme(slug="for-graduates", study_levels=[graduate])
    make_programme(slug="for-school", study_levels=[make_study_level()])

    assert found(client.get(URL, {"level": ["student", "graduate"]})) == {
        "for-graduates",
        "for-students",
    }


def test_unpaid_filter_hides_fee_charging_programmes(client):
    make_programme(slug="unpaid", pay=Programme.Pay.UNPAID)
    make_programme(slug="fee", pay=Programme.Pay.FEE)
    make_programme(slug="stipend", pay=Programme.Pay.STIPEND)

    assert found(client.get(URL, {"pay": "unpaid"})) == {"unpaid"}
    assert found(client.get(URL, {"pay": ["unpaid", "stipend"]})) == {"stipend", "unpaid"}


@pytest.mark.parametrize(
    ("bucket", "expected"),
    [
        ("up-to-4", {"one-to-four", "three-to-six", "two"}),
        ("4-to-8", {"eight-to-ten", "one-to-four", "three-to-six"}),
        ("8-plus", {"eight-to-ten", "twelve-only-max"}),
    ],
)
def test_duration_filter_keeps_programmes_whose_range_overlaps_the_bucket(client, bucket, expected):
    make_programme(slug="one-to-four", duration_min_weeks=1, duration_max_weeks=4)
    make_programme(slug="three-to-six", duration_min_weeks=3, duration_max_weeks=6)
    make_programme(slug="two", duration_min_weeks=2)
    make_programme(slug="eight-to-ten", duration_min_weeks=8, duration_max_weeks=10)
    make_programme(slug="twelve-only-max", duration_max_weeks=12)
    make_programme(slug="unknown-length")

    assert found(client.get(URL, {"duration": bucket})) == expected


@pytest.fixture
def deadlines_of_each_kind(db):
    make_programme(slug="open-feb", deadline_kind="fixed", deadline_month=2, deadline_day=15)
    make_programme(slug="open-march", deadline_kind="approximate", deadline_month=3)
    make_programme(slug="rolling", deadline_kind="rolling", deadline_lead_weeks=8)
    make_programme(slug="varies", deadline_kind="varies", deadline_note="By department")
    make_programme(slug="unknown")


@pytest.mark.usefixtures("deadlines_of_each_kind")
def test_deadline_filter_uses_todays_date_and_never_closes_a_yearly_date(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 20))

    assert found(client.get(URL, {"deadline": "closing_soon"})) == {"open-feb"}
    assert found(client.get(URL, {"deadline": "within_3_months"})) == {"open-feb", "open-march"}
    assert found(client.get(URL, {"deadline": "rolling"})) == {"rolling"}
    assert found(client.get(URL, {"deadline": "varies"})) == {"varies"}
    assert found(client.get(URL, {"deadline": "unknown"})) == {"unknown"}

    monkeypatch.setattr(clock, "today", lambda: date(2027, 3, 1))

    # "March", day not stated: due this month; 15 February is expected again in 2028.
    assert found(client.get(URL, {"deadline": "closing_soon"})) == {"open-march"}
    assert found(client.get(URL, {"deadline": "within_3_months"})) == {"open-march"}


def test_the_deadline_filter_offers_states_in_students_words(client):
    options = client.get(URL).context["options"]["deadline"]

    assert [option.label for option in options] == [
        "Due within a month",
        "Due within three months",
        "Rolling: apply ahead of your start",
        "Varies, or a season only",
        "No deadline stated",
    ]


def test_delivery_filter_counts_hybrid_as_both(client):
    make_programme(slug="in-person", delivery="in_person")
    make_programme(slug="virtual", delivery="virtual")
    make_programme(slug="hybrid", delivery="hybrid")

    assert found(client.get(URL, {"delivery": "in_person"})) == {"hybrid", "in-person"}
    assert found(client.get(URL, {"delivery": "virtual"})) == {"hybrid", "virtual"}


def test_drafts_and_archived_programmes_are_never_listed(client):
    make_programme(slug="published")
    make_programme(slug="draft", status=Programme.Status.DRAFT)
    make_programme(slug="archived", status=Programme.Status.ARCHIVED)

    assert found(client.get(URL)) == {"published"}


def test_filters_combine(client):
    uk, us = make_country("GB"), make_country("US")
    make_programme(slug="uk-unpaid-research", countries=[uk], programme_type="research")
    make_programme(slug="uk-unpaid-shadowing", countries=[uk])
    make_programme(slug="uk-paid-research", countries=[uk], programme_type="research", pay="paid")
    make_programme(slug="us-unpaid-research", countries=[us], programme_type="research")

    response = client.get(URL, {"country": "GB", "pay": "unpaid", "type": "research"})

    assert found(response) == {"uk-unpaid-research"}
    assert "1 programme</h2>" in text(response)


# Sorting.


def test_programmes_are_sorted_by_name_a_to_z_ignoring_case_by_default(client):
    for title in ("Zeta", "alpha", "Mu"):
        make_programme(slug=title.lower(), title=title)

    assert slugs(client.get(URL)) == ["alpha", "mu", "zeta"]


@pytest.mark.usefixtures("deadlines_of_each_kind")
def test_sorting_by_deadline_puts_the_next_one_first_and_undated_last(client):
    make_programme(slug="closed-jan", deadline_kind="fixed", deadline_month=1, deadline_day=1)
    make_programme(slug="open-dec", deadline_kind="fixed", deadline_month=12, deadline_day=1)

    assert slugs(client.get(URL, {"sort": "deadline"})) == [
        "closed-jan",  # today is 1 January, so this one closes today
        "open-feb",
        "open-march",
        "open-dec",
        "rolling",
        "varies",
        "unknown",
    ]


def test_sorting_by_duration_puts_the_shortest_first_and_unknown_last(client):
    make_programme(slug="unknown", title="A")
    make_programme(slug="eight", title="B", duration_min_weeks=8)
    make_programme(slug="one-to-four", title="C", duration_min_weeks=1, duration_max_weeks=4)
    make_programme(slug="up-to-two", title="D", duration_max_weeks=2)

    assert slugs(client.get(URL, {"sort": "duration"})) == [
        "one-to-four",
        "up-to-two",
        "eight",
        "unknown",
    ]


@pytest.mark.parametrize("sort", ["name", "deadline", "duration"])
def test_every_sort_lists_each_programme_once_under_multi_valued_filters(client, sort):
    europe = make_region(slug="europe")
    cardio, neuro = make_speciality(slug="cardiology"), make_speciality(slug="neurology")
    countries = [make_country(region=europe) for _ in range(2)]
    make_programme(slug="a", countries=countries, specialities=[cardio, neuro])
    make_programme(slug="b", countries=countries[:1], specialities=[neuro], duration_min_weeks=2)

    response = client.get(
        URL, {"sort": sort, "region": "europe", "speciality": ["cardiology", "neurology"]}
    )

    assert sorted(slugs(response)) == ["a", "b"]


# Active-filter chips, the empty state and facet counts.


def test_active_filters_show_as_chips_and_removing_one_keeps_the_others(client):
    uk = make_country("GB", name="United Kingdom")
    cardio = make_speciality(slug="cardiology", name="Cardiology")
    neuro = make_speciality(slug="neurology", name="Neurology")
    make_programme(countries=[uk], specialities=[cardio, neuro])

    response = client.get(
        URL, {"country": "GB", "speciality": ["cardiology", "neurology"], "page": "1"}
    )
    chips = {chip.label: chip for chip in response.context["chips"]}

    assert set(chips) == {
        "Country: United Kingdom",
        "Speciality: Cardiology",
        "Speciality: Neurology",
    }
    html = text(response)
    assert 'href="?speciality=cardiology&amp;speciality=neurology"' in html
    assert 'href="?country=GB&amp;speciality=neurology"' in html
    assert "Remove filter </span>Speciality: Cardiology" in html


def test_a_search_chip_quotes_the_words(client):
    make_programme(title="London")

    assert "Search: “london”" in text(client.get(URL, {"q": "london"}))


def test_no_results_suggest_removing_filters_and_link_to_clear_them_all(client):
    make_programme(pay="unpaid", programme_type="research")

    response = client.get(URL, {"pay": "paid", "type": "research"})
    html = text(response)

    assert slugs(response) == []
    assert "0 programmes" in html
    assert "No programmes match all of these filters." in html
    assert "Try removing one of the filters" in html
    assert '<a class="button button--quiet" href="/programmes/">Clear all filters</a>' in html


def test_each_option_counts_what_choosing_it_would_give(client):
    uk, us = make_country("GB", name="United Kingdom"), make_country("US", name="USA")
    make_programme(countries=[uk], pay="unpaid", programme_type="research")
    make_programme(countries=[uk], pay="fee")
    make_programme(countries=[us], pay="unpaid")

    response = client.get(URL, {"country": "GB", "pay": "unpaid"})
    options = response.context["options"]
    count = {name: {o.value: o.count for o in options[name]} for name in options}

    # Each facet applies the other filters but not its own.
    assert count["pay"]["unpaid"] == 1
    assert count["pay"]["fee"] == 1
    assert count["country"] == {"GB": 1, "US": 1}
    assert count["type"]["research"] == 1
    assert count["type"]["shadowing"] == 0
    assert "United Kingdom (1)" in text(response)


# The real directory, transcribed from the guides.


def test_the_real_directory_filters_by_region_and_by_country_with_pay(client, seeded):
    europe = found(client.get(URL, {"region": "europe"}))
    uk_unpaid = found(client.get(URL, {"country": "GB", "pay": "unpaid"}))

    assert europe >= {
        "lite-regal-medical-internship-shadowing-london",
        "uclh-hospital-shadowing-elective",
        "barts-health-summer-internship",
        "ucl-summer-research-internship",
        "mrc-lab-based-summer-studentships",
        "semmelweis-international-mobility-placements",  # Germany among its countries
    }
    assert "nhgri-summer-internship-biomedical-research" not in europe  # in the USA
    assert uk_unpaid >= {"uclh-hospital-shadowing-elective", "barts-health-summer-internship"}
    assert "lite-regal-medical-internship-shadowing-london" not in uk_unpaid  # fee-charging
    assert "ucl-summer-research-internship" not in uk_unpaid  # paid


def test_the_profiles_start_date_offers_today_onwards_on_every_day(client, pin_today, settings):
    """The empty profile form is made once per data version and shared; its start date's range
    (today to MAX_PLAN_YEARS ahead) still moves with the day when nothing in the directory changed."""
    settings.PAGE_CACHE_SECONDS = 0  # the view itself, each time
    make_programme(title="Any programme")
    pin_today(date(2027, 3, 1))
    assert 'min="2027-03-01"' in client.get("/programmes/").content.decode()

    pin_today(date(2027, 3, 2))  # the next day, no edit between

    assert 'min="2027-03-02"' in client.get("/programmes/").content.decode()
