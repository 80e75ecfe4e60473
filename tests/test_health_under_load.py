"""/healthz and the database-down 503s answer within 2 s under load, on the production topology
(nginx → gunicorn, 2 workers → the database, private Redis). Issue 24: with every sync worker busy
rendering pages, a probe queued behind them for 9 s (the container's probe gives up at 4 s), and
during a PostgreSQL outage each 503 waited the pool's timeout behind the others' (3.0-4.5 s).
Now each worker serves the health listener on a thread of its own (internships/serving.py), and a
process that found PostgreSQL down refuses at once for a second (internships/postgresql/)."""

from __future__ import annotations

import random
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.stack import PrivateCluster, Stack, free_block, free_port
from tests.proxy_stack import Answer, fetch

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (make services)"),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]
LOADERS = 16
# A page's 503 waits for a page thread behind the loaded requests: the 2-s target is asserted by
# `make reliability` on a machine doing nothing else (its row: max 0.49 s). Here the other stack
# tests may share the 2 cores (make test-stack runs three at once; one run measured 3.18 s), so the
# test allows 4 s and prints what it saw: before the breaker these pages took about 10 s.
PAGE_503_SECONDS = 4.0


class Load:
    """LOADERS clients asking through nginx for list pages nobody has asked for before (each one
    rendered by the app), as fast as they are answered."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.answers: list[Answer] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._ask) for _ in range(LOADERS)]

    def _ask(self) -> None:
        while not self._stop.is_set():
            path = f"/programmes/?q=load{random.randrange(10**12)}"
            self.answers.append(fetch(self.stack.port, path, timeout=60))

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        time.sleep(3)  # every page thread busy, requests waiting in turn
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()


def probes(stack: Stack, path: str, count: int = 6) -> list[Answer]:
    answers = []
    for _ in range(count):
        answers.append(fetch(stack.port, path, timeout=30))
        time.sleep(0.3)
    return answers


def seconds(answers: list[Answer]) -> list[float]:
    return [round(a.finished - a.started, 2) for a in answers]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    folder = Path(tempfile.mkdtemp(prefix="health-load-"))
    stack = Stack(f"sqlite:///{folder / 'db.sqlite3'}", port=free_block(4)).start()
    try:
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_healthz_answers_within_two_seconds_while_pages_keep_every_worker_busy(stack):
    fetch(stack.port, "/programmes/?q=warm")  # the first render pays for the templates

    with Load(stack) as load:
        health = probes(stack, "/healthz")
        pages_meanwhile = [a for a in load.answers if a.finished > health[0].started]

    print(f"\n/healthz {seconds(health)} s; pages meanwhile {seconds(pages_meanwhile)} s")
    assert [a.status for a in health] == [200] * len(health)
    assert max(seconds(health)) < 2.0
    assert pages_meanwhile, "the pages were answered while the probes ran"


@pytest.fixture(scope="module")
def database_down() -> Iterator[Stack]:
    if not shutil.which("runuser") or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("needs PostgreSQL's initdb and runuser")
    cluster = PrivateCluster(port=free_port()).create()
    stack = Stack(cluster.url, port=free_block(4))
    try:
        stack.start()
        fetch(stack.port, "/programmes/?q=warm")
        assert fetch(stack.port, "/healthz").status == 200
        cluster.stop()
        yield stack
    finally:
        stack.stop()
        cluster.drop()


def test_database_down_503s_and_healthz_answer_within_two_seconds_under_load(database_down):
    with Load(database_down) as load:
        health = probes(database_down, "/healthz")
        pages = probes(database_down, "/destinations/?p=probe")

    print(f"\n/healthz {seconds(health)} s; pages {seconds(pages)} s; "
          f"{len(load.answers)} loaded pages, slowest {max(seconds(load.answers))} s")  # fmt: skip
    assert [a.status for a in health] == [503] * len(health)
    assert '"database": "unavailable"' in health[-1].body
    assert max(seconds(health)) < 2.0
    assert [a.status for a in pages] == [503] * len(pages)
    assert all("back in a moment" in a.body for a in pages)
    assert max(seconds(pages)) < PAGE_503_SECONDS
    # Every loaded request got the friendly 503 too, none an nginx timeout or a 500.
    assert {a.status for a in load.answers} == {503}
