"""Draft → published → archived, verification with who and when, staff previews, and the
history of every change (who, when, what) that admin shows and can revert."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.core import clock
from programs.models import Cost, Programme
from tests.factories import make_cost, make_country, make_programme, make_study_level
from tests.test_admin import change_form_post


def admin_url(view: str, *args) -> str:
    return reverse(f"admin:programs_programme_{view}", args=args)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_marking_verified_from_the_list_records_who_and_when(adviser_client, adviser):
    # Issue 23: through the checking page, with the programme ticked there.
    programme = make_programme(last_verified=datetime.date(2025, 1, 1))

    adviser_client.post(
        admin_url("changelist"),
        {
            "action": "mark_verified_today",
            "_selected_action": [programme.pk],
            "confirm": "yes",
            "checked": [programme.pk],
        },
    )

    programme.refresh_from_db()
    assert programme.last_verified == clock.today()
    assert programme.verified_by == adviser


def save_change_form(client, programme: Programme, **changes) -> object:
    """Open the change form, change some fields as a person would, and press Save."""
    url = admin_url("change", programme.pk)
    data = change_form_post(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_ticking_checked_today_on_save_records_who_and_when(adviser_client, adviser):
    # Issue 16: verification is part of the edit, not an action that drops it.
    programme = make_programme(last_verified=None)

    response = save_change_form(adviser_client, programme, checked_today="on", pay_note="Unpaid.")

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.last_verified, programme.verified_by) == (clock.today(), adviser)
    assert programme.pay_note == "Unpaid."


def test_a_draft_is_published_then_archived_from_its_change_form(adviser_client):
    # Issue 16: the change form has no action bar (Enter ran it); status is a field saved with
    # the rest. Ready to publish: a destination and who may apply (issue 23).
    programme = make_programme(
        status=Programme.Status.DRAFT, countries=[make_country()], study_levels=[make_study_level()]
    )

    save_change_form(adviser_client, programme, status="published")
    programme.refresh_from_db()
    published = programme.status
    save_change_form(adviser_client, programme, status="archived")
    programme.refresh_from_db()

    assert (published, programme.status) == ("published", "archived")
    # Each step is in the history (setting its lists wrote draft versions too).
    statuses = [h.status for h in programme.history.order_by("history_date")]
    assert [s for i, s in enumerate(statuses) if i == 0 or s != statuses[i - 1]] == [
        "draft",
        "published",
        "archived",
    ]


def test_only_published_programmes_are_public(client, db):
    draft = make_programme(status=Programme.Status.DRAFT)
    archived = make_programme(status=Programme.Status.ARCHIVED)
    published = make_programme()

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(archived.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("status", ["draft", "archived"])
def test_staff_preview_an_unpublished_programme_with_a_notice(adviser_client, status):
    programme = make_programme(status=status)

    response = adviser_client.get(programme.get_absolute_url())

    assert response.status_code == 200
    assert "Preview: this programme is not published" in response.content.decode()


def test_a_published_programme_shows_no_preview_notice_to_staff(adviser_client):
    response = adviser_client.get(make_programme().get_absolute_url())

    assert "Preview:" not in response.content.decode()


def test_editing_in_admin_records_who_when_and_what_changed(adviser_client, adviser):
    programme = make_programme(title="Old title", deadline_kind="unknown")
    url = admin_url("change", programme.pk)
    data = change_form_post(adviser_client.get(url))
    data.update(title="New title", deadline_kind="fixed", deadline_month="4", deadline_day="30")

    assert adviser_client.post(url, data).status_code == 302

    latest = programme.history.latest()
    delta = latest.diff_against(latest.prev_record)
    assert latest.history_user == adviser
    assert latest.history_date.date() == clock.today()
    assert {change.field for change in delta.changes} == {
        "title",
        "deadline_kind",
        "deadline_month",
        "deadline_day",
    }


def test_changes_to_costs_and_rules_are_recorded_too(adviser_client, adviser):
    programme = make_programme()
    make_cost(programme, key="fee", amount_min=Decimal("100"))
    url = admin_url("change", programme.pk)
    data = change_form_post(adviser_client.get(url))
    data["costs-0-amount_min"] = "250"

    adviser_client.post(url, data)

    cost = Cost.objects.get(key="fee")
    assert [h.amount_min for h in cost.history.order_by("history_date")] == [
        Decimal("100"),
        Decimal("250"),
    ]
    assert cost.history.latest().history_user == adviser


def test_the_history_page_lists_each_change_with_its_author(adviser_client, adviser):
    programme = make_programme()
    programme.mark_verified(adviser, clock.today())

    response = adviser_client.get(admin_url("history", programme.pk))

    assert response.status_code == 200
    assert "adviser" in response.content.decode()
    assert len(response.context["rows"]) == 2


def test_an_adviser_reverts_a_programme_to_an_earlier_version(adviser_client):
    programme = make_programme(title="Right title")
    original = programme.history.earliest()
    programme.title = "Wrong title"
    programme.save()
    # simple-history's revert link leads to the preview of the whole version.
    url = reverse(
        "admin:programs_programme_simple_history", args=[programme.pk, original.history_id]
    )
    preview = adviser_client.get(url, follow=True)

    response = adviser_client.post(preview.redirect_chain[-1][0], confirm_restore(preview))

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Right title"
    assert programme.history.count() == 3


def test_the_change_form_refuses_a_fixed_deadline_without_a_day_with_a_fix(adviser_client):
    programme = make_programme()
    url = admin_url("change", programme.pk)
    data = {**change_form_post(adviser_client.get(url)), "deadline_kind": "fixed"}
    data.update(deadline_month="5", deadline_day="")

    response = adviser_client.post(url, data)

    errors = response.context["adminform"].form.errors
    assert "needs both a month and a day" in errors["deadline_day"][0]


def test_changing_destinations_in_admin_is_recorded_as_a_history_difference(
    adviser_client, adviser
):
    programme = make_programme(countries=[make_country("GB")])
    france = make_country("FR")
    url = admin_url("change", programme.pk)
    data = change_form_post(adviser_client.get(url))
    data["countries"] = [str(france.pk)]

    adviser_client.post(url, data)

    latest = programme.history.latest()
    delta = latest.diff_against(programme.history.earliest())
    assert "countries" in {change.field for change in delta.changes}
    assert [row.country.code for row in latest.countries.all()] == ["FR"]
    assert latest.history_user == adviser


def test_restoring_a_published_version_of_an_archived_programme_keeps_it_archived(adviser_client):
    # Issue 16: a revert restored status too, silently re-publishing an archived programme.
    programme = make_programme(title="Right title", status=Programme.Status.PUBLISHED)
    published = programme.history.earliest()
    programme.title = "Wrong title"
    programme.save()
    programme.set_status(Programme.Status.ARCHIVED)
    url = reverse(
        "admin:programs_programme_simple_history", args=[programme.pk, published.history_id]
    )
    preview = adviser_client.get(url, follow=True)

    response = adviser_client.post(
        preview.redirect_chain[-1][0], confirm_restore(preview), follow=True
    )

    programme.refresh_from_db()
    assert (programme.title, programme.status) == ("Right title", Programme.Status.ARCHIVED)
    assert "is archived" in response.text


def confirm_restore(preview) -> dict:
    """The restore preview's form as shown: status left as it is."""
    return {"seen": preview.context["newest"]}
