"""Issue 24, "A worker that survives": a large import whose worker died is detected, marked failed
with a reason, can be queued again from its page, and its stored file is deleted when the job
ends. The first test kills a real `manage.py db_worker` mid-check (PostgreSQL: another process
cannot open the SQLite test database, which lives in this process's memory); the others put a
job in the state a killed worker leaves it in (claimed by a process that no longer exists, or by a
worker on another machine that stopped beating), on both databases."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from programs.admin.import_jobs import queue_import
from programs.admin.transfer import SpreadsheetCSV
from programs.models import ImportJob, Programme
from tests.test_import_export import exported
from tests.test_import_task import (  # noqa: F401 (fixtures)
    adviser_client,
    bulk_programmes,
    five_programmes,
    job_page,
    run_worker,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = ImportJob.Status
ROOT = Path(__file__).resolve().parents[1]


def again(client, job: ImportJob):
    return client.post(reverse("admin:programs_programme_queue_import_job_again", args=[job.pk]))


def a_process_that_has_ended() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def queued_file(adviser, rows: int = 5) -> ImportJob:
    data = exported().csv.encode()
    return queue_import(data, SpreadsheetCSV(), "programmes.csv", rows, adviser, False)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="a second process cannot open the SQLite test database (in this process's memory)",
)
def test_a_worker_killed_mid_check_is_noticed_and_its_file_checks_once_queued_again(
    adviser_client,  # noqa: F811
    adviser,
    five_programmes,  # noqa: F811
):
    bulk_programmes(five_programmes[0], 1500)
    job = queued_file(adviser, rows=Programme.objects.count())
    test = connection.settings_dict
    url = f"postgres://{test['USER']}@{test['HOST']}:{test['PORT']}/{test['NAME']}"
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status == Status.CHECKING:
                break
            time.sleep(0.1)
        assert job.status == Status.CHECKING
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

    page = adviser_client.get(job_page(job)).text

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert f"The worker (process {worker.pid} on {socket.gethostname()}) stopped" in page
    assert "Queue this file again" in page and 'http-equiv="refresh"' not in page
    again(adviser_client, job)
    run_worker()
    job.refresh_from_db()
    assert job.status == Status.CHECKED


def test_a_job_whose_worker_process_is_gone_fails_with_the_reason_and_can_be_queued_again(
    adviser_client,  # noqa: F811
    adviser,
    five_programmes,  # noqa: F811
):
    job = queued_file(adviser)
    run_worker()  # checked
    pid = a_process_that_has_ended()
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.IMPORTING, worker=f"{socket.gethostname()}:{pid}", started_at=timezone.now()
    )

    page = adviser_client.get(job_page(job)).text

    job.refresh_from_db()
    assert job.status == Status.FAILED and f"process {pid}" in job.failure
    assert "Nothing was saved." in page and "Queue this file again" in page
    assert job.data != b""  # kept, to be queued again
    again(adviser_client, job)
    job.refresh_from_db()
    assert job.status == Status.IMPORT_QUEUED  # its check had finished
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.data) == (Status.IMPORTED, b"")


def test_a_worker_elsewhere_that_stopped_beating_is_taken_for_dead(adviser_client, adviser):  # noqa: F811
    job = queued_file(adviser)
    started = timezone.now() - timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.CHECKING, worker="worker-container:7", started_at=started
    )
    alive = ImportJob.objects.create(
        file_name="b.csv",
        status=Status.CHECKING,
        worker="worker-container:8",
        started_at=started,
        heartbeat_at=timezone.now(),
        total_rows=5,
    )

    adviser_client.get(job_page(job))
    adviser_client.get(job_page(alive))

    job.refresh_from_db()
    alive.refresh_from_db()
    assert job.status == Status.FAILED and "worker-container stopped reporting" in job.failure
    assert alive.status == Status.CHECKING
    again(adviser_client, job)
    job.refresh_from_db()
    assert job.status == Status.CHECK_QUEUED  # its check never finished


def test_discarding_a_failed_jobs_file_deletes_it_and_a_day_old_one_goes_by_itself(
    adviser_client,  # noqa: F811
    adviser,
):
    job = queued_file(adviser)
    old = queued_file(adviser)
    ImportJob.objects.filter(pk__in=[job.pk, old.pk]).update(
        status=Status.FAILED, finished_at=timezone.now() - timedelta(days=2)
    )
    ImportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now())

    adviser_client.post(reverse("admin:programs_programme_discard_import_job_file", args=[job.pk]))
    queued_file(adviser)  # a new upload tidies up

    job.refresh_from_db()
    old.refresh_from_db()
    assert (job.data, old.data) == (b"", b"")
    assert "Queue this file again" not in adviser_client.get(job_page(job)).text
    assert again(adviser_client, job).status_code == 302
    job.refresh_from_db()
    assert job.status == Status.FAILED
