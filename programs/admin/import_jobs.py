"""Large programme imports as a background task (Django's tasks framework; `manage.py db_worker`
runs them from the database), in the admin import's two steps.

1. **Check**: the whole file as a dry run, in parts of CHECK_PART_ROWS rows. Each part is rolled
   back like the admin's preview, and the rows checked so far are committed to the job between
   parts, so the progress page shows them while the check runs.
2. **Import**, once an adviser confirms the checked summary: the whole file in one transaction,
   all or nothing, with the same rules as a small import (a row changed in the directory after the
   export is a conflict unless "overwrite newer changes" was ticked; an unchanged row writes
   nothing). A conflict that appeared since the check refuses the import, and nothing is saved.
   One transaction cannot show its progress to another connection, so the rows saved so far go
   to the cache (Redis in production, shared with the web processes) every REPORT_EVERY rows, and
   the job records them when the step ends. The count is only shown: without the cache the page
   says "Importing" until the end, and nothing else changes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import tablib
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.cache import cache
from django.db import OperationalError, transaction
from django.tasks import task
from django.utils import timezone
from django_tasks_db.utils import is_locked_database_exception
from import_export.formats.base_formats import Format

from programs.catalogue.import_summary import combine, summarise, summary_record
from programs.models import ImportJob
from programs.models.revisions import one_revision

from .import_workers import forget_old_files, heartbeat, this_worker
from .transfer import ProgrammeResource, SpreadsheetCSV
from .uploads import SafeXLSX

logger = logging.getLogger(__name__)

CHECK_PART_ROWS = 100
REPORT_EVERY = 100
# Longer than any import takes; the count is only read while the job says "Importing".
LIVE_COUNT_SECONDS = 6 * 3600
FORMATS: dict[str, type[Format]] = {"csv": SpreadsheetCSV, "xlsx": SafeXLSX}
Status = ImportJob.Status


def format_key(input_format: Format) -> str:
    return next(key for key, cls in FORMATS.items() if isinstance(input_format, cls))


def queue_import(
    data: bytes,
    input_format: Format,
    file_name: str,
    total_rows: int,
    user,
    overwrite_newer: bool,
    leave_conflicts: bool = False,
) -> ImportJob:
    """Store an uploaded file (already read within the caps) and queue its check."""
    forget_old_files()
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=user,
            file_name=file_name[:255],
            file_format=format_key(input_format),
            data=data,
            total_rows=total_rows,
            overwrite_newer=overwrite_newer,
            leave_conflicts=leave_conflicts,
        )
        run_import_job.enqueue(job.pk)
    return job


def confirm_import(job: ImportJob) -> bool:
    """Queue the import of a checked file; False when it is not (or no longer) waiting for that."""
    with transaction.atomic():
        queued = ImportJob.objects.filter(pk=job.pk, status=Status.CHECKED).update(
            status=Status.IMPORT_QUEUED, rows_done=0
        )
        if queued:
            run_import_job.enqueue(job.pk)
    return bool(queued)


@task()
def run_import_job(job_id: int) -> str:
    """The task: whichever step the job waits for. Returns the status it ends in."""
    steps = {
        Status.CHECK_QUEUED: (Status.CHECKING, check),
        Status.IMPORT_QUEUED: (Status.IMPORTING, apply),
    }
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in steps:
        return job.status
    running, step = steps[Status(job.status)]
    # Claim it, so a second worker given the same job does nothing.
    claimed = ImportJob.objects.filter(pk=job.pk, status=job.status)
    now = timezone.now()
    if not when_unlocked(
        lambda: claimed.update(
            status=running,
            started_at=now,
            finished_at=None,
            worker=this_worker(),
            heartbeat_at=now,
        )
    ):
        return ImportJob.objects.get(pk=job_id).status
    job.refresh_from_db()
    try:
        with heartbeat(job.pk):
            step(job)
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        finish(job, Status.FAILED, failure=f"{type(error).__name__}: {error}")
        raise
    return job.status


def read_dataset(job: ImportJob) -> tablib.Dataset:
    # The same format class as the upload: caps, encodings and the zip-bomb guard apply again.
    return FORMATS[job.file_format]().create_dataset(bytes(job.data))


class ReportingResource(ProgrammeResource):
    """The programme import, saying every REPORT_EVERY rows how many it has done."""

    def __init__(self, report: Callable[[int], None], **kwargs) -> None:
        super().__init__(**kwargs)
        self.report = report
        self.rows = 0

    def after_import_row(self, row, row_result, **kwargs) -> None:
        super().after_import_row(row, row_result, **kwargs)
        self.rows += 1
        if self.rows % REPORT_EVERY == 0:
            self.report(self.rows)


def resource(job: ImportJob) -> ProgrammeResource:
    return ProgrammeResource(
        overwrite_newer=job.overwrite_newer, leave_conflicts=job.leave_conflicts
    )


def live_count_key(job_pk: int) -> str:
    return f"import-job:{job_pk}:rows-saved"


def rows_saved_so_far(job: ImportJob) -> int | None:
    """While the import step runs: the rows it has saved (uncommitted), if the cache knows."""
    return cache.get(live_count_key(job.pk))


def import_kwargs(job: ImportJob) -> dict:
    return {"raise_errors": False, "user": job.created_by, "file_name": job.file_name}


def check(job: ImportJob) -> None:
    dataset = read_dataset(job)
    # A large XLSX was queued with its rows counted in its XML, unparsed: the parse decides.
    record(job, total_rows=len(dataset), rows_done=0)
    job.total_rows = len(dataset)
    parts = []
    for start in range(0, len(dataset), CHECK_PART_ROWS):
        part = tablib.Dataset(*dataset[start : start + CHECK_PART_ROWS], headers=dataset.headers)
        result = resource(job).import_data(part, dry_run=True, **import_kwargs(job))
        parts.append(summarise(result, rows_before=start))
        # Outside the part's transaction: committed, so the progress page sees it.
        record(job, rows_done=start + len(part))
    summary = combine(parts)
    finish(
        job,
        Status.REFUSED if summary.refused else Status.CHECKED,
        summary=summary_record(summary),
        rows_done=len(dataset),
    )


def apply(job: ImportJob) -> None:
    dataset = read_dataset(job)

    def report(rows: int) -> None:
        cache.set(live_count_key(job.pk), rows, LIVE_COUNT_SECONDS)

    # One version, as when a small import saves in one request.
    with one_revision():
        result = ReportingResource(
            report, overwrite_newer=job.overwrite_newer, leave_conflicts=job.leave_conflicts
        ).import_data(
            dataset, dry_run=False, retain_instance_in_row_result=True, **import_kwargs(job)
        )
    cache.delete(live_count_key(job.pk))
    summary = summarise(result)
    if summary.refused:
        # import_data rolled everything back.
        finish(job, Status.REFUSED, summary=summary_record(summary), rows_done=len(dataset))
        return
    log_import(result, job)
    finish(job, Status.IMPORTED, summary=summary_record(summary), rows_done=len(dataset))


def log_import(result, job: ImportJob) -> None:
    """The admin's history of actions, as a small import writes it (one entry per programme)."""
    if job.created_by_id is None:
        return
    for import_type, flag in (("new", ADDITION), ("update", CHANGE)):
        instances = [row.instance for row in result.rows if row.import_type == import_type]
        if instances:
            LogEntry.objects.log_actions(
                user_id=job.created_by_id,
                queryset=instances,
                action_flag=flag,
                change_message=f"Imported from {job.file_name}.",
            )


