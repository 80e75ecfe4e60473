"""A task for the worker-outage test, and a command line to enqueue it or read its status from a
separate process (the worker and the probe share only the database, as in production).

    python -m tests.worker_probe enqueue        → prints the task result's id
    python -m tests.worker_probe nap SECONDS    → queues a task that sleeps; prints its id
    python -m tests.worker_probe status ID      → prints its status (READY, RUNNING, SUCCESSFUL…)
    python -m tests.worker_probe error ID       → prints its error (the exception and message)
"""

import sys
import time

from django.tasks import task


@task()
def answer(number: int) -> int:
    return number * 2


@task()
def nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def main(action: str, *args: str) -> None:
    import django

    django.setup()
    from django_tasks_db.models import DBTaskResult

    # By its importable name: run as __main__, the worker could not find `__main__.answer`.
    from tests.worker_probe import answer as importable
    from tests.worker_probe import nap as importable_nap

    if action == "enqueue":
        print(importable.enqueue(21).id)
    elif action == "nap":
        print(importable_nap.enqueue(float(args[0])).id)
    elif action == "status":
        print(DBTaskResult.objects.get(id=args[0]).status)
    elif action == "error":
        result = DBTaskResult.objects.get(id=args[0])
        print(result.exception_class_path, result.traceback.strip(), sep="\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
