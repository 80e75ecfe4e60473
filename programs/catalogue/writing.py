"""One write path for a programme: the admin, restores and spreadsheet imports (and, next,
accepted suggestions) save a programme, its linked lists, rules, costs and dated deadlines through
`programme_write()`.

Inside it a writer holds the programme's row lock, so two writes of one programme never overlap:
a restore and a form save 0–250 ms apart run one after the other, and the second reads what the
first wrote. The writer compares the stored version with the one it started from
(`Write.require()`, or its own finer check, as the admin's form does); everything it writes is
one revision of the history (`one_revision()`); and when anything was written the version moves
on by one, the public "updated" time with it, and the programme's cached pages are replaced once
the transaction commits. See docs/architecture.md ("One write path per programme").
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from programs.caching.generation import bump_programme
from programs.models import Cost, DatedDeadline, EligibilityRule, Programme, Source
from programs.models.revisions import one_revision


class StaleVersion(Exception):
    """The programme was saved by someone else since the writer read it."""

    def __init__(self, expected: int, stored: int) -> None:
        super().__init__(f"expected version {expected}, stored version {stored}")
        self.expected, self.stored = expected, stored


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Hold `model`'s row `pk` until the current transaction ends; other writers of it wait.

    PostgreSQL locks the row (SELECT … FOR UPDATE). SQLite has no row locks: an UPDATE that
    changes nothing, as the transaction's first statement, takes its one write lock at once, so
    the writers of any record queue there (and read what the one before them committed)."""
    connection = connections[router.db_for_write(model)]
    if not connection.in_atomic_block:
        raise RuntimeError("lock_row() holds a lock until the transaction ends: open one first.")
    rows = model._base_manager.filter(pk=pk)
    if connection.features.has_select_for_update:
        list(rows.select_for_update().values_list("pk", flat=True))
    else:
        column = model._meta.pk.attname
        rows.update(**{column: F(column)})


@dataclass
class Write:
    """One write of a programme, open inside `programme_write()`."""

    programme_id: int | None
    user: Any
    programme: Programme | None  # as stored when the lock was taken (None: new, or deleted)
    wrote: bool = False
    slugs: set[str] = field(default_factory=set)

    @property
    def version(self) -> int | None:
        return self.programme.version if self.programme is not None else None

    def require(self, expected: int | None) -> None:
        """Refuse the write unless the stored version is `expected` (None: no check)."""
        stored = self.version
        if expected is not None and stored is not None and stored != expected:
            raise StaleVersion(expected, stored)


_open: ContextVar[Write | None] = ContextVar("programme_write", default=None)


@contextmanager
def programme_write(programme_id: int | None, *, user: Any = None) -> Iterator[Write]:
    """Open a write of programme `programme_id` (None for a new one): a transaction holding its
    row lock, one revision of history; on leaving without an error, a changed programme gets
    its next version and its cached pages are replaced after the commit."""
    already = _open.get()
    if already is not None:
        if programme_id is None or already.programme_id != programme_id:
            raise RuntimeError("Another programme's write is open: finish it first.")
        yield already  # the same programme: part of the write already open
        return
    with transaction.atomic(using=router.db_for_write(Programme)), one_revision():
        if programme_id is not None:
            lock_row(Programme, programme_id)
        stored = (
            Programme.objects.filter(pk=programme_id).first() if programme_id is not None else None
        )
        write = Write(programme_id, user, stored)
        if stored is not None:
            write.slugs.add(stored.slug)
        token = _open.set(write)
        try:
            yield write
        finally:
            _open.reset(token)
        if write.wrote and write.programme_id is not None:
            _next_version(write, write.programme_id)


def _next_version(write: Write, programme_id: int) -> None:
    rows = Programme.objects.filter(pk=programme_id)
    rows.update(version=F("version") + 1, updated_at=timezone.now())
    write.slugs.update(rows.values_list("slug", flat=True))
    slugs = sorted(write.slugs)
    transaction.on_commit(lambda: bump_programme(slugs), robust=True)


def delete_programme(programme_id: int, *, user: Any = None) -> None:
    """Delete a programme with its rows, as one revision (so a recovery finds exactly what the
    deletion removed, programs/catalogue/revisions.py)."""
    with programme_write(programme_id, user=user) as write:
        if write.programme is not None:
            if user is not None:
                write.programme._history_user = user  # type: ignore[attr-defined]
            write.programme.delete()


@receiver(post_create_historical_record)
def _note_what_the_write_changed(sender, instance, **kwargs) -> None:
    """Every history row the open write's programme (or one of its rows) gets is a change."""
    write = _open.get()
    if write is None:
        return
    owner: int | None
    if isinstance(instance, Programme):
        if write.programme_id is None:
            write.programme_id = instance.pk
        owner = instance.pk
    else:
        owner = getattr(instance, "programme_id", None)
    if owner is not None and owner == write.programme_id:
        write.wrote = True


# Writers outside the path (a cost's or rule's own admin page, a source's) still change what a
# programme's page says: its version and public "updated" time move on, as a write's would.
ROWS = (Cost, EligibilityRule, DatedDeadline)


def touch(programmes: models.QuerySet) -> None:
    """Move on the version and "updated" time of `programmes` (exports, feed and sitemap read
    `updated_at`); their cached pages follow from the save signals of caching/generation.py."""
    programmes.update(version=F("version") + 1, updated_at=timezone.now())


def _row_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or sender not in ROWS:
        return
    write = _open.get()
    owner = getattr(instance, "programme_id", None)
    if owner is None or (write is not None and write.programme_id == owner):
        return  # the open write moves it once, on leaving
    touch(Programme.objects.filter(pk=owner))


def citing(source: Source) -> Q:
    """Programmes whose entry, costs, rules or confirmed deadlines cite `source`."""
    return (
        Q(source=source)
        | Q(costs__source=source)
        | Q(eligibility_rules__source=source)
        | Q(dated_deadlines__source=source)
    )


@receiver(post_save, sender=Source)
def _source_changed(sender, instance: Source, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or created:
        return  # a new source is cited by nothing yet
    ids = Programme.objects.filter(citing(instance)).values("pk")
    touch(Programme.objects.filter(pk__in=ids))


for _model in ROWS:
    post_save.connect(_row_changed, sender=_model, dispatch_uid=f"touch-{_model.__name__}")
    post_delete.connect(_row_changed, sender=_model, dispatch_uid=f"touch-del-{_model.__name__}")
