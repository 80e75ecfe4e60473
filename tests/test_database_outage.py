"""A PostgreSQL outage fails fast: pages that need the database answer a friendly 503, cached
pages keep being served, /healthz says 503, and exports never start a 200 they cannot finish.
On a private cluster on its own port (the shared server is never stopped)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.stack import PrivateCluster, free_port

ROOT = Path(__file__).resolve().parents[1]
# One private cluster for the module (its fixture is module-scoped): under xdist these tests stay on
# one worker instead of each worker starting and stopping its own cluster.
pytestmark = [pytest.mark.stack, pytest.mark.xdist_group("database_outage")]


# The probe's figures, kept for the process: pytest-xdist tears a module fixture down when a worker
# does not yet know its next test, and the probe (a cluster created, stopped and dropped) takes a
# minute; the tests only read its figures.
FIGURES: dict = {}


@pytest.fixture(scope="module")
def outage() -> dict:
    if not FIGURES:
        FIGURES.update(_probe())
    return FIGURES


def _probe() -> dict:
    if not shutil.which("runuser") or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip("needs PostgreSQL's initdb and runuser")
    port = free_port()
    cluster = PrivateCluster(port=port).create()
    try:
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "OUTAGE_PG_PORT": str(port),
            "OUTAGE_PG_FOLDER": str(cluster.folder),
            "DJANGO_SETTINGS_MODULE": "internships.test_settings",
        }
        env.pop("REDIS_URL", None)
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "tests" / "database_outage_probe.py")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        cluster.drop()
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print("\nPostgreSQL stopped:", json.dumps(figures, indent=1))
    return figures


def test_a_page_cached_before_the_outage_is_still_served(outage):
    assert outage["before"]["cache"] == "miss"
    assert outage["cached page"]["status"] == 200
    assert outage["cached page"]["cache"] == "hit"


def test_a_page_that_needs_the_database_answers_a_friendly_503(outage):
    assert outage["uncached page"]["status"] == 503
    assert outage["uncached page"]["friendly"]


def test_healthz_answers_503(outage):
    assert outage["healthz"]["status"] == 503


@pytest.mark.parametrize("export", ["csv export", "json export"])
def test_exports_answer_503_instead_of_starting_a_200(outage, export):
    assert outage[export]["status"] == 503


def test_the_site_recovers_when_the_database_is_back(outage):
    assert outage["after restart"]["status"] == 200
