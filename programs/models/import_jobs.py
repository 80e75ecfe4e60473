"""A large spreadsheet import, run by a background task in two steps like the admin's own import:
check the whole file (nothing written), then, once an adviser confirms, import it all or nothing.
The row counts, the state and the summary (in the spreadsheet's row numbers) live here, so the
progress page in admin reads them from the database whichever process runs the task."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        # A small file previewed in the request, waiting for its adviser to confirm it.
        PREVIEWED = "previewed", "Previewed: waiting to be confirmed"
        CHECK_QUEUED = "check_queued", "Waiting to be checked"
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: ready to import"
        REFUSED = "refused", "Refused: nothing was saved"
        IMPORT_QUEUED = "import_queued", "Waiting to be imported"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed: nothing was saved"

    # A worker is (or will be) busy with these: the progress page refreshes itself.
    IN_PROGRESS = (Status.CHECK_QUEUED, Status.CHECKING, Status.IMPORT_QUEUED, Status.IMPORTING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10)  # "csv" or "xlsx"
    # The uploaded file as sent (within IMPORT_MAX_UPLOAD_BYTES); emptied once it is imported.
    data = models.BinaryField(editable=False)
    overwrite_newer = models.BooleanField(default=False)
    # Rows changed in the directory since the export are left as they are, not a refusal.
    leave_conflicts = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status, default=Status.CHECK_QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # The step's summary: counts and the listed rows (catalogue.import_summary.summary_record).
    summary = models.JSONField(default=dict, blank=True)
    failure = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running a step ("host:pid") and when it last said it is alive, so a job whose
    # worker died is noticed (admin/import_jobs.py, dead_worker_reason).
    worker = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("total_rows")),
                name="import_job_rows_done_lte_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def percent_done(self) -> int:
        return 100 * self.rows_done // self.total_rows if self.total_rows else 0
