"""The list index (programs/listing_index.py) agrees with the database.

The filtered queryset (`ProgrammeFilter.qs`, which the exports and calendars use) is the reference:
for generated combinations of filters, sorts and days, the index must find the same programmes in
the same order, and each facet count must equal the number of results choosing that option gives.
"""

import random
import threading
from collections.abc import Mapping
from datetime import date

import pytest
from django.core.cache import cache
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.caching import snapshot
from programs.listing import index as listing_index
from programs.listing.facets import SCALAR_CHOICES, facets
from programs.listing.filters import ProgrammeFilter
from programs.models import LegitimacySignal, Programme
from tests.factories import (
    make_country,
    make_guide_item,
    make_guide_topic,
    make_legitimacy_signal,
    make_organisation,
    make_programme,
    make_region,
    make_speciality,
    make_study_level,
)

pytestmark = pytest.mark.django_db

TITLES = ["Alpha", "alpha", "Beta", "Élan", "Zeta", "Gamma", "beta", "Delta"]
DEADLINES: list[dict[str, str | int]] = [
    {"deadline_kind": "fixed", "deadline_month": 1, "deadline_day": 15},
    {"deadline_kind": "fixed", "deadline_month": 3, "deadline_day": 31},
    {"deadline_kind": "fixed", "deadline_month": 12, "deadline_day": 1},
    {"deadline_kind": "approximate", "deadline_month": 6},
    {"deadline_kind": "approximate"},
    {"deadline_kind": "rolling", "deadline_lead_weeks": 8},
    {"deadline_kind": "varies"},
    {"deadline_kind": "unknown"},
]
DURATIONS = [(None, None), (2, 4), (4, None), (None, 8), (6, 12), (1, 1), (8, 26)]


@pytest.fixture
def varied_directory(db):
    """40 programmes (and 4 drafts) mixing every value each filter looks at."""
    rng = random.Random(20261123)
    europe, africa = make_region(slug="europe"), make_region(slug="africa")
    countries = [make_country(region=europe) for _ in range(3)]
    countries += [make_country(region=africa) for _ in range(2)]
    specialities = [make_speciality() for _ in range(4)]
    levels = [make_study_level() for _ in range(3)]
    organisations = [make_organisation() for _ in range(5)]
    item = make_guide_item(topic=make_guide_topic(), kind="check")
    for n in range(44):
        low, high = rng.choice(DURATIONS)
        programme = make_programme(
            title=f"{rng.choice(TITLES)} {rng.choice(['care', 'Care', 'surgery'])}",
            programme_type=rng.choice(Programme.Type.values),
            pay=rng.choice(Programme.Pay.values),
            delivery=rng.choice(Programme.Delivery.values),
            duration_min_weeks=low,
            duration_max_weeks=high,
            organisation=rng.choice(organisations),
            status="draft" if n % 11 == 0 else "published",
            countries=rng.sample(countries, rng.randint(0, 2)),
            specialities=rng.sample(specialities, rng.randint(0, 2)),
            study_levels=rng.sample(levels, rng.randint(0, 3)),
            **rng.choice(DEADLINES),
        )
        if n % 4 == 0:
            state = rng.choice(LegitimacySignal.State.values)
            make_legitimacy_signal(programme, item, state=state)


def vocabulary_values(name: str) -> list[str]:
    vocabulary = snapshot.vocabulary()
    if name in SCALAR_CHOICES:
        return [value for value, _ in SCALAR_CHOICES[name]]
    rows: dict[str, Mapping[str, object]] = {
        "region": vocabulary.regions,
        "country": vocabulary.countries,
        "speciality": vocabulary.specialities,
        "level": vocabulary.levels,
    }
    return list(rows[name])


MULTIPLE = {"pay", "speciality", "level"}
# The directory is built once per test (a function-scoped fixture) and every example reads it.
ONE_DATABASE_PER_TEST = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILTERS = [*SCALAR_CHOICES, "region", "country", "speciality", "level"]


@st.composite
def requests(draw):
    """A query string of valid filters (and now and then an invalid one), a sort and a day."""
    data = QueryDict(mutable=True)
    for name in draw(st.lists(st.sampled_from(FILTERS), max_size=4, unique=True)):
        values = [*vocabulary_values(name), "not-a-choice"]
        count = draw(st.integers(1, 2)) if name in MULTIPLE else 1
        data.setlist(name, draw(st.lists(st.sampled_from(values), min_size=count, max_size=count)))
    if draw(st.booleans()):
        data["q"] = draw(st.sampled_from(["care", "surgery", "elan", "alpha -care", "zzz"]))
    if draw(st.booleans()):
        data["no_red_flags"] = "1"
    data["sort"] = draw(st.sampled_from(["", "name", "deadline", "duration"]))
    today = draw(st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)))
    return data, today


