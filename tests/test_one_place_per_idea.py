"""One place per idea: money has one spelling, "not stated" one tag, query strings one module, and
a request's answers are read once; cards are built from fetched rows and render with no query."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory

from programs.core.wording import NOT_STATED
from programs.listing import cards
from programs.models import Programme, Vocabulary
from programs.views import params
from tests.factories import make_cost, make_country, make_programme, make_study_level

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NOT_STATED_TAG = f'<span class="not-stated">{NOT_STATED}</span>'


@pytest.fixture(autouse=True)
def _on_new_years_day(new_years_day):
    """Every test here sees 1 January 2027 as today."""


def make_priced(**fields) -> Programme:
    programme = make_programme(
        slug="priced", duration_min_weeks=2, duration_max_weeks=6, pay="fee", **fields
    )
    make_cost(
        programme,
        kind="programme_fee",
        amount_min=Decimal(1200),
        amount_max=Decimal(3400),
        currency="EUR",
        open_ended=True,
    )
    return programme


def first_card(html: str) -> str:
    return html.split("<article", 1)[1].split("</article>", 1)[0]


def test_a_card_the_detail_page_and_compare_spell_the_same_estimate_identically(client):
    make_priced()

    card = client.get("/programmes/").content.decode()
    detail = client.get("/programmes/priced/").content.decode()
    compare = client.get("/compare/", {"p": "priced"}).content.decode()

    assert "€1,200–3,400+ for 2 weeks" in card
    assert "Estimated total for 2 weeks: €1,200–3,400+" in detail
    assert "Estimated total for 2 weeks: €1,200–3,400+" in compare
    for html in (card, detail, compare):
        assert "EUR 1,200" not in html


def test_the_estimate_breakdown_writes_each_figure_with_the_currency_symbol(client):
    make_priced()

    html = client.get("/programmes/priced/", {"currency": "EUR"}).content.decode()

    assert "<td>€1,200</td>" in html
    assert "<td>€3,400+</td>" in html


def test_no_template_spells_the_not_stated_wording_itself():
    spelled = [
        path.relative_to(TEMPLATES).as_posix()
        for path in TEMPLATES.rglob("*.html")
        if NOT_STATED in path.read_text() and path.name != "base.html"  # the footer explains it
    ]

    assert spelled == []


def test_a_card_for_a_programme_the_source_says_little_about_uses_the_one_not_stated_tag(client):
    make_programme(slug="silent", pay="unknown")

    html = first_card(client.get("/programmes/").content.decode())

    # Where, pay, length, deadline and study level.
    assert html.count(NOT_STATED_TAG) == 5
    assert html.count(NOT_STATED) == 5


def test_the_detail_page_writes_an_unknown_pay_with_the_not_stated_tag(client):
    make_programme(slug="silent", pay="unknown")

    html = client.get("/programmes/silent/").content.decode()

    assert f"<dt>Pay</dt>\n    <dd>{NOT_STATED_TAG}</dd>" in html


def test_no_template_builds_a_query_string_from_variables():
    by_hand = re.compile(r"[?&](?:amp;)?[a-z_]+=\{\{|&amp;\{\{|\?\{\{ *profile_query")
    found = [
        f"{path.relative_to(TEMPLATES).as_posix()}: {match.group()}"
        for path in TEMPLATES.rglob("*.html")
        for match in by_hand.finditer(path.read_text())
    ]

    assert found == []


def test_a_request_is_read_once_into_its_page_params(new_years_day):
    level = make_study_level(slug="medical-student")
    request = RequestFactory().get(
        "/compare/",
        {
            "age": "abc",
            "study": level.slug,
            "weeks": "3",
            "currency": "GBP",
            "p": ["a", "a", "b", "c", "d", "e"],
            "page": "2",
        },
    )

    asked = params.read(request, date(2027, 1, 1), Vocabulary())

    assert asked.profile.age is None
    assert asked.profile.level == "medical-student"
    assert asked.weeks == 3
    assert asked.currency == "GBP"
    assert asked.compare == ["a", "b", "c", "d"]
    assert asked.compare_messages == [
        "You can compare up to 4 programmes at once; you asked for 5, so only the first 4 are shown."
    ]
    assert asked.profile_query == "age=abc&study=medical-student&weeks=3&currency=GBP"
    assert asked.input_problems == [
        "Your age at the start date: Enter your age as a whole number of years, e.g. 19."
    ]


def test_the_comparison_links_are_built_in_one_module():
    assert params.compare_url([], "age=20") == ""
    assert params.compare_url(["a", "b"], "age=20") == "/compare/?p=a&p=b&age=20"
    assert params.comparison_query(["a"], "") == "p=a"
    data = RequestFactory().get("/programmes/", {"pay": "fee", "page": "3", "p": "a"}).GET
    assert params.adding_to_comparison(data, ["a"], "b") == "pay=fee&p=a&p=b"
    assert params.adding_to_comparison(data, ["a", "b", "c", "d"], "e") == ""


def test_cards_render_without_a_query_once_their_rows_are_fetched(django_assert_num_queries):
    uk = make_country("GB", name="United Kingdom")
    for n in range(3):
        make_priced_copy = make_programme(
            countries=[uk], study_levels=[make_study_level()], duration_min_weeks=n + 1
        )
        make_cost(make_priced_copy, amount_min=Decimal(100), currency="GBP")
    rows = list(Programme.objects.published().for_cards())

    with django_assert_num_queries(0):
        built = cards.cards(rows, date(2027, 1, 1))
        html = "".join(
            render_to_string("programs/_programme_card.html", {"card": card}) for card in built
        )

    assert html.count("United Kingdom") == 3
    assert "£100" in html
