"""Each page type runs a fixed number of queries whatever the data's size (the benchmark reports
the time; these tests lock the counts)."""

import pytest

from programs.caching import vocabulary as shared_vocabulary
from programs.models import Programme, Region, StudyLevel
from tests.factories import (
    make_country,
    make_programme,
    make_region,
    make_rule,
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
        # (the vocabularies, benchmarks, rates and synonyms come from their shared copy:
        # programs/caching/vocabulary.py) the page with its 6 prefetches (countries, cities,
        # levels, costs, the rules the estimate reads, confirmed deadlines); the count, the
        # calendar flag and the fixed groups' counts in one query, the linked groups' (region,
        # country, speciality, level) in one UNION
        ("/programmes/", {}, 9),
        # filters and a sort: the same queries
        ("/programmes/", THREE_FILTERS_AND_SORT, 9),
        # a search: the same queries
        ("/programmes/", {**THREE_FILTERS_AND_SORT, "q": "programme"}, 9),
        # + the budget's programmes (the estimate in SQL, one query of keys); "eligible only" is
        # a condition of the same queries (the rules' levels add two prefetches where rules
        # exist, the disciplines one for a profile with a discipline)
        ("/programmes/", {**THREE_FILTERS_AND_SORT, **PROFILE}, 10),
        # eligibility: the three groups' counts in one query, the first programmes of each
        # group (3), the shown programmes with their 6 prefetches (countries, cities, levels,
        # costs, rules, confirmed deadlines)
        ("/eligibility/", {"age": "22"}, 11),
        # the rows, then one query per related list the columns and derived columns read
        ("/programmes.csv", THREE_FILTERS_AND_SORT, 6),
        # each history table (programmes, costs, dated deadlines) in the feed's window plus the
        # versions before it of the programmes changed, and the entries' programmes (alerts.changes, publishing.feeds)
        ("/programmes/feed.atom", {}, 5),
    ],
)
@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.usefixtures("pages_uncached")
def test_each_page_type_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, url, params, queries, size
):
    build(size)
    shared_vocabulary.shared()  # as every request after the first since the last edit finds it

    with django_assert_num_queries(queries):
        response = client.get(url, params)
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200


@pytest.mark.usefixtures("pages_uncached")
def test_no_result_suggestions_add_a_fixed_number_of_queries(client, django_assert_num_queries):
    """The count and facets (2), the candidate words for each word corrected (one query of the
    word index each), the corrected search's count, one count per filter that could be dropped
    (4), and the specialities with the most programmes."""
    build(30)
    shared_vocabulary.shared()
    params = {**THREE_FILTERS_AND_SORT, "q": "programe"}

    with django_assert_num_queries(9):
        response = client.get("/programmes/", params)

    assert response.context["count"] == 0
    assert response.context["suggestions"] is not None


def test_a_cached_page_runs_no_queries_at_all(client, django_assert_num_queries):
    build(3)
    client.get("/programmes/", THREE_FILTERS_AND_SORT)

    with django_assert_num_queries(0):
        assert client.get("/programmes/", THREE_FILTERS_AND_SORT).status_code == 200


MOST_LIST_QUERIES = 12


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.usefixtures("pages_uncached")
def test_a_list_with_every_kind_of_parameter_runs_at_most_twelve_queries_at_any_size(
    client, django_assert_num_queries, size
):
    """A search, three filters, a profile with a study level, "eligible only" and a budget, over
    programmes whose rules name study levels: the same 12 queries whatever the directory's size
    (the 10 above, and the rules' clear and unclear levels)."""
    build(size)
    for programme in Programme.objects.all():
        rule = make_rule(programme, kind="study_level", text="Medical students.")
        rule.study_levels.set(StudyLevel.objects.all()[:1])
    level = StudyLevel.objects.all()[0].slug
    params = {**THREE_FILTERS_AND_SORT, "q": "programme", **PROFILE, "study": level}
    shared_vocabulary.shared()

    with django_assert_num_queries(MOST_LIST_QUERIES):
        response = client.get("/programmes/", params)

    assert response.context["count"] > 0
    assert all(row.verdict is not None for row in response.context["cards"])


@pytest.mark.usefixtures("pages_uncached")
def test_the_vocabularies_are_read_once_per_data_version_and_an_edit_shows_at_once(
    client, django_assert_num_queries
):
    build(3)
    client.get("/programmes/")  # reads the vocabularies and shares them

    with django_assert_num_queries(9):
        client.get("/programmes/", {"page": "1"})

    europe = Region.objects.get(slug="europe")
    europe.name = "Europe and the Caucasus"
    europe.save()

    with django_assert_num_queries(9 + VOCABULARY_QUERIES):
        html = client.get("/programmes/").content.decode()
    assert "Europe and the Caucasus" in html


# Regions, countries, specialities, study levels, disciplines, benchmarks, rates, universities,
# synonyms, the longest stated length.
VOCABULARY_QUERIES = 10