def both_ways(data: QueryDict, today: date):
    """(the database's pks in order, the index's selection) for one request."""
    reference = ProgrammeFilter(data, queryset=Programme.objects.published(), today=today)
    expected = list(reference.qs.values_list("pk", flat=True))
    filterset = ProgrammeFilter(
        data, queryset=Programme.objects.published(), today=today, vocabulary=snapshot.vocabulary()
    )
    filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    found = listing_index.search(cleaned["q"]) if cleaned.get("q") else None
    index = listing_index.build(today)
    selection = listing_index.Selection(index, cleaned, found, Programme.objects.published())
    return expected, selection, filterset


@pytest.mark.usefixtures("varied_directory")
@settings(ONE_DATABASE_PER_TEST, max_examples=150)
@given(request=requests())
def test_the_index_finds_what_the_database_finds_in_the_same_order(request):
    data, today = request
    expected, selection, _ = both_ways(data, today)

    assert selection.count() == len(expected), data.urlencode()
    assert [p.pk for p in selection[0 : len(expected)]] == expected, data.urlencode()
    # And page by page, as the paginator asks for them.
    for start in range(0, len(expected), 7):
        assert [p.pk for p in selection[start : start + 7]] == expected[start : start + 7]


@pytest.mark.usefixtures("varied_directory")
@settings(ONE_DATABASE_PER_TEST, max_examples=25)
@given(request=requests())
def test_each_facet_count_is_what_choosing_that_option_would_give(request):
    data, today = request
    _, selection, filterset = both_ways(data, today)
    options = facets(filterset, selection, snapshot.vocabulary())

    for name in FILTERS:
        for option in options[name]:
            chosen = data.copy()
            chosen.setlist(name, [option.value])
            reference = ProgrammeFilter(chosen, queryset=Programme.objects.published(), today=today)
            assert option.count == reference.qs.count(), (name, option.value, data.urlencode())


def test_sets_round_trip_through_their_members():
    pks = [0, 1, 7, 8, 9, 63, 64, 1000, 99_999]

    assert listing_index.members(listing_index.to_bits(pks)) == pks
    assert listing_index.to_bits([]) == 0
    assert listing_index.members(0) == []


def test_a_sparse_and_a_dense_selection_page_through_the_same_order():
    everyone = list(range(1, 2001))
    order = listing_index.Order.of(reversed(everyone), largest_pk=2000)
    index = listing_index.ListingIndex(
        universe=listing_index.to_bits(everyone),
        options={},
        no_red_flags=0,
        named=0,
        organisations=0,
        orders={"name": order},
    )
    sparse = listing_index.to_bits([5, 1500, 17, 900])
    dense = listing_index.to_bits(pk for pk in everyone if pk % 3)

    assert index.page(sparse, order, 0, 10) == [1500, 900, 17, 5]
    assert index.page(sparse, order, 2, 10) == [17, 5]
    assert index.page(dense, order, 0, 3) == [2000, 1999, 1997]
    assert index.page(dense, order, 5000, 5020) == []


def test_a_programme_saved_after_the_index_was_built_counts_at_once(client):
    region = make_region(slug="europe")
    make_programme(countries=[make_country(region=region)])
    assert client.get("/").context["totals"]["programmes"] == 1

    make_programme(countries=[make_country(region=region)])

    response = client.get("/programmes/", {"region": "europe"})
    assert response.context["count"] == 2
    assert client.get("/").context["totals"]["programmes"] == 2


def test_home_counts_come_from_the_index_and_match_the_database(client, varied_directory):
    published = Programme.objects.published()
    totals = client.get("/").context["totals"]

    named = published.filter(listing_kind="programme")
    assert totals == {
        "programmes": named.count(),
        "routes": published.exclude(listing_kind="programme").count(),
        "countries": published.values("countries").exclude(countries=None).distinct().count(),
        "organisations": published.values("organisation").distinct().count(),
    }


def test_an_empty_multiple_choice_is_no_filter(varied_directory):
    data = QueryDict("pay=&speciality=")
    expected, selection, _ = both_ways(data, date(2027, 1, 1))

    assert selection.count() == len(expected) == Programme.objects.published().count()


def test_a_value_kept_per_generation_may_be_built_from_another():
    """The list index reads the vocabulary while it is built; after a change both are rebuilt
    in one request, so the lock around building must let the same thread in again."""
    result = []

    def inner() -> str:
        return "vocabulary"

    def outer() -> str:
        return snapshot.per_generation("test-inner", None, inner) + " and index"

    def build_both() -> None:
        cache.clear()  # a new generation: nothing is held
        result.append(snapshot.per_generation("test-outer", None, outer))

    worker = threading.Thread(target=build_both, daemon=True)
    worker.start()
    worker.join(timeout=10)

    assert not worker.is_alive(), "building one value from another deadlocked"
    assert result == ["vocabulary and index"]


def test_what_a_process_keeps_is_rebuilt_once_older_than_the_limit(settings):
    """Without a shared cache a process cannot see other processes' changes; age bounds that."""
    builds = []

    def build() -> int:
        builds.append(1)
        return len(builds)

    assert snapshot.per_generation("test-age", None, build) == 1
    assert snapshot.per_generation("test-age", None, build) == 1
    settings.SNAPSHOT_SECONDS = 0

    assert snapshot.per_generation("test-age", None, build) == 2
