"""Each page type runs a fixed number of queries whatever the data's size (the benchmark reports
the time; these tests lock the counts)."""

import pytest
from django.core.cache import cache

from programs.caching import snapshot
from programs.core import clock
from programs.listing import index as listing_index
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
            countries=countries[: n % 3 + 1],
            study_levels=levels,
            specialities=[speciality],
            deadline_kind="fixed",
            deadline_month=n % 12 + 1,
            deadline_day=1,
        )


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # the five soonest deadlines and their confirmed dates; the counts from the list index
        ("/", {}, 2),
        # a page of results and its 6 prefetches (countries, cities, levels, costs, the rules the
        # estimate reads, confirmed deadlines); counts, facets and vocabularies from memory
        ("/programmes/", {}, 7),
        ("/programmes/", THREE_FILTERS_AND_SORT, 7),
        # + the search's matches
        ("/programmes/", {**THREE_FILTERS_AND_SORT, "q": "programme"}, 8),
        # the rows, then one query per related list the columns and derived columns read
        ("/programmes.csv", THREE_FILTERS_AND_SORT, 7),
        ("/programmes/feed.atom", {}, 1),
    ],
)
@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.usefixtures("pages_uncached")
def test_each_page_type_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, url, params, queries, size
):
    build(size)
    cache.clear()
    client.get(url, params)  # the first request after a change builds the index: see below

    with django_assert_num_queries(queries):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 30])
def test_the_first_request_after_a_change_builds_the_index_in_a_fixed_number_of_queries(
    django_assert_num_queries, size
):
    """8 for the vocabularies, benchmarks, rates and own-students universities; 6 for the list index (the programmes with
    their facet flags, two sort orders, three many-to-many links)."""
    build(size)
    cache.clear()

    with django_assert_num_queries(8):
        snapshot.vocabulary()
    with django_assert_num_queries(6):
        listing_index.current(clock.today())
    cache.clear()
    with django_assert_num_queries(14):
        listing_index.current(clock.today())  # rebuilds the vocabulary it reads
    with django_assert_num_queries(0):
        snapshot.vocabulary()
        listing_index.current(clock.today())


def test_a_cached_page_runs_no_queries_at_all(client, django_assert_num_queries):
    build(3)
    client.get("/programmes/", THREE_FILTERS_AND_SORT)

    with django_assert_num_queries(0):
        assert client.get("/programmes/", THREE_FILTERS_AND_SORT).status_code == 200
