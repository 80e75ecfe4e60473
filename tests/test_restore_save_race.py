"""Issue 24, "Restore races": a revision restore and a stale-form save of the same programme,
0–250 ms apart, in two threads with their own database connections over real HTTP requests
(Django's test client), on PostgreSQL and on SQLite (a file, as `make run` uses: the test's
in-memory database cannot wait for a lock). Before the write path, 13 of 15 such trials told
both advisers "success" and silently undid one change; now exactly one of them is saved and the
other is refused, every time."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from programs.catalogue import revisions, writing
from programs.models import Programme
from tests.factories import make_cost, make_programme, make_rule
from tests.test_admin import change_form_post

pytestmark = pytest.mark.django_db(transaction=True)

# Milliseconds between the restore and the save: positive, the restore is sent first.
OFFSETS_MS = [0, 50, 125, 250, -50, -125, -250]


def in_thread[T](work: Callable[[], T]) -> T:
    """Run `work` on a connection of its own (as another request of the server would)."""

    def run() -> T:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.fixture
def database(transactional_db, tmp_path: Path) -> Iterator[None]:
    """PostgreSQL as it is; SQLite copied from the test's in-memory database into a file, which
    the threads' connections open (the main thread keeps its in-memory one, untouched)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "race.sqlite3"
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    database_settings = settings.DATABASES["default"]
    name = database_settings["NAME"]
    database_settings["NAME"] = str(path)
    try:
        yield
    finally:
        database_settings["NAME"] = name


def client_for(username: str) -> Client:
    user, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def a_programme_with_two_versions() -> tuple[int, str]:
    programme = make_programme(title="Original title", pay_note="")
    make_cost(programme, key="fee")
    make_rule(programme, key="age", text="Aged 18 or over.")
    with writing.programme_write(programme.pk):
        programme.title = "Title changed by Amina"
        programme.save()
    return programme.pk, revisions.versions(programme.pk)[0].key


def one_trial(offset_ms: int) -> dict[str, Any]:
    def prepare():
        programme_id, first = a_programme_with_two_versions()
        amina, ben = client_for("amina"), client_for("ben")
        restore_url = reverse("admin:programs_programme_restore", args=[programme_id, first])
        preview = amina.get(restore_url)
        change_url = reverse("admin:programs_programme_change", args=[programme_id])
        ben_form = change_form_post(ben.get(change_url))
        ben_form["pay_note"] = "Unpaid; meals provided."
        restore_form = {"seen": preview.context["newest"]}
        return programme_id, (amina, restore_url, restore_form), (ben, change_url, ben_form)

    programme_id, restore, save = in_thread(prepare)
    start = threading.Barrier(2)
    answers: dict[str, int] = {}

    def send(name: str, request: tuple, delay_ms: int) -> None:
        client, url, data = request
        start.wait()
        time.sleep(max(delay_ms, 0) / 1000)
        answers[name] = client.post(url, data).status_code

    def both() -> None:
        threads = [
            threading.Thread(
                target=lambda: in_thread(lambda: send("restore", restore, -offset_ms))
            ),
            threading.Thread(target=lambda: in_thread(lambda: send("save", save, offset_ms))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    both()
    stored = in_thread(
        lambda: Programme.objects.values("title", "pay_note", "version").get(pk=programme_id)
    )
    return {**answers, **stored}


@pytest.mark.parametrize("offset_ms", OFFSETS_MS)
def test_a_restore_and_a_stale_save_never_both_succeed(database, offset_ms):
    outcome = one_trial(offset_ms)

    restored = outcome["restore"] == 302
    saved = outcome["save"] == 302
    assert restored != saved, outcome  # exactly one is written; the other is refused
    assert outcome["restore"] in (302, 400) and outcome["save"] in (302, 200), outcome
    if restored:
        assert (outcome["title"], outcome["pay_note"]) == ("Original title", ""), outcome
    else:
        assert (outcome["title"], outcome["pay_note"]) == (
            "Title changed by Amina",
            "Unpaid; meals provided.",
        ), outcome
    assert outcome["version"] == 3, outcome
