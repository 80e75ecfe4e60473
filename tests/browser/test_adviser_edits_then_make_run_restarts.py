"""Issue 23, "Restarting loses the site": in Chromium, an adviser edits a programme in the admin of
a site started with `make run`; the site is stopped and `make run` started again, exactly as a
person would. Before, the second start stopped at `load_directory` (the edited row was a conflict,
exit 1) and the site never came back; now it starts, keeps the edit, and says which row it kept.

`make run` is the Makefile's own target, run in a process group of its own (so stopping it stops
its server and worker), on a fresh SQLite file or, when the suite runs on PostgreSQL, a fresh
PostgreSQL database of its own."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.error import URLError

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from deploy.stack import free_port

# `make run` starts its own server, worker and database (a minute of migrating and loading): it runs
# with the other production-topology tests in `make test-stack`, which CI runs once.
pytestmark = [pytest.mark.browser, pytest.mark.stack, pytest.mark.xdist_group("make-run")]

ROOT = Path(__file__).resolve().parents[2]
SLUG = "stanford-pediatrics-internship-program"
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)
START_SECONDS = 240  # migrate and load the fixtures on a busy 2-core machine


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own, as a person's first `make run` finds it: a new SQLite file, or on
    PostgreSQL a new database beside the suite's (dropped afterwards), so nothing the server or
    its worker writes reaches another test."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        yield f"sqlite:///{tmp_path / 'run.sqlite3'}"
        return
    import psycopg

    name = f"{database['NAME']}_make_run_{os.getpid()}"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    server = f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class MakeRun:
    """`make run` in its own process group, its output in a file."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = free_port()
        self.log = log
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PORT": str(self.port),
            "REDIS_URL": "",
        }
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
                ["make", "run", f"PORT={self.port}"],  # noqa: S607 (the person's own command)
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make run stopped:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (URLError, OSError):
                pass
            time.sleep(1)
        raise AssertionError(f"make run did not answer in {START_SECONDS} s:\n{self.output()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # Ctrl-C, as a person stops it
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def manage(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            [str(ROOT / ".venv/bin/python"), "manage.py", *args],
            cwd=ROOT,
            env={**self.env, "DJANGO_DEBUG": "true", "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
        )


@pytest.fixture
def make_run(database_url: str, tmp_path: Path) -> Iterator[MakeRun]:
    run = MakeRun(database_url, tmp_path / "make-run.log")
    try:
        yield run
    finally:
        run.stop()


def test_after_an_edit_in_the_admin_make_run_starts_again_and_keeps_the_edit(
    page: Page, make_run: MakeRun
):
    make_run.start()
    make_run.manage("createsuperuser", "--noinput", "--username", "amina", "--email", "a@x.org")

    page.goto(f"{make_run.url}/admin/programs/programme/?q={SLUG}")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#result_list tbody th a").first.click()
    page.get_by_label("Title:").fill("Stanford pediatrics, checked with the provider")
    page.get_by_role("button", name="Save", exact=True).first.click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    make_run.stop()
    make_run.start()

    log = make_run.output()
    assert f"[programs.programme:{SLUG}]" in log
    assert "kept as they are" in log
    page.goto(f"{make_run.url}/programmes/{SLUG}/")
    expect(page.locator("h1")).to_contain_text("Stanford pediatrics, checked with the provider")
