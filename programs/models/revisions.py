"""One save, one revision: the history rows a single request (or `one_revision()` block) writes
share a revision id, so a programme's versions gather its own row, rules, costs and dated
deadlines as the adviser saved them together (programs/catalogue/revisions.py reads them)."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

_current: ContextVar[uuid.UUID | None] = ContextVar("revision", default=None)
REQUEST_ATTRIBUTE = "_directory_revision"


class Revisioned(models.Model):
    """Base of the historical models whose rows belong to a programme's versions."""

    revision = models.UUIDField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True


@contextmanager
def one_revision() -> Iterator[uuid.UUID]:
    """Everything saved inside the block is one version (outside a request: scripts, tests)."""
    token = _current.set(uuid.uuid4())
    try:
        yield _current.get() or uuid.uuid4()
    finally:
        _current.reset(token)


def current_revision() -> uuid.UUID | None:
    """The open `one_revision()` block's id, else the current request's (set by simple-history's
    HistoryRequestMiddleware), else None: a lone change is a version of its own."""
    revision = _current.get()
    if revision is not None:
        return revision
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None:
        return None
    return vars(request).setdefault(REQUEST_ATTRIBUTE, uuid.uuid4())


@receiver(pre_create_historical_record)
def stamp_revision(sender, history_instance, **kwargs) -> None:
    if isinstance(history_instance, Revisioned):
        history_instance.revision = current_revision()
