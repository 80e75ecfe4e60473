"""django-tasks-db's `db_worker`, made to outlive a database outage and to clear up after a
worker that was killed.

The library's worker exits on the first `OperationalError` that is not SQLite's "database is
locked": a PostgreSQL restart ended it for good, and nothing ran the queued imports and mails until
someone restarted it by hand. This worker waits and reconnects instead, and says so in its log.
It takes this command's name because `programs` comes before `django_tasks_db` in INSTALLED_APPS
(Django runs the first app's command of a name), so `make run`, `make prod-local`, compose and the
docs all start it as before; every option is the library's.

A worker killed mid-task (`kill -9`, out of memory) left its task RUNNING for ever: django-tasks-db
0.13 records which worker claimed a task but never checks that it still lives. This worker's id
names its machine, process and the process's start time (`host:pid:start`, unless `--worker-id`
is given); when it starts, and again after each database outage, it marks FAILED every task
another worker on this machine claimed and no longer runs (its process is gone, or the pid now
belongs to a later process), with the reason as the task's error. Supervision (compose's
`restart: unless-stopped`, systemd's `Restart=always`, `make prod-local`) restarts a dead worker
within seconds, so that is when its task is marked. A task claimed on another machine is left to
a worker there.
"""

from __future__ import annotations

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from programs.core.processes import ProcessId

logger = logging.getLogger("django_tasks_db")

# How long the worker waits between two tries while the database is away: short enough that work
# resumes within seconds of its return, long enough to cost a down server nothing.
RETRY_SECONDS = 2.0


class WorkerDied(Exception):
    """A failed task's error when its worker stopped while running it."""


def this_worker_id() -> str:
    return str(ProcessId.current())


def dead_worker_reason(worker_id: str) -> str:
    """Why the worker `worker_id` (host:pid:start) is gone, or '' (alive, or not on this machine,
    or an id of another form)."""
    process = ProcessId.parse(worker_id)
    if process is None or not process.ended():
        return ""
    said = (
        f"The task worker (process {process.pid} on {process.host}) stopped while running this task"
    )
    return f"{said}; a later process has its number." if process.reused else f"{said}."


def fail_tasks_of_dead_workers(backend_name: str) -> int:
    """Mark FAILED each RUNNING task whose worker on this machine is gone; how many."""
    marked = 0
    for result in DBTaskResult.objects.running().filter(backend_name=backend_name):
        reason = dead_worker_reason(result.worker_ids[-1] if result.worker_ids else "")
        if not reason:
            continue
        marked += DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, worker_ids=result.worker_ids
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=f"{WorkerDied.__qualname__}: {reason}\n",
            return_value=None,
        )
        logger.warning("Task %s marked failed: %s", result.pk, reason)
    return marked


class ReconnectingWorker(db_worker.Worker):
    def run(self) -> None:
        while self.running:
            try:
                fail_tasks_of_dead_workers(self.backend_name)
                super().run()
                return
            except DatabaseError as exc:
                reason = (
                    str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                )
                logger.warning(
                    "The database is unreachable (%s); trying again in %.0f s.",
                    reason,
                    RETRY_SECONDS,
                )
                for connection in connections.all(initialized_only=True):
                    try:
                        connection.close()
                    except DatabaseError:
                        connection.connection = None  # the socket is gone; start afresh
                time.sleep(RETRY_SECONDS)


class Command(db_worker.Command):
    help = (
        "Run the database task worker; it waits out a database outage and carries on, and marks "
        "failed the tasks of workers on this machine that were killed."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        # host:pid:start (this_worker_id), so that a later worker can tell this one is gone.
        parser.set_defaults(worker_id=None)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str | None,
        exclude_queues: str,
        **options: object,
    ) -> None:
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        queue_names = queue_name.split(",")
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ReconnectingWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id or this_worker_id(),
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
