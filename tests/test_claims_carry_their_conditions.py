"""Issue 20: a conditional figure carries its condition wherever it appears, a student's currency
(rupees included) and weeks travel with every link, and the estimate reads rupees as rupees."""

import json
from datetime import date
from html import unescape

import pytest

from programs.core import clock

pytestmark = pytest.mark.django_db

STANFORD = "stanford-pediatrics-internship-program"
# The 2025/2026 guide, "Opportunities in the USA": "Paid: Free; $3,000 stipend available for
# students with financial need".
NEED = "for students with financial need"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def html_of(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def json_ld_of(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_stanfords_stipend_on_a_card_says_it_is_for_students_with_financial_need(client, seeded):
    html = html_of(client.get("/programmes/", {"q": "Stanford"}))

    assert f"Stipend · US$3,000, {NEED}" in html
    assert "Stipend · US$3,000<" not in html


def test_stanfords_stipend_in_the_comparison_carries_its_condition(client, seeded):
    html = html_of(client.get("/compare/", {"p": STANFORD}))

    assert f"US$3,000, {NEED}" in html


def test_stanfords_stipend_in_json_ld_carries_its_condition(client, seeded):
    data = json_ld_of(html_of(client.get(f"/programmes/{STANFORD}/")))

    stipend = next(offer for offer in data["offers"] if offer["category"] == "Stipend")
    assert stipend["eligibleCustomerType"] == NEED
    assert NEED in stipend["description"]


def test_the_detail_pages_cost_table_and_estimate_carry_the_condition(client, seeded):
    html = html_of(client.get(f"/programmes/{STANFORD}/", {"weeks": "6"}))

    assert f"US$3,000 one-off, {NEED}" in html
    assert f"stipend ({NEED}, if you receive it)" in html


def test_mrcs_stipend_says_it_is_for_many_students(client, seeded):
    # "Paid stipends (~£350/week for many)"
    html = html_of(client.get("/programmes/", {"q": "MRC"}))

    assert "~£350 per week, for many students" in html


def test_a_budget_in_rupees_is_read_as_rupees(client, seeded):
    html = html_of(
        client.get(
            "/programmes/lite-regal-medical-internship-shadowing-london/",
            {"weeks": "2", "currency": "INR"},
        )
    )

    assert "Estimated total for 2 weeks: ₹" in html
    assert "Choose one of" not in html


def test_a_programme_opened_from_the_list_keeps_the_students_weeks_and_currency(client, seeded):
    response = client.get("/programmes/", {"weeks": "4", "currency": "INR", "q": "UCLH"})

    card = response.context["cards"][0]
    assert "weeks=4" in card.url and "currency=INR" in card.url
    html = html_of(client.get(card.url))
    assert "Estimated total for 4 weeks: ₹" in html


def test_the_comparison_link_keeps_the_students_weeks_and_currency(client, seeded):
    response = client.get(
        "/programmes/", {"weeks": "3", "currency": "CAD", "p": STANFORD, "q": "Stanford"}
    )

    assert "weeks=3" in response.context["compare_url"]
    assert "currency=CAD" in response.context["compare_url"]
