"""Issue 20: a budget is an answer. Only a programme whose lowest estimate is over the budget
leaves the list; one whose fee or length the source does not state is kept and marked, and every
programme in one list is costed at the student's weeks (or says it is costed at its own)."""

from datetime import date

import pytest

from programs.core import clock
from programs.decisions import costs

pytestmark = pytest.mark.django_db

URL = "/programmes/"
LITE_REGAL = "lite-regal-medical-internship-shadowing-london"
NIH = "nhgri-summer-internship-biomedical-research"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def budget_marks(response) -> dict[str, costs.BudgetFit | None]:
    return {card.programme.slug: card.budget for card in response.context["cards"]}


def test_a_programme_whose_fee_is_not_stated_is_kept_and_marked_not_passed(client, seeded):
    response = client.get(URL, {"weeks": "4", "currency": "EUR", "max_cost": "3000"})
    marks = budget_marks(response)
    html = response.content.decode()

    unstated = {slug for slug, mark in marks.items() if mark.state == costs.FEE_NOT_STATED}
    assert unstated  # the networks and several programmes state no fee
    assert all(mark.kept for mark in marks.values())
    assert "Fee not stated</span> Check: programme fee not stated." in html
    # Lite Regal: "Unpaid; program fee applies (~ US$2,000–5,000/week)": over €3,000 for 4 weeks.
    assert LITE_REGAL not in marks


def test_a_programme_with_no_stated_length_is_kept_and_asks_for_weeks(client, seeded):
    # NHGRI: "Dates: Summer (varies; typically June–August)": no length stated.
    response = client.get(URL, {"currency": "EUR", "max_cost": "100000"})

    mark = budget_marks(response)[NIH]
    assert mark.state == costs.NEEDS_WEEKS
    assert "Needs your weeks" in response.content.decode()


def test_every_card_in_a_budget_list_is_costed_at_the_students_weeks(client, seeded):
    response = client.get(URL, {"weeks": "4", "currency": "GBP", "max_cost": "20000"})

    weeks = {card.estimate.weeks for card in response.context["cards"]}
    # Kept inside a programme's stated range (e.g. NHGRI's none, Penn's "8–10 weeks"), said on
    # the card; otherwise 4.
    assert 4 in weeks
    shortest = [c for c in response.context["cards"] if c.estimate.shortest]
    assert not shortest
    chip = [c.label for c in response.context["chips"] if "Budget" in c.label]
    assert chip == ["Budget, all-in: up to £20,000, for 4 weeks"]


def test_without_weeks_each_card_says_it_is_costed_at_its_shortest_length(client, seeded):
    response = client.get(URL, {"currency": "EUR", "max_cost": "3000", "q": "Lite Regal"})

    card = response.context["cards"][0]
    assert card.estimate.shortest and card.estimate.weeks == 1
    assert "(its shortest stated length)" in response.content.decode()


def test_a_budget_in_rupees_keeps_and_drops_by_rupees(client, seeded):
    # ₹300,000 is about €2,900 at the illustrative rate: Lite Regal's 4 weeks are far over it.
    response = client.get(URL, {"weeks": "4", "currency": "INR", "max_cost": "300000"})

    marks = budget_marks(response)
    assert LITE_REGAL not in marks
    assert any(card.estimate.figures().startswith("₹") for card in response.context["cards"])
    assert "Budget, all-in: up to ₹300,000, for 4 weeks" in response.content.decode()
