"""Issue 16: advisers never lose work. Saves that change nothing write nothing, Enter saves,
verification is part of the edit, values are plausible, and advisers may delete what they add
inside a programme (rules, costs) but not the programme."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.core import clock
from programs.models import Cost, EligibilityRule, Programme
from tests.factories import make_cost, make_programme, make_rule
from tests.test_admin import change_form_post


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:programs_{model}_{view}", args=args)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def programme(db):
    programme = make_programme(
        title="Summer Surgery Elective", last_verified=datetime.date(2026, 9, 1)
    )
    make_rule(programme, kind="min_age", min_age=18, text="18 or over.")
    make_cost(programme, amount_min=Decimal("1200"))
    return Programme.objects.get(pk=programme.pk)


def as_rendered(client, programme: Programme) -> dict:
    return change_form_post(client.get(admin_url("programme", "change", programme.pk)))


# Nothing changed, nothing written.


def test_saving_an_unchanged_programme_writes_no_update_history_or_log(adviser_client, programme):
    before = (programme.updated_at, programme.history.count(), LogEntry.objects.count())

    response = adviser_client.post(
        admin_url("programme", "change", programme.pk), as_rendered(adviser_client, programme)
    )

    programme.refresh_from_db()
    assert response.status_code == 302
    assert (programme.updated_at, programme.history.count(), LogEntry.objects.count()) == before
    assert Cost.history.count() == EligibilityRule.history.count() == 1


def test_saving_an_unchanged_programme_says_nothing_was_saved(adviser_client, programme):
    response = adviser_client.post(
        admin_url("programme", "change", programme.pk),
        as_rendered(adviser_client, programme),
        follow=True,
    )

    assert "Nothing was changed, so nothing was saved." in response.text
    assert "was changed successfully" not in response.text


def test_changing_only_a_cost_saves_the_cost_and_moves_the_programmes_version_not_its_row(
    adviser_client, programme
):
    before = (programme.updated_at, programme.history.count(), programme.version)
    data = as_rendered(adviser_client, programme)
    data["costs-0-amount_min"] = "1300"

    adviser_client.post(admin_url("programme", "change", programme.pk), data)

    programme.refresh_from_db()
    assert programme.costs.get().amount_min == Decimal("1300")
    # Its own row is not saved again (no history row of it), but the cost is part of its one
    # version, and of when it was last updated (issue 23).
    assert programme.history.count() == before[1]
    assert programme.version == before[2] + 1 and programme.updated_at > before[0]


# Enter saves: the change form has no action bar, and Save is its first button.


def test_the_change_form_has_no_action_bar_so_enter_submits_save(adviser_client, programme):
    page = adviser_client.get(admin_url("programme", "change", programme.pk)).text
    form = page[page.index('id="programme_form"') :]

    assert "CHANGE_FORM-action" not in page
    assert form.index('type="submit"') == form.index('type="submit" value="Save"')


def test_the_change_form_loads_the_unsaved_changes_warning_from_a_file(adviser_client, programme):
    page = adviser_client.get(admin_url("programme", "change", programme.pk)).text

    assert 'src="/static/js/unsaved_changes.js"' in page


def test_an_action_posted_from_an_old_change_form_changes_nothing(adviser_client, programme):
    adviser_client.post(
        admin_url("programme", "change", programme.pk),
        {"CHANGE_FORM-action": "mark_verified_today", "_selected_action": [programme.pk]},
    )

    programme.refresh_from_db()
    assert programme.last_verified == datetime.date(2026, 9, 1)


# Verification is part of the edit.


def test_verification_fields_are_read_only_on_the_form(adviser_client, programme):
    data = {**as_rendered(adviser_client, programme), "last_verified": "2027-12-31"}

    adviser_client.post(admin_url("programme", "change", programme.pk), data)

    programme.refresh_from_db()
    assert programme.last_verified == datetime.date(2026, 9, 1)


def test_an_edit_without_the_checkbox_keeps_the_old_verifier_and_date(
    adviser_client, programme, staff
):
    Programme.objects.filter(pk=programme.pk).update(verified_by=staff)
    data = {**as_rendered(adviser_client, programme), "pay_note": "Unpaid."}

    adviser_client.post(admin_url("programme", "change", programme.pk), data)

    programme.refresh_from_db()
    assert (programme.last_verified, programme.verified_by) == (datetime.date(2026, 9, 1), staff)


def test_a_verification_date_in_the_future_is_refused(programme):
    programme.last_verified = clock.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert "future" in str(refused.value.message_dict["last_verified"])


# Plausible values, in the form and in the database.


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("amount_min", Decimal("-1200"), "never negative"),
        ("amount_max", Decimal("-1"), "never negative"),
    ],
)
def test_a_negative_amount_is_refused_with_how_to_record_pay(programme, field, value, words):
    cost = programme.costs.get()
    setattr(cost, field, value)
    if field == "amount_max":
        cost.amount_min = Decimal("-5")

    with pytest.raises(ValidationError) as refused:
        cost.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cost.objects.filter(pk=cost.pk).update(**{field: value})

    assert words in str(refused.value.message_dict[field])
    assert "Stipend" in str(refused.value.message_dict[field])


@pytest.mark.parametrize(("age", "plausible"), [(9, False), (10, True), (100, True), (200, False)])
def test_a_minimum_age_must_be_a_human_age(programme, age, plausible):
    rule = programme.eligibility_rules.get()
    rule.min_age = age

    if plausible:
        rule.full_clean()
        EligibilityRule.objects.filter(pk=rule.pk).update(min_age=age)
        return
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        EligibilityRule.objects.filter(pk=rule.pk).update(min_age=age)
    assert "from 10 to 100" in str(refused.value.message_dict["min_age"])


@pytest.mark.parametrize(
    ("field", "weeks", "plausible"),
    [
        ("duration_min_weeks", 0, False),
        ("duration_min_weeks", 1, True),
        ("duration_max_weeks", 104, True),
        ("duration_max_weeks", 105, False),
        ("deadline_lead_weeks", 105, False),
    ],
)
def test_durations_and_lead_times_stay_within_two_years(programme, field, weeks, plausible):
    setattr(programme, field, weeks)

    if plausible:
        programme.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(**{field: weeks})
    assert "two years" in str(refused.value.message_dict[field])


def test_the_admin_form_shows_the_plausibility_message_and_keeps_the_edits(
    adviser_client, programme
):
    data = {**as_rendered(adviser_client, programme), "costs-0-amount_min": "-1200"}
    data["title"] = "Summer Surgery Elective (2027)"

    response = adviser_client.post(admin_url("programme", "change", programme.pk), data)

    assert response.status_code == 200
    assert "Amounts are never negative" in response.text
    assert 'value="Summer Surgery Elective (2027)"' in response.text


# Permissions: rules and costs yes, programmes no.


def test_an_adviser_may_delete_a_rule_and_a_cost_from_the_programme_form(adviser_client, programme):
    data = as_rendered(adviser_client, programme)
    data["eligibility_rules-0-DELETE"] = "on"
    data["costs-0-DELETE"] = "on"

    response = adviser_client.post(admin_url("programme", "change", programme.pk), data)

    assert response.status_code == 302
    assert not programme.eligibility_rules.exists()
    assert not programme.costs.exists()


def test_an_adviser_may_delete_a_cost_from_its_own_page(adviser_client, programme):
    cost = programme.costs.get()

    response = adviser_client.post(admin_url("cost", "delete", cost.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Cost.objects.filter(pk=cost.pk).exists()


def test_an_adviser_still_may_not_delete_a_programme(adviser_client, programme):
    response = adviser_client.post(admin_url("programme", "delete", programme.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Programme.objects.filter(pk=programme.pk).exists()
