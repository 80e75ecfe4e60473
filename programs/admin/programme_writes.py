"""ProgrammeAdmin's writes go through the write path (programs/catalogue/writing.py): a change
form's save, a deletion and the list's status actions each hold the programme's lock, are one
revision, move its version on and replace its cached pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from programs.catalogue import writing
from programs.models import Programme


class ProgrammeWritePathMixin(admin.ModelAdmin):
    @contextmanager
    def locked_for_change(self, request: HttpRequest, pk) -> Iterator[None]:
        """The stale-form guard's lock (concurrency.py) is the write path's."""
        with writing.programme_write(pk, user=request.user):
            yield

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        """A new programme is one write too; a refused one (the page shown again) writes
        nothing, not even the source or organisation its form would have created."""
        if request.method != "POST" or object_id is not None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with writing.programme_write(None, user=request.user):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if response.status_code != 302:
                transaction.set_rollback(True)
            return response

    def delete_model(self, request: HttpRequest, obj: Programme) -> None:
        writing.delete_programme(obj.pk, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for pk in queryset.values_list("pk", flat=True):
            writing.delete_programme(pk, user=request.user)

    def set_status_of(self, request: HttpRequest, queryset: QuerySet, status: str) -> list:
        """The programmes whose status changed, one write (and history entry) each."""
        changed = []
        for pk in queryset.values_list("pk", flat=True):
            with writing.programme_write(pk, user=request.user) as write:
                if write.programme is not None and write.programme.set_status(status):
                    changed.append(write.programme)
        return changed
