""" "Did you mean" reads an index of the directory's words (`SearchWord`), kept with the search
documents, on SQLite and PostgreSQL (a trigram index there)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.listing import search_sync, suggest
from programs.models import Programme, SearchWord
from tests.factories import make_country, make_programme

pytestmark = pytest.mark.django_db


def counted() -> dict[str, int]:
    return dict(SearchWord.objects.values_list("word", "documents"))


def test_a_programmes_words_are_counted_when_it_is_saved_changed_and_deleted():
    first = make_programme(title="Nephrology ward placement", summary="A placement.")
    make_programme(title="Dermatology ward", summary="Clinic days.")

    assert counted()["nephrology"] == 1
    assert counted()["ward"] == 2

    first.title = "Cardiology ward placement"
    first.save()

    assert "nephrology" not in counted()
    assert counted()["cardiology"] == 1
    assert counted()["ward"] == 2

    first.delete()

    assert "cardiology" not in counted()
    assert "placement" not in counted()  # the other one's summary has no such word
    assert counted()["ward"] == 1


def test_rebuilding_counts_exactly_what_the_saves_kept():
    for n, title in enumerate(["Tropical medicine elective", "Rural surgery", "Tropical surgery"]):
        programme = make_programme(title=title, summary=f"Week {n} on the wards.")
    programme.delete()
    kept = counted()

    search_sync.rebuild_words()

    assert counted() == kept
    assert kept["tropical"] == 1
    assert "12" not in kept and "on" not in kept  # numbers and two-letter words are never offered


def test_a_misspelt_word_is_corrected_to_the_directorys_word(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    make_programme(title="Cardiology elective in Lyon")
    make_programme(title="Neurology shadowing")

    response = client.get("/programmes/", {"q": "cardiolgy"})

    assert response.context["count"] == 0
    assert response.context["suggestions"].correction == "cardiology"
    assert response.context["suggestions"].correction_count == 1


def test_a_correction_asks_the_word_index_not_the_programmes():
    make_programme(title="Cardiology elective")

    with CaptureQueriesContext(connection) as queries:
        assert suggest.correction("cardiolgy electve") == "cardiology elective"

    assert len(queries) == 2  # one per word corrected
    assert all("programs_searchword" in q["sql"] for q in queries.captured_queries)
    assert not any(Programme._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_renaming_a_country_of_many_programmes_moves_each_word_in_a_few_updates():
    """A rename rewrites every programme that names the country; each word's count changes by the
    number of documents that gained or lost it, in one update per distinct change (not one per
    programme: 10,000 updates of the same rows took minutes on PostgreSQL)."""
    country = make_country("NL", name="Holland")
    for n in range(12):
        make_programme(title=f"Elective number {n}", countries=[country])
    make_programme(title="Holland elective at home")  # names the word without the country
    assert counted()["holland"] == 13

    with CaptureQueriesContext(connection) as queries:
        country.name = "Netherlands"
        country.save()

    words = counted()
    assert (words["holland"], words["netherlands"]) == (1, 12)
    kept = dict(words)
    search_sync.rebuild_words()
    assert counted() == kept
    word_writes = [q for q in queries if "programs_searchword" in q["sql"] and "UPDATE" in q["sql"]]
    assert len(word_writes) <= 2
