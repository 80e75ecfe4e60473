"""The suite's own machinery: tests marked with one `xdist_group` run on one worker.

Module-scoped private servers (the proxy-cache stack, the outage probe, `make run`) rely on it. With
pytest 9.2 and pytest-xdist 3.8 the grouping silently stopped (pytest-xdist#1386): each worker
started its own copy, and `make test` took minutes longer. This runs a small suite the way the
Makefile does and reads which worker ran each test."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SUITE = """
import pytest

pytestmark = pytest.mark.xdist_group("together")


@pytest.mark.parametrize("n", range(6))
def test_grouped(n):
    pass


@pytest.mark.parametrize("n", range(6))
@pytest.mark.xdist_group("apart")
def test_other_group(n):
    pass
"""


def test_tests_of_one_xdist_group_run_on_one_worker(tmp_path: Path):
    (tmp_path / "test_grouped.py").write_text(SUITE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-v",
         "-p", "no:django", "-p", "no:playwright", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]
    workers: dict[str, set[str]] = {}
    for worker, test in re.findall(r"\[(gw\d)\].*PASSED \S+::(test_\w+)", result.stdout):
        workers.setdefault(test, set()).add(worker)

    assert set(workers) == {"test_grouped", "test_other_group"}, result.stdout[-2000:]
    assert all(len(ran_on) == 1 for ran_on in workers.values()), workers
