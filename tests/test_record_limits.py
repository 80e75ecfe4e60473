"""Issue 23's rules for what an adviser may save: plausible amounts per period, one confirmed
deadline per programme and cycle (each a named constraint with its twin in clean()), and every
edit made inline on a record's form in that record's history."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from programs.models import Cost, DatedDeadline
from programs.models.money import AMOUNT_LIMITS
from tests.factories import (
    make_city,
    make_cost,
    make_cost_benchmark,
    make_country,
    make_dated_deadline,
    make_destination_note,
    make_guide_item,
    make_guide_topic,
    make_programme,
    make_region,
)
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


# Amounts: "No upper bound on amounts (US$55,000 a week was saved)".


@pytest.mark.parametrize(
    ("period", "amount", "plausible"),
    [
        ("per_week", "55000", False),
        ("per_week", "5000", True),  # the 2026 guide's dearest weekly fee is US$5,000
        ("per_hour", "1500", False),
        ("per_month", "3000", True),
        ("per_year", "53000", True),  # a Foundation doctor's salary, per year
        ("per_year", "5300000", False),
        ("one_off", "300000", False),
    ],
)
def test_an_amount_above_its_periods_limit_is_refused_with_a_message(period, amount, plausible):
    cost = Cost(
        programme=make_programme(), key="fee", kind="programme_fee", currency="USD", period=period
    )
    cost.amount_min = Decimal(amount)

    if plausible:
        cost.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        cost.full_clean()
    message = refused.value.message_dict["amount_min"][0]
    assert f"{AMOUNT_LIMITS[period]:,}" in message and "check the figure, and the period" in message


def test_the_database_refuses_an_implausible_amount_too():
    cost = make_cost(make_programme(), amount_min=Decimal("500"), period="per_week")

    with pytest.raises(IntegrityError), transaction.atomic():
        Cost.objects.filter(pk=cost.pk).update(amount_max=Decimal("55000"))


def test_a_guide_benchmark_has_the_same_limits():
    benchmark = make_cost_benchmark(amount_min=Decimal("400"), period="per_month")

    benchmark.amount_max = Decimal("900000")
    with pytest.raises(ValidationError):
        benchmark.full_clean()


def test_the_programme_form_says_why_a_weekly_fee_of_55000_is_refused(adviser_client):
    programme = make_programme()
    make_cost(programme, amount_min=Decimal("500"), period="per_week")
    url = admin_url("programme", "change", programme.pk)
    form = change_form_post(adviser_client.get(url))
    form["costs-0-amount_min"] = "55000"

    response = adviser_client.post(url, form)

    assert response.status_code == 200
    assert "more than any placement costs or pays per week (at most 20,000)" in response.text
    assert Cost.objects.get(programme=programme).amount_min == Decimal("500")


# Confirmed deadlines: "two confirmed deadlines for the same 2027 cycle were both accepted".


def test_a_second_confirmed_deadline_for_a_cycle_is_refused_by_clean():
    programme = make_programme()
    first = make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))
    second = DatedDeadline(
        programme=programme, cycle=2027, date=datetime.date(2027, 3, 1), source=first.source
    )

    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "already has a confirmed deadline for that cycle" in str(refused.value)


def test_the_database_refuses_a_second_confirmed_deadline_for_a_cycle():
    programme = make_programme()
    first = make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))

    with pytest.raises(IntegrityError), transaction.atomic():
        DatedDeadline.objects.create(
            programme=programme, cycle=2027, date=datetime.date(2027, 3, 1), source=first.source
        )


def test_another_cycle_may_have_its_own_confirmed_deadline():
    programme = make_programme()
    first = make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))

    DatedDeadline(
        programme=programme, cycle=2028, date=datetime.date(2028, 2, 21), source=first.source
    ).full_clean()


def test_the_programme_form_refuses_a_second_deadline_for_a_cycle_with_the_message(adviser_client):
    programme = make_programme()
    first = make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))
    url = admin_url("programme", "change", programme.pk)
    form = change_form_post(adviser_client.get(url))
    form.update(
        {
            "dated_deadlines-TOTAL_FORMS": "2",
            "dated_deadlines-1-cycle": "2027",
            "dated_deadlines-1-date": "2027-03-01",
            "dated_deadlines-1-source": str(first.source.pk),
        }
    )

    response = adviser_client.post(url, form)

    assert response.status_code == 200
    assert "already has a confirmed deadline for that cycle" in response.text
    assert DatedDeadline.objects.filter(programme=programme).count() == 1


def test_two_new_deadlines_for_one_cycle_in_one_save_are_refused_with_the_message(adviser_client):
    programme = make_programme()
    source = make_dated_deadline(make_programme()).source
    url = admin_url("programme", "change", programme.pk)
    form = change_form_post(adviser_client.get(url))
    form["dated_deadlines-TOTAL_FORMS"] = "2"
    for index, day in enumerate(("2027-02-21", "2027-03-01")):
        form.update(
            {
                f"dated_deadlines-{index}-cycle": "2027",
                f"dated_deadlines-{index}-date": day,
                f"dated_deadlines-{index}-source": str(source.pk),
            }
        )

    response = adviser_client.post(url, form)

    assert response.status_code == 200
    assert "one confirmed deadline per cycle" in response.text
    assert not DatedDeadline.objects.filter(programme=programme).exists()


# History: "a region's note edits are missing from its history".


def edit_inline_row(adviser_client, model_name: str, obj, prefix: str, field: str, value: str):
    url = admin_url(model_name, "change", obj.pk)
    form = change_form_post(adviser_client.get(url))
    form[f"{prefix}-0-{field}"] = value
    assert adviser_client.post(url, form).status_code == 302
    return adviser_client.get(reverse(f"admin:programs_{model_name}_history", args=[obj.pk]))


def test_a_regions_note_edits_appear_in_the_regions_history(adviser_client, adviser):
    region = make_region(name="Europe")
    make_destination_note(region=region, text="Summer is busy.")

    history = edit_inline_row(adviser_client, "region", region, "notes", "text", "Summer is full.")

    assert history.status_code == 200
    assert "Summer is busy. → Summer is full." in history.text.replace("&rarr;", "→")
    assert adviser.username in history.text


@pytest.mark.parametrize("model_name", ["country", "guidetopic"])
def test_every_record_with_inline_rows_shows_their_edits_in_its_history(adviser_client, model_name):
    if model_name == "country":
        record = make_country("FR", name="France")
        make_city(country=record, name="Lyon", slug="lyon")
        prefix, field, value = "cities", "name", "Lyon (Rhône)"
    else:
        record = make_guide_topic()
        make_guide_item(topic=record, title="Check the visa")
        prefix, field, value = "items", "title", "Check the visa early"

    history = edit_inline_row(adviser_client, model_name, record, prefix, field, value)

    assert value in history.text


# The migration that adds these constraints keeps the rows they refuse, changed in their history.


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="drops a constraint in a test")
def test_the_migration_moves_an_implausible_figure_to_notes_and_keeps_the_earliest_deadline():
    migration = importlib.import_module("programs.migrations.0014_i23a_whole_record_version")
    programme = make_programme()
    cost = make_cost(programme, amount_min=Decimal("500"), period="per_week", notes="Fee.")
    first = make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL IMMEDIATE;"
            "ALTER TABLE programs_cost DROP CONSTRAINT cost_amounts_within_period_limits;"
            "ALTER TABLE programs_dateddeadline "
            "DROP CONSTRAINT dated_deadline_one_per_programme_and_cycle;"
        )
    Cost.objects.filter(pk=cost.pk).update(amount_min=Decimal("55000"))
    later = DatedDeadline.objects.create(
        programme=programme, cycle=2027, date=datetime.date(2027, 3, 1), source=first.source
    )

    migration.keep_what_the_new_constraints_allow(apps, SimpleNamespace(connection=connection))

    cost.refresh_from_db()
    assert cost.amount_min is None
    assert cost.notes == "Implausible figure removed: USD 55,000.00 per week. Fee."
    assert cost.history.latest().history_change_reason.startswith("Migration 0014_i23a")
    assert list(DatedDeadline.objects.filter(programme=programme)) == [first]
    assert DatedDeadline.history.filter(id=later.pk, history_type="-").exists()
