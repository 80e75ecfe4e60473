"""Issue 20: a reference number only beside what its source says, every page with a date cites
where it comes from, a projected deadline says "expected" in the plan and its calendar, and a
search in students' words finds what they mean (or the matches of the rest of their words)."""

from datetime import date
from html import unescape

import pytest

from programs.core import clock

pytestmark = pytest.mark.django_db

PENN = "penn-center-for-global-health-internship"
NIH = "nhgri-summer-internship-biomedical-research"
STANFORD = "stanford-pediatrics-internship-program"
USA = "10 Best Medical Internship For International Students 2025/2026 — Opportunities in the USA"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_organisations_kind_and_country_are_labelled_ours_not_the_sources(client, seeded):
    # The guide's words: "Location: University of Pennsylvania (various global health project
    # sites)"; it says nothing of "University" as a kind or of the United States as a country.
    html = html_of(client.get(f"/programmes/{PENN}/"))
    overview = html[
        html.index('id="overview"') : html.index("</section>", html.index('id="overview"'))
    ]

    assert "our classification)" in overview
    organisation = overview[
        overview.index("<dt>Organisation</dt>") : overview.index("<dt>Partners")
    ]
    assert organisation.index('class="ref"') < organisation.index("our classification")
    where = overview[overview.index("<dt>Where</dt>") :]
    where = where[: where.index("</dd>")]
    # The number sits on the guide's words, before the countries we classify.
    assert where.index("various global health project sites") < where.index('class="ref"')
    assert where.index('class="ref"') < where.index("United States")


def test_the_deadlines_page_cites_each_deadlines_source(client, seeded):
    html = html_of(client.get("/deadlines/"))

    # NHGRI: "Deadline: February" in the guide's "Opportunities in the USA".
    assert f"Source: {USA}" in html
    assert html.count("Source: ") >= 5


def test_the_home_pages_soonest_deadlines_cite_their_source(client, seeded):
    html = html_of(client.get("/"))
    soonest = html[html.index('id="deadlines-heading"') :]
    soonest = soonest[: soonest.index("</section>")]

    assert "Source: " in soonest
    assert soonest.count("<li>") == soonest.count("Source: ")


def test_eligibility_cards_cite_where_the_rules_come_from(client, seeded):
    response = client.get("/eligibility/", {"age": "17", "study": "secondary-school"})
    html = html_of(response)

    assert f"The rules quoted come from: {USA}" in html


def test_a_projected_deadline_is_expected_in_the_plan_and_its_calendar(client, seeded):
    # Penn: "Deadline: February (typically February 1–28)": projected from the guide, not dated.
    page = html_of(client.get(f"/programmes/{PENN}/", {"start": "2027-06-01"}))
    calendar = client.get(f"/programmes/{PENN}/calendar.ics", {"start": "2027-06-01"})

    assert "Application deadline (expected, not confirmed): " in page
    ics = calendar.content.decode().replace("\r\n ", "")
    assert "SUMMARY:Application deadline (expected\\, not confirmed): " in ics


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("peds", STANFORD),
        ("paeds", STANFORD),
        ("neuro", "johns-hopkins-internship-brain-sciences"),
        ("onc", "roswell-park-summer-cancer-research-experience"),
        ("genetics", NIH),
    ],
)
def test_students_abbreviations_find_what_they_mean(client, seeded, q, slug):
    response = client.get("/programmes/", {"q": q})

    assert slug in {card.programme.slug for card in response.context["cards"]}


def test_a_search_with_one_word_too_many_shows_the_matches_of_the_rest(client, seeded):
    response = client.get("/programmes/", {"q": "paediatrics zebrafish"})
    html = html_of(response)

    assert response.context["count"] == 0
    partial = response.context["suggestions"].partial
    assert partial.dropped == ["zebrafish"]
    assert [p.slug for p in partial.programmes] == [STANFORD]
    assert "No programme matches every word: without “zebrafish”, 1 does" in html
    assert "Search for “paediatrics” instead" in html
