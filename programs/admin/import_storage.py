"""Where a small import's file waits between its preview and the adviser's confirmation.

django-import-export keeps it in a temporary file and puts the file's *name* in the confirmation
form; the confirmation then read and deleted whatever that name pointed to, so a forged
`import_file_name` deleted files in the server's temp directory. Here the file is an ImportJob row
(status "previewed") of the adviser who sent it, the form carries only its id, and the
confirmation reads (then deletes) only a previewed job of the signed-in adviser: any other value
touches nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from import_export.tmp_storages import BaseStorage

from programs.models import ImportJob

from .uploads import UploadRefused

# The adviser whose request is importing (set around the admin's import views), and the
# previews stored during that request.
_adviser: ContextVar = ContextVar("import_adviser", default=None)
_stored: ContextVar[list[int] | None] = ContextVar("import_stored", default=None)
# A previewed file nobody confirmed is deleted after this long.
PREVIEW_KEPT = timedelta(days=1)


@contextmanager
def importing_as(user) -> Iterator[list[int]]:
    """Around an import view: yields the ids of the previews it stores."""
    stored: list[int] = []
    tokens = _adviser.set(user), _stored.set(stored)
    try:
        yield stored
    finally:
        _adviser.reset(tokens[0])
        _stored.reset(tokens[1])


def forget(ids: list[int]) -> None:
    """Previews that will not be confirmed (the file was refused): their file goes at once."""
    ImportJob.objects.filter(pk__in=ids, status=ImportJob.Status.PREVIEWED).delete()


def previewed_jobs(name: object, user) -> QuerySet[ImportJob]:
    """The previewed job `name` (an id) of `user`, or nothing."""
    text = str(name or "")
    if user is None or not user.is_authenticated or not text.isdigit():
        return ImportJob.objects.none()
    return ImportJob.objects.filter(
        pk=int(text), created_by=user, status=ImportJob.Status.PREVIEWED
    )


class ImportJobStorage(BaseStorage):
    def save(self, data: bytes | str) -> None:
        ImportJob.objects.filter(
            status=ImportJob.Status.PREVIEWED, created_at__lt=timezone.now() - PREVIEW_KEPT
        ).delete()
        raw = data.encode() if isinstance(data, str) else data
        job = ImportJob.objects.create(
            created_by=_adviser.get(), status=ImportJob.Status.PREVIEWED, data=raw
        )
        self.name = str(job.pk)
        stored = _stored.get()
        if stored is not None:
            stored.append(job.pk)

    def read(self) -> bytes:
        job = previewed_jobs(self.name, _adviser.get()).first()
        if job is None:
            raise UploadRefused("This file is not waiting for your confirmation.")
        return bytes(job.data)

    def remove(self) -> None:
        previewed_jobs(self.name, _adviser.get()).delete()
