"""A task whose worker was killed is marked failed, with the reason, by the worker that replaces
it (issue 24: django-tasks-db left it RUNNING for ever). Real processes on a SQLite file: a
`db_worker` runs a task that sleeps, is killed with SIGKILL mid-task, and a new one is started, as
compose, systemd and `make prod-local` restart it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.stack


def probe(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.worker_probe", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
         "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=log.open("a"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for_status(env: dict, task_id: str, wanted: set[str], seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        status = probe(env, "status", task_id)
        if status in wanted:
            break
        time.sleep(0.3)
    return status


def test_a_task_whose_worker_was_killed_is_marked_failed_with_the_reason(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "internships.test_settings",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT, env=env, capture_output=True, check=True,
    )  # fmt: skip
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    second = None
    try:
        napping = probe(env, "nap", "300")
        assert wait_for_status(env, napping, {"RUNNING"}) == "RUNNING", log.read_text()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        time.sleep(1)
        assert probe(env, "status", napping) == "RUNNING"  # nothing else notices

        second = start_worker(env, log)
        status = wait_for_status(env, napping, {"FAILED", "SUCCESSFUL"})
        error = probe(env, "error", napping)

        assert status == "FAILED", log.read_text()
        assert error.splitlines()[0] == "programs.management.commands.db_worker.WorkerDied"
        assert f"process {first.pid}" in error
        assert "stopped while running this task" in error
        # The new worker still runs what comes next.
        after = probe(env, "enqueue")
        assert wait_for_status(env, after, {"SUCCESSFUL", "FAILED"}) == "SUCCESSFUL"
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
