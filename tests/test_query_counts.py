"""Each page type runs a fixed number of queries whatever the data's size (the benchmark reports
the time; these tests lock the counts)."""

import pytest
from django.core.cache import cache

from tests.factories import (
    make_country,
    make_programme,
    make_region,
    make_speciality,
    make_study_level,
)

pytestmark = pytest.mark.django_db

THREE_FILTERS_AND_SORT = {
    "region": "europe",
    "type": "shadowing",
    "pay": "unpaid",
    "sort": "deadline",
}


def build(size: int) -> None:
    europe = make_region(slug="europe")
    countries = [make_country(region=europe) for _ in range(3)]
    levels = [make_study_level() for _ in range(2)]
    speciality = make_speciality()
    for n in range(size):
        make_programme(
            countries=countries[: n % 3 + 1], study_levels=levels, specialities=[speciality]
        )


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        ("/", {}, 4),
        # 11 for the list, + 5 for the decision tools (profile form choices, benchmarks, rates)
        ("/programmes/", {}, 16),
        # + the region slug checked against the database, + one facet count per scalar filter
        ("/programmes/", THREE_FILTERS_AND_SORT, 19),
        ("/programmes.csv", THREE_FILTERS_AND_SORT, 3),
        ("/programmes/feed.atom", {}, 1),
    ],
)
@pytest.mark.parametrize("size", [3, 30])
def test_each_page_type_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, url, params, queries, size
):
    build(size)
    cache.clear()

    with django_assert_num_queries(queries):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200


def test_a_cached_page_runs_no_queries_at_all(client, django_assert_num_queries):
    build(3)
    client.get("/programmes/", THREE_FILTERS_AND_SORT)

    with django_assert_num_queries(0):
        assert client.get("/programmes/", THREE_FILTERS_AND_SORT).status_code == 200
