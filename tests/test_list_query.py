"""One list query (programs/listing/query.py): the page, /programmes.csv, /programmes.json and the
calendar feed list the same programmes in the same order for the same parameters, and one list
request fetches each programme's row once."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from programs.core import clock
from tests.factories import make_cost, make_programme, make_rule

pytestmark = pytest.mark.django_db

COMBINATIONS = [
    {},
    # The example: the JSON listed all 18 where the page listed 8.
    {"max_cost": "1000", "currency": "EUR"},
    {"max_cost": "4000", "currency": "GBP", "weeks": "4"},
    {"age": "17", "eligible": "1"},
    {"age": "22", "study": "medical-student", "eligible": "1", "sort": "deadline"},
    {"sort": "cost"},
    {"sort": "cost", "currency": "USD", "weeks": "8", "with_pay": "1"},
    {"sort": "cost", "eligible": "1", "age": "17", "residence": "GB", "max_cost": "6000"},
    {"q": "research", "eligible": "1", "age": "20", "sort": "duration"},
    {"region": "europe", "max_cost": "3000", "sort": "cost"},
    {"eligible": "1"},  # no profile: "eligible only" does not apply
]


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def on_the_page(client, params: dict) -> list[str]:
    slugs: list[str] = []
    number = 1
    while True:
        response = client.get(reverse("programs:list"), {**params, "page": str(number)})
        assert response.status_code == 200
        slugs += [card.programme.slug for card in response.context["cards"]]
        if not response.context["page"].has_next():
            return slugs
        number += 1


def in_csv(client, params: dict) -> list[str]:
    text = body(client.get(reverse("programs:export_csv"), params))
    return [row["slug"] for row in csv.DictReader(io.StringIO(text))]


def in_json(client, params: dict) -> list[str]:
    data = json.loads(body(client.get(reverse("programs:export_json"), params)))
    return [row["slug"] for row in data["programmes"]]


def in_calendar(client, params: dict) -> set[str]:
    response = client.get(reverse("programs:list_calendar"), params)
    if response.status_code == 404:
        return set()
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0].removeprefix("deadline-") for event in calendar.events}


@pytest.mark.usefixtures("pages_uncached")
@pytest.mark.parametrize(
    "params", COMBINATIONS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "none"
)
def test_the_page_the_exports_and_the_calendar_list_the_same_programmes_in_the_same_order(
    client, seeded, monkeypatch, params
):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))
    page = on_the_page(client, params)
    dated = {
        row["slug"]
        for row in csv.DictReader(
            io.StringIO(body(client.get(reverse("programs:export_csv"), params)))
        )
        if row["next_deadline"] and row["deadline_state"] != "passed"
    }

    assert in_csv(client, params) == page
    assert in_json(client, params) == page
    assert in_calendar(client, params) == dated
    assert dated <= set(page)


@pytest.mark.usefixtures("pages_uncached")
def test_a_budget_keeps_the_same_programmes_on_the_page_and_in_the_exports(client, seeded):
    params = {"max_cost": "1000", "currency": "EUR"}
    page = on_the_page(client, params)

    assert 0 < len(page) < 18
    assert in_json(client, params) == page


def _fetched_rows(queries) -> int:
    """Queries that read whole programme rows (a card's columns), not keys or counts."""
    return sum(
        1
        for query in queries
        if query["sql"].startswith("SELECT")
        and '"programs_programme"."summary"' in query["sql"].split(" FROM ")[0]
    )


def build(size: int) -> None:
    for n in range(size):
        programme = make_programme(
            title=f"Research ward placement {n}",
            duration_min_weeks=2 + n % 6,
            duration_max_weeks=8,
            deadline_kind="fixed",
            deadline_month=n % 12 + 1,
            deadline_day=1,
        )
        make_cost(programme, amount_min=100 * (n % 9 + 1), period="per_week", currency="EUR")
        make_rule(programme, kind="min_age", min_age=16 + n % 8, text="An age.")


ONE_REQUEST = {
    "q": "research",
    "pay": "unpaid",
    "type": "shadowing",
    "age": "22",
    "eligible": "1",
    "max_cost": "3000",
    "sort": "cost",
}


@pytest.mark.usefixtures("pages_uncached")
@pytest.mark.parametrize(
    "params",
    [
        ONE_REQUEST,
        {key: value for key, value in ONE_REQUEST.items() if key not in ("max_cost", "sort")},
    ],
    ids=["budget-and-cost-sort", "database-only"],
)
def test_one_list_request_fetches_each_row_once_in_queries_that_do_not_grow(client, params):
    counted = []
    for size in (5, 25):
        build(size)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("programs:list"), params)
        assert response.status_code == 200
        assert response.context["count"] > 0
        assert _fetched_rows(queries.captured_queries) == 1
        counted.append(len(queries.captured_queries))

    assert counted[0] == counted[1]
