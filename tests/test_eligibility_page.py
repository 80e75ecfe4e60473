"""The eligibility page after an answer: results first, the profile folded under a one-line
summary, verdicts grouped with counts, each card with its estimate and "Add to comparison", and
bad answers in an error summary that links to each field."""

from datetime import date
from html import unescape

import pytest

from programs.core import clock
from programs.views.eligibility import GROUP_SIZE
from tests.factories import make_programme

pytestmark = pytest.mark.django_db

URL = "/eligibility/"
UK_SCHOOL_STUDENT = {"age": "17", "study": "secondary-school", "residence": "GB"}
NIH = "nhgri-summer-internship-biomedical-research"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def html_of(response) -> str:
    return unescape(response.content.decode())


def test_after_an_answer_the_results_come_before_the_folded_profile_form(client, seeded):
    html = html_of(client.get(URL, UK_SCHOOL_STUDENT))

    fold = html.index('<details class="profile-fold">')
    assert fold < html.index('id="results-heading"')
    summary = html[fold : html.index("</summary>", fold)]
    assert "age 17 · Secondary school · lives in United Kingdom" in summary
    assert "Edit" in summary
    assert "<h1>Which programmes can you apply to?</h1>" in html


def test_without_an_answer_the_form_is_open_and_there_is_no_fold(client, seeded):
    html = html_of(client.get(URL))

    assert "profile-fold" not in html
    assert 'id="results-heading"' not in html


def test_the_verdict_groups_are_headed_with_their_counts(client, seeded):
    response = client.get(URL, UK_SCHOOL_STUDENT)
    html = html_of(response)

    for group in response.context["groups"]:
        assert f">{group.label} ({group.count})</h3>" in html
        assert group.count == len(group.cards)  # 18 programmes: every group whole
    assert [g.label for g in response.context["groups"]] == ["Eligible", "Check", "Not eligible"]


def test_each_result_card_has_its_estimate_and_an_add_to_comparison_link(client, seeded):
    response = client.get(URL, {**UK_SCHOOL_STUDENT, "currency": "GBP"})
    cards = [card for group in response.context["groups"] for card in group.cards]

    nih = next(card for card in cards if card.programme.slug == NIH)
    assert nih.estimate is not None and nih.estimate.currency == "GBP"
    assert nih.compare is not None and f"p={NIH}" in nih.compare.query
    assert "All-in estimate" in html_of(response)
    assert f'#programme-{NIH}" aria-describedby="programme-{NIH}">Add to comparison</a>' in (
        html_of(response)
    )


def test_a_programme_in_the_comparison_says_so_on_the_eligibility_page(client, seeded):
    response = client.get(URL, {**UK_SCHOOL_STUDENT, "p": NIH})

    assert "In your comparison" in html_of(response)
    assert "Compare (1)" in html_of(response)


def test_errors_are_listed_at_the_top_linking_to_each_field_and_marked_beside_it(client, seeded):
    response = client.get(URL, {"age": "abc", "weeks": "0", "study": "secondary-school"})
    html = html_of(response)

    assert response.status_code == 400
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</div>", start)]
    assert '<a href="#id_age">Your age at the start date: Enter your age' in summary
    assert '<a href="#id_weeks">Weeks: Enter at least 1 week.</a>' in summary
    assert 'class="field field--error"' in html
    assert 'id="id_age"' in html
    # With errors the profile stays open so the marked fields are in view.
    assert '<details class="profile-fold" open>' in html
    assert html.index('class="error-summary"') < html.index("<search")


def test_a_field_with_an_error_counts_as_not_given_in_the_summary(client, seeded):
    response = client.get(URL, {"age": "abc", "study": "secondary-school"})

    assert response.context["profile_summary"] == "Secondary school"


def test_a_bad_currency_links_to_the_currency_field_it_marks(client, seeded):
    html = html_of(client.get(URL, {"study": "secondary-school", "currency": "XYZ"}))

    assert (
        '<a href="#id_currency">Currency: Choose one of EUR, GBP, USD, INR, AUD, CAD, NGN or PKR.</a>'
        in html
    )
    assert '<select id="id_currency" name="currency" aria-invalid="true"' in html


@pytest.mark.usefixtures("pages_uncached")
def test_a_large_group_shows_its_first_programmes_its_exact_count_and_a_link_to_the_rest(client):
    titles = [f"Placement {n:02}" for n in range(GROUP_SIZE + 5)]
    for title in reversed(titles):
        make_programme(title=title)  # no rules stated: Check

    response = client.get("/eligibility/", {"age": "22"})
    html = response.content.decode()
    check = response.context["groups"][1]

    assert (check.label, check.count) == ("Check", GROUP_SIZE + 5)
    assert [card.programme.title for card in check.cards] == titles[:GROUP_SIZE]
    assert f">Check ({GROUP_SIZE + 5})</h3>" in html
    assert f"See all {GROUP_SIZE + 5} you may be eligible for in the list" in html
    assert check.more_url == "/programmes/?age=22&eligible=1"