def finish(job: ImportJob, status: str, **values) -> None:
    values = {"status": status, "finished_at": timezone.now(), **values}
    if status != Status.CHECKED:
        values["data"] = b""  # only a checked file is read again; the rest would only take room
    record(job, **values)
    for name, value in values.items():
        setattr(job, name, value)


def record(job: ImportJob, **values) -> None:
    when_unlocked(lambda: ImportJob.objects.filter(pk=job.pk).update(**values))


def when_unlocked(update: Callable[[], int], attempts: int = 20) -> int:
    """Run an UPDATE of the job, waiting out SQLite's "database is locked" (another connection
    writing or, in the tests' shared in-memory database, reading) as db_worker itself does."""
    for _ in range(attempts - 1):
        try:
            return update()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
        time.sleep(0.1)
    return update()


def queue_again(job: ImportJob) -> bool:
    """Queue a failed job's file again: the import when its check had finished, else the check."""
    step = Status.IMPORT_QUEUED if job.summary else Status.CHECK_QUEUED
    with transaction.atomic():
        queued = (
            ImportJob.objects.filter(pk=job.pk, status=Status.FAILED)
            .exclude(data=b"")
            .update(status=step, rows_done=0, failure="", worker="", finished_at=None)
        )
        if queued:
            run_import_job.enqueue(job.pk)
    return bool(queued)
