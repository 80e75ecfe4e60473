"""Shared pytest fixtures: personas and the seeded directory."""

import os
import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.backends.sqlite3 import base as sqlite_base
from django.test import Client
from hypothesis import settings as hypothesis_settings
from pytest_django import DjangoDbBlocker

from programs.catalogue.loading import load_directory
from programs.core import clock

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


_CONNECTION_LOCKS: dict[int, threading.RLock] = {}
_CONNECTION_LOCKS_GUARD = threading.Lock()


def _lock_of(connection: object) -> threading.RLock:
    with _CONNECTION_LOCKS_GUARD:
        return _CONNECTION_LOCKS.setdefault(id(connection), threading.RLock())


class OneThreadAtATimeCursor(sqlite_base.SQLiteCursorWrapper):
    """SQLite cursors that enter the C library one thread at a time per connection.

    The live server shares the test's in-memory SQLite connection with every request thread and
    with the test itself. Two threads inside one connection at once can deadlock in CPython's
    sqlite3: one steps a statement (holding SQLite's connection mutex) and calls one of Django's
    SQL functions written in Python (waiting for the GIL), while the other reads a row's columns
    holding the GIL (waiting for the mutex). A browser test that polled the admin (the
    editing-presence heartbeat) beside a page load hung a worker for good this way. Waiting for
    the lock releases the GIL. The lock is the connection's own: threads with connections of their
    own (tests/test_restore_save_race.py) still wait for each other in SQLite's file lock, not here.
    """


def _one_thread_at_a_time(name: str):
    call = getattr(sqlite_base.SQLiteCursorWrapper, name)

    def locked(self, *args, **kwargs):
        with _lock_of(self.connection):
            return call(self, *args, **kwargs)

    locked.__name__ = name
    return locked


# Every call that steps a statement or reads its rows (and closing it).
for _name in (
    "execute",
    "executemany",
    "executescript",
    "fetchone",
    "fetchmany",
    "fetchall",
    "__next__",
    "close",
):
    setattr(OneThreadAtATimeCursor, _name, _one_thread_at_a_time(_name))

sqlite_base.SQLiteCursorWrapper = OneThreadAtATimeCursor  # type: ignore[misc]

# Generated examples per property test: a quick look in `make test` (on SQLite and PostgreSQL), the
# full budget in `make test-scale` (HYPOTHESIS_PROFILE=ci; CI runs it once). 400 generated query
# strings, each against every public page (about 6,000 requests), keep CI within its 25 minutes;
# HYPOTHESIS_MAX_EXAMPLES explores further (e.g. 5000 before a release).
hypothesis_settings.register_profile("dev", max_examples=30)
hypothesis_settings.register_profile(
    "ci", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "400"))
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no cached pages (the test database is rolled back, not re-saved)."""
    cache.clear()


@pytest.fixture
def pages_uncached(settings):
    """Pages are rendered on every request (nothing is kept in the page cache)."""
    settings.PAGE_CACHE_SECONDS = 0


class SeedLayer:
    """The real fixtures, loaded once through load_directory into a transaction that stays open
    under the tests that ask for `seeded`, and is rolled back before any other test runs.

    Each seeded test still runs in its own savepoint (pytest-django's `db`), so what it changes is
    undone before the next one; tests that do not ask for `seeded` see an empty database.
    `pytest_collection_modifyitems` puts the seeded tests next to each other so the layer opens
    once a run; a seeded test that comes after the layer was closed loads the data itself.
    """

    def __init__(self) -> None:
        self.atomic: transaction.Atomic | None = None
        self.blocker: DjangoDbBlocker | None = None
        self.used = False

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self, blocker: DjangoDbBlocker) -> None:
        self.blocker, self.used = blocker, True
        with blocker.unblock():
            if transaction.get_connection(DEFAULT_DB_ALIAS).in_atomic_block:
                # Opened inside a test's own transaction, the layer would be rolled back with that
                # test and every later seeded test would reload the data.
                raise pytest.UsageError(
                    "Ask for `seeded` as a test argument, not with request.getfixturevalue()."
                )
            self.atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
            self.atomic.__enter__()
            load_directory()

    def close(self) -> None:
        if self.atomic is None or self.blocker is None:  # never opened: open() sets both
            return
        atomic, self.atomic = self.atomic, None
        with self.blocker.unblock():
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            atomic.__exit__(None, None, None)


SEED_LAYER = SeedLayer()


def _is_seeded(item: pytest.Item) -> bool:
    return "seeded" in getattr(item, "fixturenames", ())


def _is_long(item: pytest.Item) -> bool:
    return any(item.get_closest_marker(mark) for mark in ("browser", "scale"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the seeded tests last, in their usual order, so the seed data loads once a run (once a
    worker under pytest-xdist). The browser and scale tests, the longest, come first: parallel
    workers then end together instead of one finishing a long test while the other waits."""
    items.sort(key=lambda item: (_is_seeded(item), not _is_long(item)))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if not _is_seeded(item):
        SEED_LAYER.close()


@pytest.fixture(scope="session")
def _seed_layer(django_db_setup, django_db_blocker):
    """Session-scoped so pytest sets it up before any test's own transaction (`db`)."""
    if not SEED_LAYER.used:
        SEED_LAYER.open(django_db_blocker)
    yield SEED_LAYER
    SEED_LAYER.close()


@pytest.fixture
def seeded(_seed_layer, request):
    """The real fixtures transcribed from the two guides, loaded through load_directory."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or {"transactional_db", "live_server"} & set(request.fixturenames):
        raise pytest.UsageError("`seeded` is for transaction-wrapped tests; use load_directory()")
    request.getfixturevalue("db")
    if not _seed_layer.is_open:
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


def signed_in_superuser(username: str, first_name: str):
    """A test client signed in as a new superuser with a first name (shown to other advisers)."""
    user = get_user_model().objects.create_superuser(
        username, f"{username}@example.org", "a-long-staff-password", first_name=first_name
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def amina(db):
    """One of two advisers editing the same record (tests/test_concurrent_edits.py)."""
    return signed_in_superuser("amina", "Amina")


@pytest.fixture
def ben(db):
    return signed_in_superuser("ben", "Ben")
