"""The task worker outlives a PostgreSQL outage (issue 24: `db_worker` exited at both stops of
the database and nothing restarted it, so queued imports and mails waited for a person). On a
private cluster on a free port; the shared server is never stopped."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.stack import PrivateCluster, free_port

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        not shutil.which("runuser") or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        reason="needs PostgreSQL's initdb and runuser",
    ),
]


def run(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def wait_until_done(env: dict, task_id: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    status = ""
    while time.monotonic() < deadline:
        status = run(env, "-m", "tests.worker_probe", "status", task_id)
        if status in ("SUCCESSFUL", "FAILED"):
            break
        time.sleep(0.5)
    return status


def test_the_worker_waits_out_a_database_outage_and_runs_what_comes_after(tmp_path):
    cluster = PrivateCluster(port=free_port()).create()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DJANGO_SETTINGS_MODULE": "internships.test_settings",
    }
    env.pop("REDIS_URL", None)
    log = tmp_path / "worker.log"
    worker = None
    try:
        run(env, "manage.py", "migrate", "--noinput")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2",
             "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        assert wait_until_done(env, run(env, "-m", "tests.worker_probe", "enqueue")) == "SUCCESSFUL"

        cluster.stop()
        time.sleep(5)  # 25 polls of a database that is not there
        still_running = worker.poll() is None
        cluster.start()

        assert still_running, log.read_text()[-2000:]
        after = run(env, "-m", "tests.worker_probe", "enqueue")
        assert wait_until_done(env, after) == "SUCCESSFUL", log.read_text()[-2000:]
        assert "The database is unreachable" in log.read_text()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        cluster.drop()
