"""`make prod-local` stops everything it started when it is killed (SIGTERM), as on Ctrl-C, and
starts its task worker again when the worker ends (issue 24: nothing restarted it)."""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from deploy.stack import free_block

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        not (shutil.which("nginx") and shutil.which("redis-server") and shutil.which("make")),
        reason="needs nginx, redis-server and make (make services)",
    ),
]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not yet reaped by its parent counts as gone.
    status = Path(f"/proc/{pid}/status").read_text()
    return "State:\tZ" not in status


def start_prod_local(tmp_path: Path) -> subprocess.Popen:
    """`make prod-local` as a person starts it, on free ports and an SQLite file of its own."""
    env = {
        **os.environ,
        "PROD_LOCAL_PORT": str(free_block(4)),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    return subprocess.Popen(
        ["make", "--no-print-directory", "prod-local"],  # noqa: S607
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_killing_make_prod_local_stops_every_process_it_started(tmp_path):
    make = start_prod_local(tmp_path)
    pids: list[int] = []
    said: list[str] = []
    try:
        assert make.stdout is not None
        deadline = time.monotonic() + 240
        for line in make.stdout:
            said.append(line)
            if line.startswith("Serving"):
                pids = [int(pid) for pid in re.findall(r"\b\w+ (\d+)", line.split("pids:")[1])]
                break
            assert time.monotonic() < deadline, "prod-local did not start"
        assert len(pids) == 4, f"nginx, gunicorn, Redis and the worker: {''.join(said)[-3000:]}"

        make.send_signal(signal.SIGTERM)
        make.wait(timeout=60)

        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [pid for pid in pids if alive(pid)] == []
    finally:
        if make.poll() is None:
            make.kill()
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_make_prod_local_starts_the_worker_again_when_it_is_killed(tmp_path):
    make = start_prod_local(tmp_path)
    pids: dict[str, int] = {}
    restarted: list[int] = []
    said: list[str] = []
    try:
        assert make.stdout is not None
        for line in make.stdout:
            said.append(line)
            if line.startswith("Serving"):
                found = re.findall(r"\b(\w+) (\d+)", line.split("pids:")[1])
                pids = {name: int(pid) for name, pid in found}
                os.kill(pids["worker"], signal.SIGKILL)
            if "restarted as pid" in line:
                restarted.append(int(line.rsplit("pid", 1)[1]))
                break
        assert restarted, "".join(said)[-3000:]
        assert f"db_worker (pid {pids['worker']}) ended (exit -9)" in said[-1]
        assert alive(restarted[0])

        make.send_signal(signal.SIGTERM)
        make.wait(timeout=60)
        deadline = time.monotonic() + 30
        while alive(restarted[0]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(restarted[0])  # the restarted worker is stopped with the rest
    finally:
        if make.poll() is None:
            make.kill()
        for pid in [*pids.values(), *restarted]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
