"""Issue 16 in admin: an adviser compares any two versions, previews every change a restore makes
(status included) before confirming, recovers deleted programmes, and organisations and guide
content keep a history too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from programs.catalogue import revisions
from programs.catalogue.revisions import versions
from programs.models import Cost, EligibilityRule, GuideItem, Programme
from programs.models.revisions import one_revision
from tests.factories import (
    make_cost,
    make_country,
    make_guide_item,
    make_organisation,
    make_programme,
    make_rule,
)
from tests.test_admin import change_form_post, form_values


def url(view: str, *args) -> str:
    return reverse(f"admin:programs_programme_{view}", args=args)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def a_programme_whose_rules_and_costs_changed(**fields) -> Programme:
    with one_revision():
        programme = make_programme(title="Right title", **fields)
        make_rule(programme, key="age", kind="min_age", min_age=18, text="Be 18 or over.")
        make_cost(programme, key="fee", amount_min=Decimal("100"))
    with one_revision():
        EligibilityRule.objects.filter(key="age").delete()
        cost = Cost.objects.get(key="fee")
        cost.amount_min = Decimal("900")
        cost.save()
    return programme


def test_the_history_lists_a_save_of_rules_and_costs_as_one_version(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()

    response = adviser_client.get(url("history", programme.pk))

    newest, oldest = response.context["rows"]
    assert newest[1] == ["rule removed: Be 18 or over.", "cost changed: fee"]
    assert oldest[1][0] == "created"


def test_an_adviser_compares_any_two_versions(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()
    with one_revision():
        programme.title = "Third title"
        programme.save()
    first, _, third = versions(programme.pk)

    response = adviser_client.get(url("compare", programme.pk), {"a": third.key, "b": first.key})

    assert response.status_code == 200
    text = response.text
    assert "Right title" in text and "Third title" in text
    assert "Removed:</strong> Be 18 or over." in text
    assert "100.00 → 900.00" in text


def test_comparing_an_unknown_version_sends_the_adviser_back_to_the_history(adviser_client):
    programme = make_programme()

    response = adviser_client.get(url("compare", programme.pk), {"a": "p0", "b": "x"})

    assert response.status_code == 302
    assert response["Location"] == url("history", programme.pk)


def test_the_restore_preview_shows_every_change_and_writes_nothing(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]

    response = adviser_client.get(url("restore", programme.pk, first.key))

    assert response.status_code == 200
    assert "Added:</strong> Be 18 or over." in response.text
    assert "900.00 → 100.00" in response.text
    assert "stays published" in response.text
    assert not EligibilityRule.objects.exists()


def test_confirming_a_restore_brings_back_rules_and_costs(adviser_client, adviser):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]
    preview = adviser_client.get(url("restore", programme.pk, first.key))

    response = adviser_client.post(
        url("restore", programme.pk, first.key), {"seen": preview.context["newest"]}
    )

    assert response.status_code == 302
    assert EligibilityRule.objects.get().min_age == 18
    assert Cost.objects.get().amount_min == Decimal("100")
    assert versions(programme.pk)[-1].user == adviser


def test_restoring_never_publishes_unless_the_adviser_ticks_the_status(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]
    programme.set_status(Programme.Status.ARCHIVED)
    seen = {"seen": revisions.seen(programme.pk)}

    assert adviser_client.post(url("restore", programme.pk, first.key), seen).status_code == 302
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ARCHIVED

    seen = {"seen": revisions.seen(programme.pk), "restore_status": "on"}
    adviser_client.post(url("restore", programme.pk, first.key), seen)
    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED


def test_a_restore_from_a_stale_preview_is_refused(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]
    preview = adviser_client.get(url("restore", programme.pk, first.key))
    make_cost(programme, key="travel", kind="flights")

    response = adviser_client.post(
        url("restore", programme.pk, first.key), {"seen": preview.context["newest"]}
    )

    assert response.status_code == 400
    assert "changed after this preview" in response.text
    assert not EligibilityRule.objects.exists()


def test_a_version_today_s_limits_refuse_is_shown_and_not_restored(adviser_client):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]
    with one_revision():
        # The slug the version had now belongs to another programme.
        programme.slug = "renamed"
        programme.save()
        make_programme(slug=first_slug(first))

    response = adviser_client.get(url("restore", programme.pk, first.key))

    assert "cannot be restored" in response.text
    assert 'value="Restore this version"' not in response.text


def first_slug(version) -> str:
    return Programme.history.get(history_id=version.events[0].history_id).slug


def test_an_adviser_recovers_a_programme_an_editor_deleted(client, editor_in_chief, adviser):
    programme = a_programme_whose_rules_and_costs_changed()
    client.force_login(editor_in_chief)
    client.post(url("delete", programme.pk), {"post": "yes"})
    assert not Programme.objects.exists()
    client.force_login(adviser)

    listing = client.get(url("deleted"))
    assert [d.title for d in listing.context["deleted"]] == ["Right title"]
    preview = client.get(url("recover", programme.pk))
    assert "comes back as a draft" in preview.text
    response = client.post(url("recover", programme.pk), {"seen": preview.context["newest"]})

    assert response.status_code == 302
    recovered = Programme.objects.get(pk=programme.pk)
    assert recovered.status == Programme.Status.DRAFT
    assert Cost.objects.get().amount_min == Decimal("900")
    assert client.get(url("deleted")).context["deleted"] == []


def test_the_deleted_list_needs_permission_to_add_programmes(client, db):
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    client.force_login(viewer)

    assert client.get(url("deleted")).status_code == 403


def test_the_programme_list_links_to_the_deleted_programmes(adviser_client):
    response = adviser_client.get(url("changelist"))

    assert url("deleted") in response.text


def test_restoring_needs_permission_to_change_rules_and_costs_too(client, db):
    programme = a_programme_whose_rules_and_costs_changed()
    first = versions(programme.pk)[0]
    editor = get_user_model().objects.create_user("programmes-only", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_programme", "change_programme"])
    )
    client.force_login(editor)

    assert client.get(url("history", programme.pk)).status_code == 200
    assert client.post(url("restore", programme.pk, first.key)).status_code == 403
    assert not EligibilityRule.objects.exists()


def test_an_organisation_keeps_its_history_and_shows_it(adviser_client, adviser):
    organisation = make_organisation(name="Old name")
    change = reverse("admin:programs_organisation_change", args=[organisation.pk])
    data = change_form_post(adviser_client.get(change))
    data["name"] = "New name"
    adviser_client.post(change, data)

    history = adviser_client.get(
        reverse("admin:programs_organisation_history", args=[organisation.pk])
    )

    assert [h.name for h in organisation.history.all()] == ["New name", "Old name"]
    assert organisation.history.latest().history_user == adviser
    assert history.status_code == 200 and "New name" in history.text


def test_guide_content_keeps_its_history(adviser_client):
    item = make_guide_item(title="Old advice")
    item.title = "New advice"
    item.save()

    history = adviser_client.get(reverse("admin:programs_guideitem_history", args=[item.pk]))

    assert [h.title for h in GuideItem.history.filter(id=item.pk)] == ["New advice", "Old advice"]
    assert history.status_code == 200


def test_an_adviser_reverts_an_organisation_to_an_earlier_version(adviser_client):
    organisation = make_organisation(name="Right name")
    original = organisation.history.earliest()
    organisation.name = "Wrong name"
    organisation.save()
    revert = reverse(
        "admin:programs_organisation_simple_history", args=[organisation.pk, original.history_id]
    )
    form = adviser_client.get(revert).context["adminform"].form

    response = adviser_client.post(revert, form_values(form))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Right name"


def test_every_model_an_adviser_can_edit_keeps_history():
    """Issue 14: "Every adviser-editable model keeps history" (the admin is where advisers edit)."""
    editable = [m for m in admin.site._registry if m._meta.app_label == "programs"]
    # A reader's suggestion is decided, not edited: it records who decided it and when, and keeps
    # no history so that a sender's address is really gone once deleted (models/suggestions.py).
    decided_not_edited = {"Suggestion"}

    assert editable
    assert [
        m.__name__
        for m in editable
        if not hasattr(m, "history") and m.__name__ not in decided_not_edited
    ] == []


def test_a_country_an_adviser_renames_keeps_its_history_with_who_changed_it(
    adviser_client, adviser
):
    country = make_country(name="Old name")
    change = reverse("admin:programs_country_change", args=[country.pk])
    data = change_form_post(adviser_client.get(change))
    data["name"] = "New name"
    adviser_client.post(change, data)

    history = adviser_client.get(reverse("admin:programs_country_history", args=[country.pk]))

    assert [h.name for h in country.history.all()] == ["New name", "Old name"]
    assert country.history.latest().history_user == adviser
    assert history.status_code == 200 and "New name" in history.text
