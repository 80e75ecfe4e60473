"""The shortlist (`p`) survives moving between pages without an account: every page keeps it in
its navigation and links, the header counts it, and the detail page adds to it."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_country, make_programme, make_region

pytestmark = pytest.mark.django_db


def test_the_detail_page_adds_to_the_existing_shortlist_instead_of_starting_a_new_one(client):
    first, second = make_programme(), make_programme()
    page = client.get(second.get_absolute_url(), {"p": first.slug}).content.decode()
    assert f"/compare/?p={first.slug}&amp;p={second.slug}" in page
    assert "Compare (1)" in page


def test_a_programme_already_shortlisted_says_so_on_its_page(client):
    programme = make_programme()
    page = client.get(programme.get_absolute_url(), {"p": programme.slug}).content.decode()
    assert "In your comparison" in page
    assert "Add to comparison" not in page


@pytest.mark.parametrize(
    "name", ["programs:home", "programs:list", "programs:deadlines", "programs:destinations"]
)
def test_every_navigation_link_keeps_the_shortlist(client, name):
    programme = make_programme()
    page = client.get(reverse(name), {"p": programme.slug}).content.decode()
    for target in ["list", "eligibility", "deadlines", "destinations", "guides"]:
        assert f'href="{reverse("programs:" + target)}?p={programme.slug}"' in page
    assert "Compare (1)" in page


def test_a_page_without_a_shortlist_links_plainly_and_counts_none(client):
    page = client.get(reverse("programs:destinations")).content.decode()
    assert f'href="{reverse("programs:list")}"' in page
    assert "Compare (0)" in page


def test_the_region_pages_cards_keep_the_shortlist(client):
    region = make_region()
    shortlisted = make_programme()
    here = make_programme(countries=[make_country(region=region)])
    page = client.get(region.get_absolute_url(), {"p": shortlisted.slug}).content.decode()
    assert f'href="{here.get_absolute_url()}?p={shortlisted.slug}"' in page


def test_adding_from_the_list_returns_to_the_same_card(client):
    programme = make_programme()
    page = client.get(reverse("programs:list")).content.decode()
    assert f"p={programme.slug}#programme-{programme.slug}" in page


# Issue 20: the shortlist survives the home page, the destinations and the deadlines pages.
SHORTLISTED = "stanford-pediatrics-internship-program"


def test_every_internal_link_on_the_home_page_keeps_the_shortlist(client, seeded):
    page = client.get(reverse("programs:home"), {"p": SHORTLISTED}).content.decode()

    hrefs = re.findall(r'href="(/[^"#]*)"', page)
    internal = [h for h in hrefs if not h.startswith(("/static/", "/admin/"))]
    assert internal
    lost = [h for h in internal if f"p={SHORTLISTED}" not in h.replace("&amp;", "&")]
    # The feed and the exports are the only ones without it.
    assert not [h for h in lost if not h.startswith(("/programmes.", "/programmes/feed"))], lost
    assert f'<input type="hidden" name="p" value="{SHORTLISTED}">' in page


@pytest.mark.parametrize("name", ["programs:deadlines", "programs:destinations"])
def test_the_deadlines_and_destinations_pages_links_keep_the_shortlist(client, seeded, name):
    page = client.get(reverse(name), {"p": SHORTLISTED}).content.decode()

    links = re.findall(r'href="(/(?:programmes|destinations)/[a-z0-9-]+/)(\?[^"]*)?"', page)
    assert links
    assert all(f"p={SHORTLISTED}" in query for _, query in links), links
    assert "Compare (1)" in page


def test_the_region_pages_links_keep_the_shortlist(client, seeded):
    page = client.get("/destinations/north-america/", {"p": SHORTLISTED}).content.decode()

    assert f'href="/programmes/?region=north-america&amp;p={SHORTLISTED}"' in page
    assert f'href="/destinations/?p={SHORTLISTED}"' in page
