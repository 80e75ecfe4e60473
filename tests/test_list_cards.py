"""What a result card on the programme list shows, and the list form's accessible structure."""

from decimal import Decimal

import pytest

from programs.listing.cards import headline_cost
from tests.factories import (
    make_city,
    make_cost,
    make_country,
    make_organisation,
    make_programme,
    make_study_level,
)

URL = "/programmes/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_new_years_day(new_years_day):
    """Every test here sees 1 January 2027 as today."""


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_card_shows_where_type_pay_cost_length_deadline_and_levels(client):
    uk = make_country("GB", name="United Kingdom")
    programme = make_programme(
        title="Clinical Shadowing London",
        organisation=make_organisation(name="Lite Regal"),
        countries=[uk],
        pay="fee",
        duration_min_weeks=1,
        duration_max_weeks=4,
        deadline_kind="fixed",
        deadline_month=2,
        deadline_day=15,
        study_levels=[make_study_level(name="Secondary school")],
    )
    programme.cities.set([make_city(country=uk, name="London")])
    make_cost(
        programme,
        amount_min=Decimal(2000),
        amount_max=Decimal(5000),
        approximate=True,
        period="per_week",
    )

    html = text(client.get(URL))

    assert "<article" in html
    assert f'<h3 id="programme-{programme.slug}"><a href="/programmes/{programme.slug}/">' in html
    assert "London, United Kingdom" in html
    assert "Lite Regal" in html
    assert "Clinical shadowing" in html
    assert "Fee-charging · Fee ~US$2,000–5,000 per week" in html
    assert "1–4 weeks" in html
    # An expected (unconfirmed) date is neutral, never green or red.
    assert '<time class="badge" datetime="2027-02-15">' in html
    assert "Expected around 15 Feb 2027 (45 days left)" in html
    assert "Secondary school" in html


@pytest.mark.parametrize(
    ("pay", "cost", "headline"),
    [
        (
            "fee",
            {"amount_min": 2000, "amount_max": 5000, "approximate": True, "period": "per_week"},
            "Fee ~US$2,000–5,000 per week",
        ),
        ("fee", {"amount_min": 0}, "No programme fee"),
        ("stipend", {"kind": "stipend", "amount_min": 3000}, "US$3,000"),
        (
            "paid",
            {
                "kind": "salary",
                "amount_min": 44000,
                "amount_max": 53000,
                "currency": "GBP",
                "period": "per_year",
                "approximate": True,
            },
            "Salary ~£44,000–53,000 per year",
        ),
        (
            "stipend",
            {
                "kind": "stipend",
                "amount_min": 350,
                "open_ended": True,
                "period": "per_week",
                "currency": "GBP",
            },
            "£350+ per week",
        ),
        ("unpaid", {"kind": "salary", "amount_min": 44000, "currency": "GBP"}, ""),
        ("stipend", {"kind": "stipend"}, ""),
    ],
)
def test_a_card_headlines_the_cost_that_fits_its_pay(pay, cost, headline):
    programme = make_programme(pay=pay)
    make_cost(
        programme, **{key: Decimal(v) if key.startswith("amount") else v for key, v in cost.items()}
    )

    assert headline_cost(programme) == headline


def test_a_card_says_not_stated_for_what_the_guides_leave_out(client):
    make_programme(pay="unknown")

    html = text(client.get(URL))

    assert html.count('<span class="not-stated">Not stated in source</span>') == 5


def test_the_form_has_labels_fieldsets_and_a_submit_button_inside_search(client):
    make_programme(study_levels=[make_study_level()])

    html = text(client.get(URL))
    search = html.split("<search", 1)[1].split("</search>", 1)[0]

    assert '<form method="get" action="/programmes/"' in search
    for name in ("q", "region", "country", "duration", "deadline", "delivery", "sort"):
        assert f'<label for="f-{name}">' in search
    assert "<legend>Type of placement</legend>" in search
    assert "<legend>Pay</legend>" in search
    assert "<legend>Study level</legend>" in search
    assert '<button class="button" type="submit">Show programmes</button>' in search
    assert 'aria-current="page">Programmes</a>' in html
