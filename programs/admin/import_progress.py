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
from .import_jobs import confirm_import, queue_import, rows_saved_so_far

REFRESH_SECONDS = 2
RECENT_JOBS = 10

if TYPE_CHECKING:
    from import_export.admin import ImportMixin as _AdminBase
else:
    _AdminBase = object


class BackgroundImportMixin(_AdminBase):
    """For an ImportMixin admin: large files go to a task; small ones keep the immediate preview."""

    import_job_template_name = "admin/programs/programme/import_job.html"

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
            *super().get_urls(),
        ]

    def get_import_context_data(self, **kwargs) -> dict:
        return {
            **super().get_import_context_data(**kwargs),
            "task_rows": settings.IMPORT_TASK_ROWS,
            "recent_import_jobs": ImportJob.objects.only("file_name", "status", "created_at")[
                :RECENT_JOBS
            ],
        }

    def job_url(self, job: ImportJob) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse("admin:{}_{}_import_job".format(*info), args=[job.pk])

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if request.method == "POST" and self.has_import_permission(request):
            job = self.queue_large_import(request)
            if job is not None:
                return HttpResponseRedirect(self.job_url(job))
        return super().import_action(request, **kwargs)

    def queue_large_import(self, request: HttpRequest) -> ImportJob | None:
        """A job for a valid upload with more than IMPORT_TASK_ROWS rows; None leaves the file
        to the immediate import, which also reports any problem reading it."""
        form = self.create_import_form(request)
        if not form.is_valid():
            return None
        input_format = self.get_import_formats()[int(form.cleaned_data["format"])]()
        upload = form.cleaned_data["import_file"]
        data = b"".join(upload.chunks())
        try:
            dataset = input_format.create_dataset(data)
        except Exception:  # UploadRefused or unreadable: the immediate import words the error
            return None
        if len(dataset) <= settings.IMPORT_TASK_ROWS:
            return None
        return queue_import(
            data,
            input_format,
            file_name=upload.name,
            total_rows=len(dataset),
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
        job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import of {job.file_name}",
            "opts": self.opts,
            "job": job,
            "summary": StoredSummary.from_record(job.summary) if job.summary else None,
            "refresh_seconds": REFRESH_SECONDS if job.in_progress else None,
            "can_confirm": job.status == ImportJob.Status.CHECKED,
            "rows_saved": (
                rows_saved_so_far(job) if job.status == ImportJob.Status.IMPORTING else None
            ),
        }
        return TemplateResponse(request, self.import_job_template_name, context)

    def confirm_import_job(self, request: HttpRequest, job_id: int) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        job = get_object_or_404(ImportJob, pk=job_id)
        if not confirm_import(job):
            messages.warning(request, "This file is not waiting to be imported.")
        return HttpResponseRedirect(self.job_url(job))
