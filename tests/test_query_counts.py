"""Each page type runs a fixed number of queries whatever the data's size (the benchmark reports
the time; these tests lock the counts)."""

import pytest

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


PROFILE = {"age": "22", "eligible": "1", "max_cost": "4000"}


@pytest.mark.parametrize(
    ("url", "params", "queries"),
    [
        # the five soonest deadlines and their confirmed dates, the totals, the regions and levels
        # with their counts
        ("/", {}, 5),
        # vocabularies (regions, countries, specialities, levels, disciplines, the universities
        # the profile asks about), benchmarks, rates; the count and the page with its 6
        # prefetches (countries, cities, levels, costs, the rules the estimate reads, confirmed
        # deadlines); facets: the idle groups in one query and one GROUP BY per linked group
        # (region, country, speciality, level); whether any result has a dated deadline (the
        # calendar link)
        ("/programmes/", {}, 22),
        # + one facet query per active fixed group (type, pay)
        ("/programmes/", THREE_FILTERS_AND_SORT, 24),
        # + the synonyms
        ("/programmes/", {**THREE_FILTERS_AND_SORT, "q": "programme"}, 25),
        # + the budget's programmes (the estimate in SQL, one query of keys), less the idle
        # groups' query (pay and type are in use); "eligible only" is a condition of the same
        # queries; the page's rows add the rules' and disciplines' prefetches
        ("/programmes/", {**THREE_FILTERS_AND_SORT, **PROFILE}, 27),
        # eligibility: the vocabularies the profile reads (levels, disciplines, universities),
        # benchmarks and rates for the estimates, the three groups' counts in one query, the
        # first programmes of each group (3), the shown programmes with their 7 prefetches
        # (countries, cities, levels, costs, rules, confirmed deadlines, disciplines)
        ("/eligibility/", {"age": "22"}, 17),
        # the rows, then one query per related list the columns and derived columns read, and
        # the vocabularies the list query reads (the filters', the profile's, the estimate's)
        ("/programmes.csv", THREE_FILTERS_AND_SORT, 14),
        # the vocabularies the list query reads (as for the CSV), each history table
        # (programmes, costs, dated deadlines) in the feed's window plus the versions before it
        # of the programmes changed, and the entries' programmes (alerts.changes, publishing.feeds)
        ("/programmes/feed.atom", {}, 12),
    ],
)
@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.usefixtures("pages_uncached")
def test_each_page_type_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, url, params, queries, size
):
    build(size)

    with django_assert_num_queries(queries):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200


@pytest.mark.usefixtures("pages_uncached")
def test_no_result_suggestions_add_a_fixed_number_of_queries(client, django_assert_num_queries):
    """The synonyms again and the candidate words for each word corrected (SQLite: one UNION;
    PostgreSQL: one trigram query per word), the corrected search's count, one count per filter
    that could be dropped, and the specialities with the most programmes."""
    build(30)
    params = {**THREE_FILTERS_AND_SORT, "q": "programe"}

    with django_assert_num_queries(24):
        response = client.get("/programmes/", params)

    assert response.context["count"] == 0
    assert response.context["suggestions"] is not None


def test_a_cached_page_runs_no_queries_at_all(client, django_assert_num_queries):
    build(3)
    client.get("/programmes/", THREE_FILTERS_AND_SORT)

    with django_assert_num_queries(0):
        assert client.get("/programmes/", THREE_FILTERS_AND_SORT).status_code == 200
