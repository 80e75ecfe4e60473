"""Search ignores case and accents on both databases; PostgreSQL ranks by relevance."""

import re

import pytest
from django.db import connection

from programs.core.text import fold
from programs.models import Programme
from tests.factories import make_country, make_organisation, make_programme

pytestmark = pytest.mark.django_db
URL = "/programmes/"


def found(client, q: str) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [c.programme.slug for c in response.context["cards"]]


def test_folding_drops_accents_and_case():
    assert fold("Côte d'Ivoire") == "cote d'ivoire"
    assert fold("CÔTE") == "cote"
    assert fold("Straße") == "strasse"


def test_cote_finds_cote_divoire_whatever_the_accents_or_case(client):
    ivory = make_country("CI", name="Côte d'Ivoire")
    make_programme(slug="abidjan", title="Abidjan elective", countries=[ivory])
    make_programme(slug="elsewhere", title="Lyon elective")

    for q in ("cote", "Côte", "CÔTE", "COTE d'ivoire"):
        assert found(client, q) == ["abidjan"], q


def test_accented_words_in_titles_and_organisations_match_plain_letters(client):
    make_programme(
        slug="geneve",
        title="Stage à Genève",
        organisation=make_organisation(name="Hôpital Universitaire"),
    )

    assert found(client, "geneve") == ["geneve"]
    assert found(client, "hopital") == ["geneve"]


def test_renaming_a_country_updates_what_search_finds(client):
    country = make_country("CI", name="Ivory Coast")
    make_programme(slug="abidjan", countries=[country])
    country.name = "Côte d'Ivoire"
    country.save()

    assert found(client, "cote") == ["abidjan"]
    assert Programme.objects.get().search_text.count("ivoire") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="websearch and ranking: PostgreSQL")
def test_postgresql_ranks_by_relevance_and_understands_web_search_syntax(client):
    make_programme(slug="a-passing-mention", title="Alpha placement", summary="Some cardiology.")
    make_programme(
        slug="z-all-about-it",
        title="Zeta cardiology cardiology",
        summary="Cardiology wards, cardiology clinics.",
    )
    make_programme(slug="surgery", title="Surgery placement", summary="Theatre and cardiology.")

    assert found(client, "cardiology") == ["z-all-about-it", "a-passing-mention", "surgery"]
    assert set(found(client, "cardiology -surgery")) == {"z-all-about-it", "a-passing-mention"}
    assert found(client, "cardiology sort") == []  # every word must match
    assert found(client, '"theatre and cardiology"') == ["surgery"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index: PostgreSQL")
def test_postgresql_keeps_a_gin_indexed_weighted_search_document():
    make_programme(slug="stanford", title="Stanford Pediatrics", summary="Wards.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'programme_search_document_gin'"
        )
        (definition,) = cursor.fetchone()
        cursor.execute("SELECT search_document::text FROM programs_programme")
        (vector,) = cursor.fetchone()

    assert "gin (search_document)" in definition.lower()
    assert "'pediatr':2A" in vector  # the title weighs most
    assert re.search(r"'ward':\d+(?![A-D\d])", vector)  # the summary least (D is not printed)
    assert re.search(r"'shadow':\d+C", vector)  # the type of placement ("Clinical shadowing")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5: SQLite")
def test_sqlite_keeps_each_programme_in_the_fts5_table():
    programme = make_programme(slug="stanford", title="Stanford Pediatrics", summary="Clinics.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title, summary FROM programs_programme_fts WHERE rowid = %s", [programme.pk]
        )
        assert cursor.fetchone() == ("stanford pediatrics", "clinics.")
    programme.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM programs_programme_fts WHERE rowid = %s", [programme.pk]
        )
        assert cursor.fetchone() == (0,)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5: SQLite")
def test_sqlite_ranks_by_relevance_with_one_full_text_match_per_query(client):
    make_programme(slug="a-passing-mention", title="Alpha placement", summary="Some cardiology.")
    make_programme(
        slug="z-all-about-it",
        title="Zeta cardiology cardiology",
        summary="Cardiology wards, cardiology clinics.",
    )
    make_programme(slug="surgery", title="Surgery placement", summary="Theatre.")

    assert found(client, "cardiology") == ["z-all-about-it", "a-passing-mention"]
    # The rank is looked up in a table of ranks built once, not by matching again for each row
    # (an FTS5 scan constrained by rowid, "INDEX 0:=…", would run once per programme).
    plan = Programme.objects.search("cardiology").explain()
    scans = [line for line in plan.splitlines() if "programs_programme_fts VIRTUAL TABLE" in line]
    assert "MATERIALIZE" in plan
    assert scans
    assert not [line for line in scans if re.search(r"INDEX \d+:\S*=", line)], plan
