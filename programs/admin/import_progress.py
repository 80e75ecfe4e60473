"""The admin side of large imports: a file with more than IMPORT_TASK_ROWS rows is handed to a
background task (programs/admin/import_jobs.py) instead of being previewed in the request, and
the adviser follows it on a progress page that refreshes itself (no script) until the check or
the import is done, then shows the summary and, after a clean check, the button that imports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from programs.catalogue.import_summary import StoredSummary, summarise
from programs.models import ImportJob

from .import_forms import leave_conflicts, overwrite_newer
from .import_jobs import confirm_import, queue_again, queue_import, rows_saved_so_far
from .import_storage import ImportJobStorage, forget, importing_as, previewed_jobs
from .import_workers import can_queue_again, discard_file, fail_if_worker_died
from .uploads import SafeXLSX, UploadRefused, check_cells, check_size, xlsx_shape

REFRESH_SECONDS = 2
# An XLSX of more cells than IMPORT_TASK_ROWS rows of this many is read by the worker, never in
# the request (openpyxl builds about 60,000 cells a second here).
CELLS_PER_ROW = 40
RECENT_JOBS = 10

if TYPE_CHECKING:
    from import_export.admin import ImportMixin as _AdminBase
else:
    _AdminBase = object


class BackgroundImportMixin(_AdminBase):
    """For an ImportMixin admin: large files go to a task; small ones keep the immediate preview."""

    import_job_template_name = "admin/programs/programme/import_job.html"
    tmp_storage_class = ImportJobStorage

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        site = self.admin_site
        return [
            path(
                "import/jobs/<int:job_id>/",
                site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/jobs/<int:job_id>/import/",
                site.admin_view(require_POST(self.confirm_import_job)),
                name="{}_{}_confirm_import_job".format(*info),
            ),
            path(
                "import/jobs/<int:job_id>/again/",
                site.admin_view(require_POST(self.queue_job_again)),
                name="{}_{}_queue_import_job_again".format(*info),
            ),
            path(
                "import/jobs/<int:job_id>/discard/",
                site.admin_view(require_POST(self.discard_job_file)),
                name="{}_{}_discard_import_job_file".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_import_context_data(self, **kwargs) -> dict:
        return {
            **super().get_import_context_data(**kwargs),
            "task_rows": settings.IMPORT_TASK_ROWS,
            "recent_import_jobs": ImportJob.objects.exclude(status=ImportJob.Status.PREVIEWED).only(
                "file_name", "status", "created_at"
            )[:RECENT_JOBS],
        }

    def job_url(self, job: ImportJob) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_import_job".format(*info), args=[job.pk])

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if request.method == "POST" and self.has_import_permission(request):
            job = self.queue_large_import(request)
            if job is not None:
                return HttpResponseRedirect(self.job_url(job))
        with importing_as(request.user) as stored:
            response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if stored and "confirm_form" not in context:
            forget(stored)  # nothing to confirm: the file is not kept
        return response

    def process_import(self, request: HttpRequest, **kwargs) -> HttpResponse:
        """The confirmation names a previewed job by its id; only this adviser's own is read."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and not previewed_jobs(
            request.POST.get("import_file_name"), request.user
        ):
            messages.error(
                request,
                "This file is not waiting for your confirmation (it was imported already, or "
                "it was not sent by you): choose the file again.",
            )
            info = self.opts.app_label, self.opts.model_name
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*info)))
        with importing_as(request.user):
            return super().process_import(request, **kwargs)

    def queue_large_import(self, request: HttpRequest) -> ImportJob | None:
        """A job for a valid upload with more than IMPORT_TASK_ROWS rows; None leaves the file
        to the immediate import, which also reports any problem reading it."""
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        total_rows = None
        if isinstance(input_format, SafeXLSX):
            # Counted in the XML: a file too large to parse here goes to the worker unparsed.
            try:
                check_size(data)
                shape = xlsx_shape(data)
                check_cells(shape)
            except UploadRefused:  # the immediate import words the refusal
                return None
            if shape.cells > (settings.IMPORT_TASK_ROWS + 1) * CELLS_PER_ROW:
                total_rows = shape.data_rows
        if total_rows is None:
            try:
                dataset = input_format.create_dataset(data)
            except Exception:  # UploadRefused or unreadable: the immediate import words it
                return None
            if len(dataset) <= settings.IMPORT_TASK_ROWS:
                return None
            total_rows = len(dataset)
        return queue_import(
            data,
            input_format,
            file_name=upload.name,
            total_rows=total_rows,
            user=request.user,
            overwrite_newer=overwrite_newer(form),
            leave_conflicts=leave_conflicts(form),
        )

    def process_result(self, result, request: HttpRequest) -> HttpResponse:
        """After a confirmed small import: also list the conflicting rows it left as they are."""
        left = summarise(result).left
        if left:
            rows = "; ".join(f"row {outcome.row} ({outcome.slug})" for outcome in left)
            messages.warning(
                request,
                f"{len(left)} rows were left as they are, because their programme was changed "
                f"after the file was exported: {rows}.",
            )
        return super().process_result(result, request)

    def import_job_view(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(
            ImportJob.objects.select_related("created_by").exclude(
                status=ImportJob.Status.PREVIEWED
            ),
            pk=job_id,
        )
        fail_if_worker_died(job)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.file_name}",
            "opts": self.opts,
            "job": job,
            "summary": StoredSummary.from_record(job.summary) if job.summary else None,
            "refresh_seconds": REFRESH_SECONDS if job.in_progress else None,
            "can_confirm": job.status == ImportJob.Status.CHECKED,
            "can_queue_again": can_queue_again(job),
            "rows_saved": (
                rows_saved_so_far(job) if job.status == ImportJob.Status.IMPORTING else None
            ),
        }
        return TemplateResponse(request, self.import_job_template_name, context)

    def queue_job_again(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if not queue_again(job):
            messages.warning(request, "This file cannot be queued again.")
        return HttpResponseRedirect(self.job_url(job))

    def discard_job_file(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        discard_file(job)
        return HttpResponseRedirect(self.job_url(job))

    def confirm_import_job(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if not confirm_import(job):
            messages.warning(request, "This file is not waiting to be imported.")
        return HttpResponseRedirect(self.job_url(job))
