"""Issue 22: every list page offers an Atom feed of the same search, read here by a feed reader
(feedparser): the entries are the list's programmes that changed, newest change first, each
saying what changed (newly listed, a deadline, a cost)."""

from __future__ import annotations

import re

import feedparser
import pytest

from programs.models import Programme
from tests.factories import make_cost, make_dated_deadline, make_programme, make_region


def feed(client, query: str = "") -> feedparser.FeedParserDict:
    response = client.get(f"/programmes/feed.atom{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return feedparser.parse(b"".join(response))


def list_titles(client, query: str) -> list[str]:
    html = client.get(f"/programmes/{query}").content.decode()
    return re.findall(r'<h3 id="programme-[^"]+"><a [^>]*>([^<]+)</a></h3>', html)


@pytest.fixture
def europe(db):
    return make_region(slug="europe", name="Europe")


@pytest.mark.django_db
def test_the_list_page_offers_the_feed_of_its_own_search(client):
    make_programme(title="Surgery elective")

    html = client.get("/programmes/?q=surgery&type=shadowing&page=1").content.decode()

    feed_url = "/programmes/feed.atom?q=surgery&amp;type=shadowing"
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Changes to this search" href="{feed_url}">'
        in html
    )
    assert f'<a href="{feed_url}" type="application/atom+xml">Follow this search</a>' in html
    assert "Email me about this search" in html


@pytest.mark.django_db
def test_the_feed_holds_exactly_the_programmes_the_list_shows_newest_change_first(client):
    shadowing = make_programme(title="Shadowing in Lyon")
    research = make_programme(title="Research in Oslo", programme_type=Programme.Type.RESEARCH)
    make_programme(title="Later shadowing in Porto")
    make_cost(shadowing, amount_min=400, period="per_week", currency="EUR")

    parsed = feed(client, "?type=shadowing")

    titles = [entry.title for entry in parsed.entries]
    assert sorted(titles) == sorted(list_titles(client, "?type=shadowing"))
    assert research.title not in titles
    # The cost added to Lyon is the newest change, then Porto's listing.
    assert titles == ["Shadowing in Lyon", "Later shadowing in Porto"]
    lyon = parsed.entries[0]
    assert "Cost: Added: Programme fee: €400 per week" in lyon.summary
    assert "New: Now listed in the directory" in lyon.summary
    assert lyon.link.endswith(f"/programmes/{shadowing.slug}/")
    assert {tag.term for tag in lyon.tags} == {"Cost", "New"}
    assert parsed.feed.title == "Medical internships directory: changes to your search"


@pytest.mark.django_db
def test_a_changed_and_a_confirmed_deadline_say_what_they_were_and_are(client):
    programme = make_programme(
        title="Cardiology in Leeds", deadline_kind="fixed", deadline_month=2, deadline_day=21
    )
    programme.deadline_day = 28
    programme.save()
    make_dated_deadline(programme)

    (entry,) = feed(client, "?q=cardiology").entries

    assert "Deadline: Deadline as stated: now 28 February (was 21 February)" in entry.summary
    assert "Deadline: Confirmed deadline: 20 February 2027 (2027 cycle)" in entry.summary


@pytest.mark.django_db
def test_a_changed_cost_says_what_it_was(client):
    programme = make_programme(title="Paediatrics in Accra")
    cost = make_cost(programme, amount_min=400, period="per_week", currency="EUR")
    cost.amount_min = 500
    cost.save()

    (entry,) = feed(client).entries

    assert "Programme fee: €500 per week (was €400 per week)" in entry.summary


@pytest.mark.django_db
def test_drafts_and_programmes_outside_the_search_are_not_in_its_feed(client, europe):
    make_programme(title="Draft", status=Programme.Status.DRAFT)
    make_programme(title="Elsewhere")

    assert feed(client, "?q=nothingmatches").entries == []
    assert [e.title for e in feed(client).entries] == ["Elsewhere"]


@pytest.mark.django_db
def test_an_unknown_or_invalid_parameter_never_breaks_the_feed(client):
    make_programme(title="Anything")

    assert len(feed(client, "?region=atlantis&zz=1&deadline=never").entries) == 1
