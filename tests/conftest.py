"""Shared pytest fixtures: personas and the seeded directory."""

import os
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from programs.catalogue.loading import load_directory
from programs.core import clock

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages (the test database is rolled back, not re-saved)."""
    cache.clear()


@pytest.fixture
def pages_uncached(settings):
    """Pages are rendered on every request (nothing is kept in the page cache)."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def seeded(db):
    """The real fixtures transcribed from the two guides, loaded through load_directory."""
    load_directory()


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser(
        "staff", "staff@example.org", "a-long-staff-password"
    )


@pytest.fixture
def stranger(client):
    return client


@pytest.fixture
def adviser(db):
    """A staff login in the Adviser group, made the way the README says."""
    from programs.catalogue.roles import create_staff_user

    return create_staff_user("adviser", "adviser@example.org", "a-long-adviser-password")


@pytest.fixture
def editor_in_chief(db):
    from programs.catalogue.roles import EDITOR_IN_CHIEF, create_staff_user

    return create_staff_user(
        "editor", "editor@example.org", "a-long-editor-password", EDITOR_IN_CHIEF
    )


@pytest.fixture
def pin_today(monkeypatch) -> Callable[[date], None]:
    """Set the directory's clock (every caller reads `clock.today`) to a fixed day."""

    def pin(day: date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    return pin


@pytest.fixture
def new_years_day(pin_today) -> None:
    pin_today(date(2027, 1, 1))


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """The seeded directory loaded once for a module of read-only tests, rolled back after it.

    Tests that use it also ask for `db`; their own transactions nest inside this one."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_directory()
        yield
        transaction.set_rollback(True)
