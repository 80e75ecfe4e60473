"""Every facet count the list shows is the number of results its link gives (the rule in
programs/listing/facets.py): for any filters, search, budget and profile, on SQLite and PostgreSQL.

The example budget is small in `make test` (FACET_EXAMPLES, 10); `make test-scale`
(HYPOTHESIS_PROFILE=ci) runs 60.
"""

import os
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.core import clock
from programs.listing.choices import DeadlineChoice
from programs.listing.facets import RULE
from programs.listing.filters import FACET_GROUPS
from programs.models import Programme
from tests.factories import (
    make_cost,
    make_country,
    make_programme,
    make_region,
    make_rule,
    make_speciality,
    make_study_level,
)

pytestmark = pytest.mark.django_db
URL = "/programmes/"
MULTI_SELECT = {"type", "speciality", "level", "pay"}
# Each example requests the list once per option shown (about 35 pages, some 3 s), so this test has
# its own budget: 10 examples in `make test`, 60 in `make test-scale` (HYPOTHESIS_PROFILE=ci, once
# in CI), FACET_EXAMPLES to explore further. The fuzzing profile's 400 would be 14,000 pages.
EXAMPLES = settings(
    max_examples=int(
        os.environ.get("FACET_EXAMPLES", "60" if os.environ.get("HYPOTHESIS_PROFILE") else "10")
    )
)
TYPES = Programme.Type.values
PAYS = Programme.Pay.values
WORDS = ["ward", "london", "paid", "research", "kenya", "nothing-like-it"]


@pytest.fixture
def directory(pin_today, settings):
    """18 programmes spread over every filter, with costs and age rules to vary the checks
    made in Python."""
    settings.PAGE_CACHE_SECONDS = 0
    pin_today(date(2027, 3, 15))
    europe, africa = make_region(slug="europe"), make_region(slug="africa")
    countries = [
        make_country("GB", name="United Kingdom", region=europe),
        make_country("FR", name="France", region=europe),
        make_country("KE", name="Kenya", region=africa),
    ]
    specialities = [make_speciality(slug=s) for s in ("surgery", "paediatrics", "oncology")]
    levels = [make_study_level(slug=s) for s in ("medical-student", "graduate")]
    for n in range(18):
        programme = make_programme(
            slug=f"p{n}",
            title=["London ward", "Paris research", "Nairobi clinic"][n % 3] + f" {n}",
            summary=["Paid posts.", "Mostly unpaid.", "A ward round."][n % 3],
            programme_type=TYPES[n % len(TYPES)],
            pay=PAYS[n % len(PAYS)],
            countries=countries[n % 3 : n % 3 + 1 + n % 2],
            specialities=specialities[: n % 4],
            study_levels=levels[n % 2 : 1 + n % 3],
            delivery=["in_person", "virtual", "hybrid"][n % 3],
            duration_min_weeks=[None, 2, 4, 8][n % 4],
            duration_max_weeks=[None, 4, 8, 12][n % 4],
            deadline_kind=["fixed", "rolling", "unknown", "approximate"][n % 4],
            deadline_month=[n % 12 + 1, None, None, (n * 5) % 12 + 1][n % 4],
            deadline_day=[n + 1, None, None, None][n % 4],
            deadline_lead_weeks=[None, 8, None, None][n % 4],
        )
        if n % 3:
            make_cost(programme, amount_min=Decimal(300 * n), currency="EUR", period="one_off")
        if n % 4 == 1:
            make_rule(programme, kind="min_age", min_age=18 + n % 5, text="Aged 18 or over.")


def choice(options):
    return st.none() | st.sampled_from(options)


filters = st.fixed_dictionaries(
    {},
    optional={
        "q": st.sampled_from(WORDS) | st.lists(st.sampled_from(WORDS), max_size=2).map(" ".join),
        "region": st.sampled_from(["europe", "africa"]),
        "country": st.sampled_from(["GB", "FR", "KE"]),
        "type": st.lists(st.sampled_from(TYPES), max_size=2),
        "speciality": st.lists(st.sampled_from(["surgery", "paediatrics", "oncology"]), max_size=2),
        "level": st.lists(st.sampled_from(["medical-student", "graduate"]), max_size=2),
        "pay": st.lists(st.sampled_from(PAYS), max_size=3),
        "duration": st.sampled_from(["up-to-4", "4-to-8", "8-plus"]),
        "deadline": st.sampled_from(DeadlineChoice.values),
        "delivery": st.sampled_from(["in_person", "virtual"]),
        "no_red_flags": st.just("1"),
        "max_cost": st.integers(0, 6000).map(str),
        "age": st.integers(16, 24).map(str),
        "eligible": st.just("1"),
        "sort": st.sampled_from(["name", "deadline", "duration", "cost"]),
    },
)


def count(client, params) -> int:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["count"]


def with_option(params: dict, group: str, value: str) -> dict:
    """The rule: the option replaces its group's choice (a multi-select box ticked alone)."""
    return {**params, group: [value] if group in MULTI_SELECT else value, "page": None}


@pytest.mark.usefixtures("directory")
@settings(EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=filters, groups=st.lists(st.sampled_from(FACET_GROUPS), min_size=1, max_size=2))
def test_every_facet_count_is_what_its_option_alone_shows_with_the_other_filters(
    client, params, groups
):
    params = {k: v for k, v in params.items() if v not in ("", [])}
    response = client.get(URL, params)
    assert response.status_code == 200
    options = response.context["options"]

    for group in dict.fromkeys(groups):
        for option in options[group]:
            expected = count(
                client,
                {
                    k: v
                    for k, v in with_option(params, group, option.value).items()
                    if v is not None
                },
            )
            assert option.count == expected, (group, option.value, params)


def test_the_list_states_the_counting_rule_once(client, directory):
    html = client.get(URL).content.decode()

    assert html.count(RULE) == 1


@pytest.mark.usefixtures("directory")
def test_under_a_budget_the_type_counts_add_up_to_the_results(client):
    response = client.get(URL, {"max_cost": "1500"})

    assert response.context["count"] == sum(o.count for o in response.context["options"]["type"])
    assert response.context["count"] < Programme.objects.count()


@pytest.mark.usefixtures("directory")
def test_ticking_a_second_pay_box_adds_its_programmes(client):
    options = {o.value: o.count for o in client.get(URL, {"pay": "paid"}).context["options"]["pay"]}

    both = count(client, {"pay": ["paid", "stipend"]})

    assert both == options["paid"] + options["stipend"]
    assert clock.today() == date(2027, 3, 15)


@pytest.mark.usefixtures("directory")
def test_ticking_a_second_type_adds_its_programmes_and_a_single_type_link_still_works(client):
    options = {
        o.value: o.count for o in client.get(URL, {"type": "research"}).context["options"]["type"]
    }

    both = count(client, {"type": ["research", "shadowing"]})

    assert both == options["research"] + options["shadowing"]
    assert count(client, {"type": "research"}) == options["research"] > 0
