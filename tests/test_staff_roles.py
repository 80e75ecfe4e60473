"""Who may do what in admin: advisers edit, and delete only rules, costs and dated deadlines,
strangers never get in, and the
login refuses guessing (django-axes) and short passwords."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from programs.catalogue.roles import ADVISER, EDITOR_IN_CHIEF, create_staff_user
from tests.factories import make_programme

LOGIN = reverse("admin:login")


def admin_url(model: str, view: str, *args, app: str = "programs") -> str:
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def run_the_group_migrations() -> None:
    """Run the migrations' group steps against the migration state, as `migrate` does."""
    for name, step in [
        ("0003_adviser_workflow_history", "create_groups"),
        ("0007_sources_and_dated_deadlines", "grant_permissions"),
    ]:
        migration = import_module(f"programs.migrations.{name}")
        state = MigrationLoader(connection).project_state(("programs", name))
        getattr(migration, step)(state.apps, None)


def test_the_migrations_create_both_groups_and_advisers_delete_only_rules_costs_and_dates(db):
    # A transactional test elsewhere may have flushed the groups `migrate` made: make them again.
    Group.objects.all().delete()
    run_the_group_migrations()

    adviser = set(Group.objects.get(name=ADVISER).permissions.values_list("codename", flat=True))
    editor = set(
        Group.objects.get(name=EDITOR_IN_CHIEF).permissions.values_list("codename", flat=True)
    )

    assert {"add_programme", "change_programme", "view_programme", "change_cost"} <= adviser
    assert {code for code in adviser if code.startswith("delete_")} == {
        "delete_eligibilityrule",
        "delete_cost",
        "delete_dateddeadline",
    }
    assert {"add_source", "change_source", "add_dateddeadline"} <= adviser
    assert {"delete_programme", "delete_organisation", "delete_guideitem"} <= editor
    assert not {code for code in editor | adviser if code.endswith(("_user", "_group"))}


def test_an_adviser_can_edit_a_programme_but_not_delete_it(adviser_client):
    programme = make_programme()

    assert adviser_client.get(admin_url("programme", "change", programme.pk)).status_code == 200
    response = adviser_client.post(admin_url("programme", "delete", programme.pk), {"post": "yes"})

    assert response.status_code == 403
    assert programme.__class__.objects.filter(pk=programme.pk).exists()


def test_an_adviser_cannot_delete_through_the_changelist_action(adviser_client):
    programme = make_programme()

    response = adviser_client.get(admin_url("programme", "changelist"))
    adviser_client.post(
        admin_url("programme", "changelist"),
        {"action": "delete_selected", "_selected_action": [programme.pk], "post": "yes"},
    )

    assert "delete_selected" not in dict(response.context["action_form"].fields["action"].choices)
    assert programme.__class__.objects.filter(pk=programme.pk).exists()


@pytest.mark.parametrize(("app", "model"), [("auth", "user"), ("auth", "group")])
def test_an_adviser_cannot_manage_users_or_groups(adviser_client, app, model):
    response = adviser_client.get(admin_url(model, "changelist", app=app))

    assert response.status_code == 403


def test_the_editor_in_chief_can_delete_a_programme(client, editor_in_chief):
    programme = make_programme()
    client.force_login(editor_in_chief)

    response = client.post(admin_url("programme", "delete", programme.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not programme.__class__.objects.filter(pk=programme.pk).exists()


def test_a_stranger_is_sent_to_the_login_page(stranger, db):
    response = stranger.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_logged_in_non_staff_user_cannot_reach_admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("student", password="x" * 14))

    response = client.get(admin_url("programme", "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_an_adviser_logs_in_with_the_right_password(client, adviser):
    response = client.post(
        LOGIN, {"username": "adviser", "password": "a-long-adviser-password", "next": "/admin/"}
    )

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_five_wrong_passwords_lock_that_username_and_ip_out_with_429(client, adviser):
    for _ in range(4):
        response = client.post(LOGIN, {"username": "adviser", "password": "wrong-password!"})
        assert response.status_code == 200

    fifth = client.post(LOGIN, {"username": "adviser", "password": "wrong-password!"})
    right = client.post(LOGIN, {"username": "adviser", "password": "a-long-adviser-password"})
    other_ip = client.post(
        LOGIN,
        {"username": "adviser", "password": "a-long-adviser-password"},
        REMOTE_ADDR="10.0.0.9",
    )

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert other_ip.status_code == 302


def test_staff_passwords_need_at_least_twelve_characters(db):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        create_staff_user("short", "s@example.org", "Sh0rt!pass")


def test_create_adviser_makes_a_staff_login_in_the_adviser_group(db, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", "a-long-enough-password")

    call_command("create_adviser", "amina", "amina@example.org", password_from_env="NEW_PASSWORD")

    user = Group.objects.get(name=ADVISER).user_set.get()
    assert (user.username, user.is_staff, user.is_superuser) == ("amina", True, False)
    assert user.check_password("a-long-enough-password")


def test_creating_a_staff_login_restores_the_groups_a_flush_removed(db):
    Group.objects.all().delete()

    user = create_staff_user("after-flush", "f@example.org", "a-long-enough-password")

    assert user.has_perm("programs.change_programme")
    assert not user.has_perm("programs.delete_programme")


def test_after_migrate_advisers_may_edit_models_added_after_the_groups_were_made(db):
    call_command("migrate", verbosity=0)

    adviser = set(Group.objects.get(name=ADVISER).permissions.values_list("codename", flat=True))

    assert {"change_exchangerate", "change_legitimacysignal"} <= adviser
    assert "delete_exchangerate" not in adviser
