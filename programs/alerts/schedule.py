"""`send_alerts` on a schedule, run by the task worker (`manage.py db_worker`): the task runs
once and queues its next run EVERY later (`run_after`), so one queued run is always waiting.
`manage.py send_alerts --schedule` queues the first (`make run` and the container do it; a second
call finds the waiting run and queues nothing)."""

from __future__ import annotations

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .sending import send_alerts

EVERY = timedelta(hours=1)


@task()
def send_alerts_task() -> dict[str, int]:
    report = send_alerts()
    schedule(after=EVERY)
    return vars(report)


def schedule(after: timedelta = timedelta(0)) -> bool:
    """Queue the next run unless one is waiting already; True when it queued one."""
    waiting = DBTaskResult.objects.filter(
        task_path=send_alerts_task.module_path, status="READY"
    ).exists()
    if waiting:
        return False
    send_alerts_task.using(run_after=timezone.now() + after).enqueue()
    return True
