"""django-tasks-db's `db_worker`, made to outlive a database outage.

The library's worker exits on the first `OperationalError` that is not SQLite's "database is
locked": a PostgreSQL restart ended it for good, and nothing ran the queued imports and mails until
someone restarted it by hand. This worker waits and reconnects instead, and says so in its log.
It takes this command's name because `programs` comes before `django_tasks_db` in INSTALLED_APPS
(Django runs the first app's command of a name), so `make run`, `make prod-local`, compose and the
docs all start it as before; every option is the library's.
"""

from __future__ import annotations

import logging
import os
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")

# How long the worker waits between two tries while the database is away: short enough that work
# resumes within seconds of its return, long enough to cost a down server nothing.
RETRY_SECONDS = 2.0


class ReconnectingWorker(db_worker.Worker):
    def run(self) -> None:
        while self.running:
            try:
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
    help = "Run the database task worker; it waits out a database outage and carries on."

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
        worker_id: str,
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
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child handles signals
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
