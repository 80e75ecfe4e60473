"""The two staff roles. Migration 0003 creates the groups; `ensure_groups()` restores them
(after `flush`, say) with the same permissions, and `create_adviser()` makes a login."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password

ADVISER = "Adviser"
EDITOR_IN_CHIEF = "Editor-in-chief"
# Advisers may delete what they add inside a programme (a mistaken rule, cost or dated deadline),
# never a programme, organisation or source.
ADVISER_MAY_DELETE = ["delete_eligibilityrule", "delete_cost", "delete_dateddeadline"]


def ensure_groups() -> dict[str, Group]:
    """Adviser: add, change and view the directory, and delete rules, costs and dated
    deadlines. Editor-in-chief: delete anything as well."""
    directory = Permission.objects.filter(content_type__app_label="programs").exclude(
        content_type__model__startswith="historical"
    )
    adviser, _ = Group.objects.get_or_create(name=ADVISER)
    adviser.permissions.set(
        directory.exclude(codename__startswith="delete_")
        | directory.filter(codename__in=ADVISER_MAY_DELETE)
    )
    editor, _ = Group.objects.get_or_create(name=EDITOR_IN_CHIEF)
    editor.permissions.set(directory)
    return {ADVISER: adviser, EDITOR_IN_CHIEF: editor}


def create_staff_user(username: str, email: str, password: str, role: str = ADVISER):
    """A staff login (not a superuser) in one role; the password must pass the validators."""
    groups = ensure_groups()
    user_model = get_user_model()
    user = user_model(username=username, email=email, is_staff=True)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set([groups[role]])
    return user
