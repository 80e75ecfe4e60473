"""Issue 14: a 10,000-row file completes through the background import, on SQLite and
PostgreSQL, with its progress visible while it runs: the check's rows committed to the job (read
here from a second connection, as the progress page reads them from another process), the
import's rows saved so far through the cache. Prints how long it took."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from django.db import OperationalError, connection

from programs.admin.import_jobs import rows_saved_so_far
from programs.models import ImportJob, Programme
from tests.factories import make_programme
from tests.test_import_export import edit, exported
from tests.test_import_task import bulk_programmes, confirm, job_page, run_worker, send

ROWS = 10_000
EDITED = 100
NEW = 100


class ProgressWatcher(threading.Thread):
    """Every 50 ms, reads what the progress page shows: the job's committed row count (from this
    thread's own connection) while it is checked, the cache's count while it is imported. Once a
    step is part-way through, fetches the progress page as the adviser would."""

    def __init__(self, client, job: ImportJob) -> None:
        super().__init__(daemon=True)
        self.client, self.job = client, job
        self.checked: list[int] = []
        self.saved: list[int] = []
        self.pages: dict[str, str] = {}
        self.running = True

    def run(self) -> None:
        try:
            while self.running:
                try:
                    job = ImportJob.objects.only("status", "rows_done").get(pk=self.job.pk)
                except OperationalError:  # SQLite: the table is busy for a moment
                    continue
                if job.status == ImportJob.Status.CHECKING:
                    self.note(self.checked, job.rows_done, "checking")
                elif job.status == ImportJob.Status.IMPORTING:
                    self.note(self.saved, rows_saved_so_far(job) or 0, "importing")
                time.sleep(0.05)
        finally:
            connection.close()

    def note(self, seen: list[int], rows: int, step: str) -> None:
        seen.append(rows)
        if 0 < rows < self.job.total_rows and step not in self.pages:
            with contextlib.suppress(OperationalError):  # SQLite: busy for a moment; next time
                self.pages[step] = self.client.get(job_page(self.job)).text

    def stop(self) -> None:
        self.running = False
        self.join()


def a_ten_thousand_row_file():
    """A re-import of the directory's export: 9,900 programmes, 100 of them edited, 100 new."""
    first = make_programme(slug="seed")
    bulk_programmes(first, ROWS - NEW - 1)
    dataset = exported(Programme.objects.order_by("slug"))
    for n in range(EDITED):
        dataset = edit(dataset, f"bulk-{n * 97:05}", title=f"Edited programme {n}")
    template = dict(zip(dataset.headers, dataset[0], strict=True))
    for n in range(NEW):
        dataset.append(
            tuple(
                {
                    **template,
                    "slug": f"new-{n}",
                    "title": f"New programme {n}",
                    "updated_at": "",
                }.values()
            )
        )
    return dataset


@pytest.mark.scale
@pytest.mark.django_db(transaction=True)
def test_a_ten_thousand_row_file_completes_through_the_task(client, adviser, settings):
    settings.IMPORT_TASK_ROWS = 200
    client.force_login(adviser)
    dataset = a_ten_thousand_row_file()
    assert len(dataset) == ROWS

    send(client, dataset)
    job = ImportJob.objects.get()
    watcher = ProgressWatcher(client, job)
    watcher.start()
    started = time.perf_counter()
    run_worker()
    checked = time.perf_counter()
    confirm(client, job)
    run_worker()
    imported = time.perf_counter()
    watcher.stop()

    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTED, job.summary
    counts = {group: job.summary[group]["count"] for group in ("new", "changed", "unchanged")}
    assert counts == {"new": NEW, "changed": EDITED, "unchanged": ROWS - NEW - EDITED}
    assert Programme.objects.count() == ROWS
    assert Programme.objects.get(slug="bulk-09603").title == "Edited programme 99"
    midway_checked = {rows for rows in watcher.checked if 0 < rows < ROWS}
    midway_saved = {rows for rows in watcher.saved if 0 < rows < ROWS}
    assert midway_checked and midway_saved, (watcher.checked, watcher.saved)
    assert "Rows checked" in watcher.pages["checking"] and f"of {ROWS}" in watcher.pages["checking"]
    assert "Rows saved" in watcher.pages["importing"]
    print(
        f"\n{ROWS:,}-row import on {connection.vendor}: check {checked - started:.1f} s "
        f"(progress seen at {len(midway_checked)} counts part-way), "
        f"import {imported - checked:.1f} s ({len(midway_saved)} counts part-way), "
        f"total {imported - started:.1f} s; "
        f"file {len(dataset.csv.encode()) / 2**20:.1f} MB"
    )
