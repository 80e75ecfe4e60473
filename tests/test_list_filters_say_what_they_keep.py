"""The list's filters say what they keep: several types at once, length options that name what
they include, and a removable chip (counted) for every filter that narrows the results."""

from datetime import date
from decimal import Decimal

import pytest

from programs.core import clock
from tests.factories import make_cost, make_programme, make_rule

URL = "/programmes/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch, settings):
    settings.PAGE_CACHE_SECONDS = 0
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 1))


def found(response) -> set[str]:
    assert response.status_code == 200
    return {card.programme.slug for card in response.context["cards"]}


def chips(response) -> dict[str, dict]:
    return {chip.label: chip.change for chip in response.context["chips"]}


def test_two_types_keep_programmes_of_either_type(client):
    make_programme(slug="lab", programme_type="research")
    make_programme(slug="ward", programme_type="shadowing")
    make_programme(slug="town", programme_type="public_health")

    assert found(client.get(URL, {"type": ["research", "shadowing"]})) == {"lab", "ward"}


def test_an_older_single_type_link_still_filters(client):
    make_programme(slug="lab", programme_type="research")
    make_programme(slug="ward", programme_type="shadowing")

    assert found(client.get(f"{URL}?type=research")) == {"lab"}


def test_type_is_a_group_of_checkboxes_each_with_its_own_chip(client):
    make_programme(programme_type="research")
    make_programme(programme_type="shadowing")

    response = client.get(URL, {"type": ["research", "shadowing"]})
    html = response.content.decode()

    assert "<legend>Type of placement</legend>" in html
    assert 'name="type" value="research" checked' in html
    assert chips(response) == {
        "Type of placement: Research": {"type": ["shadowing"]},
        "Type of placement: Clinical shadowing": {"type": ["research"]},
    }
    assert "(2 active)" in html


def test_a_4_to_8_week_programme_is_offered_as_doable_in_4_weeks_and_labelled_so(client):
    make_programme(slug="four-to-eight", duration_min_weeks=4, duration_max_weeks=8)
    make_programme(slug="six", duration_min_weeks=6, duration_max_weeks=6)
    make_programme(slug="two", duration_min_weeks=2, duration_max_weeks=2)

    response = client.get(URL, {"duration": "up-to-4"})
    labels = {o.value: o.label for o in response.context["options"]["duration"]}

    assert found(response) == {"four-to-eight", "two"}
    assert labels["up-to-4"] == "Can be done in 4 weeks or less"
    assert "six" not in found(response)
    assert "is under each option it reaches" in response.content.decode()


def test_each_length_option_keeps_the_programmes_that_can_last_that_long(client):
    make_programme(slug="four-to-eight", duration_min_weeks=4, duration_max_weeks=8)
    make_programme(slug="two", duration_min_weeks=2, duration_max_weeks=2)
    make_programme(slug="ten", duration_min_weeks=10, duration_max_weeks=12)

    assert found(client.get(URL, {"duration": "4-to-8"})) == {"four-to-eight"}
    assert found(client.get(URL, {"duration": "8-plus"})) == {"four-to-eight", "ten"}


def test_the_budget_has_a_chip_that_removes_only_the_budget_and_is_counted(client):
    cheap = make_programme(slug="cheap", duration_min_weeks=2, programme_type="research")
    make_cost(cheap, amount_min=Decimal(500), currency="EUR", period="one_off")
    dear = make_programme(slug="dear", duration_min_weeks=2, programme_type="research")
    make_cost(dear, amount_min=Decimal(9000), currency="EUR", period="one_off")

    response = client.get(URL, {"max_cost": "2000", "currency": "EUR", "type": "research"})

    assert found(response) == {"cheap"}
    assert chips(response)[
        "Budget, all-in: up to €2,000, each programme at its shortest stated length"
    ] == {"max_cost": None}
    html = response.content.decode()
    assert "(2 active)" in html
    assert 'href="?currency=EUR&amp;type=research"' in html


def test_eligible_only_has_a_chip_when_a_profile_makes_it_apply(client):
    old_enough = make_programme(slug="adults")
    make_rule(old_enough, kind="min_age", min_age=18, text="Aged 18 or over.")
    make_programme(slug="anyone")

    with_profile = client.get(URL, {"age": "17", "eligible": "1"})
    without_profile = client.get(URL, {"eligible": "1"})

    assert chips(with_profile) == {"Only programmes I may be eligible for": {"eligible": None}}
    assert "(1 active)" in with_profile.content.decode()
    assert chips(without_profile) == {}
