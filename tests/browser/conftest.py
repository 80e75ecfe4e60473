"""Playwright against Debian's Chromium (no browser downloads) and a live Django server."""

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            "CI needs Debian's chromium for the browser tests: apt-get install chromium"
        )
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium)")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    if os.geteuid() == 0:
        args.append("--no-sandbox")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": args}


class SeedSnapshot:
    """The real fixtures for live-server tests, loaded through load_directory once per worker.

    A live-server test commits, so its data cannot be rolled back like `seeded`'s: pytest-django
    empties every table after it. On SQLite (the in-memory test database the live server shares)
    the database as the first load left it (the fixtures' rows, their history, search documents,
    fingerprints) is copied page by page with SQLite's backup API, and copied back before each
    later test: milliseconds instead of a load (seconds of validation, history and search
    writes). On PostgreSQL every test loads the fixtures.
    """

    def __init__(self) -> None:
        self.copy: sqlite3.Connection | None = None

    def put_in_place(self) -> None:
        from django.contrib.contenttypes.models import ContentType
        from django.db import DEFAULT_DB_ALIAS, connections

        from programs.catalogue.loading import load_directory

        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            load_directory()
            return
        connection.ensure_connection()
        database = connection.connection
        if self.copy is None:
            load_directory()
            self.copy = sqlite3.connect(":memory:")
            database.backup(self.copy)
            return
        self.copy.backup(database)
        # The emptied tables were refilled (content types, permissions) with other ids than the
        # copy's: forget the ids this process cached.
        ContentType.objects.clear_cache()


SEED_SNAPSHOT = SeedSnapshot()


@pytest.fixture
def seeded_server(transactional_db, live_server):
    """A live server over the real fixtures (SeedSnapshot)."""
    SEED_SNAPSHOT.put_in_place()
    return live_server


# Screenshots are for a person to look at, never what a test checks: taken only with SCREENSHOTS=1
# (`make screenshots`), they cost the everyday suite half a second to a second each.
PHOTOGRAPH = os.environ.get("SCREENSHOTS") == "1"


def photograph(page: Page, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot of `page` under artifacts/ when SCREENSHOTS=1."""
    if PHOTOGRAPH:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def screenshot(request):
    """`screenshot(name)` photographs the test's `page` (or `of=` another page) with SCREENSHOTS=1."""

    def take(name: str, of: Page | None = None) -> None:
        if PHOTOGRAPH:
            photograph(of or request.getfixturevalue("page"), name)

    return take
