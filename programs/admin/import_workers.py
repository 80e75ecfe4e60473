"""Is the worker running an import job still alive? A worker killed mid-step (out of memory, a
deploy, `kill -9`) left its job "Importing — rows saved 100 of 1,000" for ever, with its file in
the database. Each step now records its worker ("host:pid:start", core/processes.py) when it claims the job and, from a
thread of its own, a heartbeat every HEARTBEAT_SECONDS. The job's page asks `dead_worker_reason`:
on the worker's own machine, whether its process still exists; elsewhere (a worker container),
whether its heartbeat is recent. A dead worker's job is marked failed with that reason (nothing was
saved: each step is one transaction or a dry run), keeps its file for a day so an adviser can
queue it again from its page, or discard it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import timedelta

from django.db import DatabaseError, connections
from django.utils import timezone

from programs.core.processes import ProcessId
from programs.models import ImportJob

Status = ImportJob.Status
HEARTBEAT_SECONDS = 10
# A worker on another machine that has not beaten for this long is taken for dead.
SILENT_FOR = timedelta(minutes=2)
# A failed job's file is kept this long for "Queue it again", then deleted.
FAILED_FILE_KEPT = timedelta(days=1)
RUNNING = (Status.CHECKING, Status.IMPORTING)


def this_worker() -> str:
    return str(ProcessId.current())


def dead_worker_reason(job: ImportJob) -> str:
    """Why the worker running `job` is gone, or '' (not running, or alive as far as we can tell)."""
    if job.status not in RUNNING or not job.worker:
        return ""
    process = ProcessId.parse(job.worker)
    host = process.host if process else job.worker
    step = "checking" if job.status == Status.CHECKING else "importing"
    if process is not None and process.here:
        if not process.ended():
            return ""
        return (
            f"The worker (process {process.pid} on {host}) stopped while {step} this file, so the "
            "step never finished. Nothing was saved."
        )
    last = job.heartbeat_at or job.started_at
    if last is None or timezone.now() - last <= SILENT_FOR:
        return ""
    minutes = int((timezone.now() - last).total_seconds() // 60)
    return (
        f"The worker on {host} stopped reporting {minutes} minutes ago while {step} this file; "
        "it has stopped. Nothing was saved."
    )


def fail_if_worker_died(job: ImportJob) -> bool:
    """Mark `job` failed when its worker is gone; True if it was. The file stays (for a day)."""
    reason = dead_worker_reason(job)
    if not reason:
        return False
    marked = ImportJob.objects.filter(pk=job.pk, status=job.status, worker=job.worker).update(
        status=Status.FAILED, failure=reason, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return bool(marked)


def forget_old_files() -> None:
    """Failed jobs keep their file only for FAILED_FILE_KEPT."""
    ImportJob.objects.filter(
        status=Status.FAILED, finished_at__lt=timezone.now() - FAILED_FILE_KEPT
    ).exclude(data=b"").update(data=b"")


def can_queue_again(job: ImportJob) -> bool:
    return job.status == Status.FAILED and bool(job.data)


def discard_file(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(data=b"")


@contextmanager
def heartbeat(job_pk: int) -> Iterator[None]:
    """While the block runs, say every HEARTBEAT_SECONDS that this worker is alive, on a
    connection of its own (the step's transaction cannot show it). A beat the database refuses
    (SQLite, locked by the import's transaction) is skipped: the process check covers SQLite."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                with suppress(DatabaseError):
                    ImportJob.objects.filter(pk=job_pk).update(heartbeat_at=timezone.now())
        finally:
            connections.close_all()

    thread = threading.Thread(target=beat, name=f"import-job-{job_pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
