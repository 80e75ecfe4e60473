"""Issue 20: place filters and counts agree with where each programme is. A walk over every
published programme's countries (and its cities' countries) against the country and region
filters, the region pages and the home page's counts, on the real fixtures."""

from datetime import date

import pytest

from programs.core import clock
from programs.models import Programme, Region

pytestmark = pytest.mark.django_db

PENN = "penn-center-for-global-health-internship"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def listed(client, **filters) -> set[str]:
    response = client.get("/programmes/", filters)
    assert response.status_code == 200
    return {p.slug for p in response.context["page"].paginator.object_list}


def places_of(programme: Programme) -> tuple[set[str], set[str]]:
    countries = [*programme.countries.all(), *(city.country for city in programme.cities.all())]
    return {c.code for c in countries}, {c.region.slug for c in countries}


def test_penn_is_found_under_the_united_states_as_the_guide_lists_it(client, seeded):
    # The 2025/2026 guide lists "University of Pennsylvania Center for Global Health Internship"
    # under "Opportunities in the USA: Research and Clinical Exposure".
    assert PENN in listed(client, country="US")
    assert PENN in listed(client, region="north-america")
    page = client.get("/destinations/north-america/")
    assert PENN in {c.programme.slug for c in page.context["cards"]}
    html = client.get("/programmes/", {"country": "US"}).content.decode()
    assert "United States · University of Pennsylvania (various global health project sites)" in (
        html
    )


def test_every_programme_is_found_by_every_place_filter_it_belongs_to(client, seeded):
    programmes = Programme.objects.published().prefetch_related(
        "countries__region", "cities__country__region"
    )
    by_country: dict[str, set[str]] = {}
    by_region: dict[str, set[str]] = {}
    for programme in programmes:
        codes, regions = places_of(programme)
        for code in codes:
            by_country.setdefault(code, set()).add(programme.slug)
        for slug in regions:
            by_region.setdefault(slug, set()).add(programme.slug)
    assert by_country and by_region

    for code, slugs in by_country.items():
        assert listed(client, country=code) == slugs, code
    for slug, slugs in by_region.items():
        assert listed(client, region=slug) == slugs, slug
        page = client.get(f"/destinations/{slug}/")
        shown = {c.programme.slug for c in [*page.context["cards"], *page.context["routes"]]}
        assert shown == slugs, slug

    home = client.get("/")
    for counted in home.context["regions"]:
        assert counted.all == len(by_region.get(counted.row.slug, set())), counted.row.slug
    assert Region.objects.count() == len(home.context["regions"])
