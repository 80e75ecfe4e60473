"""Destinations: regions with their programme counts, and each region's notes and programmes."""

import pytest
from django.urls import reverse

from programs.models import DestinationNote, Programme
from tests.factories import (
    make_city,
    make_country,
    make_destination_note,
    make_guide,
    make_programme,
    make_region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def europe():
    return make_region(name="Europe", slug="europe", summary="Structured, research-led placements.")


def test_the_destinations_page_lists_regions_with_published_programme_counts(
    client, europe, django_assert_num_queries
):
    france, spain = make_country("FR", region=europe), make_country("ES", region=europe)
    make_programme(countries=[france, spain])
    make_programme(countries=[spain])
    make_programme(countries=[france], status=Programme.Status.DRAFT)
    make_region(name="Asia", slug="asia")

    with django_assert_num_queries(1):
        html = client.get(reverse("programs:destinations")).content.decode()

    assert "Structured, research-led placements." in html
    assert 'href="/destinations/europe/"' in html
    assert "2 programmes in the directory" in html
    assert "No programmes listed yet" in html


def test_a_region_page_groups_its_notes_by_kind_with_their_sources(client, europe):
    guide = make_guide(short_title="International Medical Internships 2026")
    section = "International Medical Internship in Europe"
    spain = make_country("ES", name="Spain", region=europe)
    make_destination_note(
        region=europe,
        kind=DestinationNote.Kind.CAVEAT,
        text="Hands-on work is often limited.",
        source_guide=guide,
        source_section=section,
    )
    make_destination_note(
        region=europe, kind=DestinationNote.Kind.BEST_FOR, text="Academic placements"
    )
    make_destination_note(
        region=europe,
        kind=DestinationNote.Kind.OVERVIEW,
        country=spain,
        text="Chronic conditions in the Mediterranean.",
    )

    html = client.get(europe.get_absolute_url()).content.decode()

    headings = [html.index(f">{label}</h2>") for label in ("Overview", "Best for", "Watch out for")]
    assert headings == sorted(headings)
    assert "What to expect</h2>" not in html
    assert "<strong>Spain:</strong> Chronic conditions in the Mediterranean." in html
    assert f"<cite>International Medical Internships 2026</cite> — {section}</p>" in html
    assert html.count(section) == 1


def test_a_region_page_lists_only_its_own_published_programmes_once(client, europe):
    france, spain = make_country("FR", region=europe), make_country("ES", region=europe)
    make_programme(title="Paris and Madrid shadowing", countries=[france, spain])
    make_programme(title="A draft in Lyon", countries=[france], status=Programme.Status.DRAFT)
    make_programme(title="Boston research", countries=[make_country("US")])

    html = client.get(europe.get_absolute_url()).content.decode()

    assert html.count(">Paris and Madrid shadowing</a>") == 1
    assert "A draft in Lyon" not in html
    assert "Boston research" not in html
    assert 'href="/programmes/?region=europe"' in html


def test_a_region_without_programmes_says_so(client, europe):
    html = client.get(europe.get_absolute_url()).content.decode()

    assert "The guides name no programmes in Europe you can apply to yet." in html


def test_the_region_page_query_count_does_not_grow_with_its_programmes(
    client, europe, django_assert_num_queries
):
    make_destination_note(region=europe)
    country = make_country(region=europe)
    make_programme(countries=[country]).cities.add(make_city(country=country))
    # 11: the cards read each programme's rules (with their clear and unclear levels) and its
    # confirmed deadlines, in a fixed number of queries.
    with django_assert_num_queries(11) as few:
        client.get(europe.get_absolute_url())
    for _ in range(5):
        make_programme(countries=[make_country(region=europe)])
        make_destination_note(region=europe)
    with django_assert_num_queries(len(few)):
        client.get(europe.get_absolute_url())


def test_an_unknown_region_is_not_found(client):
    assert client.get("/destinations/atlantis/").status_code == 404
