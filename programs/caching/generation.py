"""The data's generation: a value in the shared cache that every change to the directory replaces.

Saving, deleting or re-linking any row of this app (from the admin, an import or `load_directory`,
which all save through the ORM) bumps the generation, so cached pages built under the old one are
no longer used. Code that writes in bulk (`bulk_create`, `update`)
calls `bump_generation()` itself.
"""

from __future__ import annotations

import logging
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

GENERATION_KEY = "pages:generation"
APP_LABEL = "programs"
logger = logging.getLogger(__name__)


# While the shared cache is unreachable, each process counts its own generation in windows of
# this many seconds, and a change made through another process shows within the window.
DEGRADED_WINDOW_SECONDS = 5
_local = uuid.uuid4().hex


def generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        fresh = uuid.uuid4().hex
        # add() so two processes starting together agree on one value.
        if cache.add(GENERATION_KEY, fresh, timeout=None):
            return fresh
        value = cache.get(GENERATION_KEY)
        if value is None:  # the cache answers nothing: it is down
            window = int(time.monotonic() // DEGRADED_WINDOW_SECONDS)
            return f"local-{_local}-{window}"
    return value


def bump_generation() -> None:
    """Never raises: the cache is an accelerator, and a save must not fail because it is down
    (cached pages then expire after PAGE_CACHE_SECONDS; this process sees its own change at once)."""
    global _local
    _local = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # any backend's failure; the fail-soft Redis backend already logs its own
        logger.exception("Could not bump the data generation in the cache")


def _data_changed(sender, **kwargs) -> None:
    if sender._meta.app_label == APP_LABEL:
        bump_generation()
        # Again once the change is committed: a request in another process that read the data
        # before the commit (and cached a page under the new generation)
        # must not keep that stale copy.
        transaction.on_commit(bump_generation, robust=True)


def _m2m_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _data_changed(sender)


def connect_signals() -> None:
    post_save.connect(_data_changed, dispatch_uid="pages-cache-save")
    post_delete.connect(_data_changed, dispatch_uid="pages-cache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pages-cache-m2m")
