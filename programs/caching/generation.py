"""What a cached page was built from: versions in the shared cache that edits replace.

Three kinds of version, so an edit invalidates what it touched and nothing else:

- `site`: every page. Replaced by a change to anything that is not a programme's own data
  (countries, vocabularies, guides, exchange rates…), which many pages show.
- `listing`: every page that is not one programme's own (home, list, facets, feeds, calendars,
  sitemaps, destinations…). Replaced by any change to a programme or its rows.
- `programme:<slug>`: that programme's own pages (detail, calendar). Replaced by a change to it
  or one of its rows.

A cached page stores the versions it was rendered under (its *stamp*); a hit reads the entry and
the current versions in one `get_many` (one round trip) and compares. Saving, deleting or re-linking
any row of this app (admin, an import, `load_directory`: all through the ORM) replaces the versions
it touched, once at once and again after commit. Code that writes in bulk (`bulk_create`,
`update`) calls `bump_generation()` (the `site` version) itself.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

GENERATION_KEY = "pages:generation"  # the `site` version
LISTING_KEY = "pages:v:listing"
APP_LABEL = "programs"
# Rows no page shows: saving one makes nothing stale. A suggestion reaches pages only when an
# adviser saves the programme it changes (a flood of suggestions must not empty the page cache).
# "Did you mean"'s words are counted with every programme save, which already moved the versions.
NOT_ON_PAGES = frozenset({"Suggestion", "Alert", "AlertMessage", "SearchWord"})
logger = logging.getLogger(__name__)


# While the shared cache is unreachable, each process counts its own generation in windows of
# this many seconds: its in-memory data is rebuilt at most that often (not on every request), and a
# change made through another process shows within the window.
DEGRADED_WINDOW_SECONDS = 5
LOCAL = "local-"  # how such a process's own generation starts
_local = uuid.uuid4().hex


# A slug as the admin allows it is short and safe in a cache key; anything else a URL can carry
# (a 5,000-character or non-ASCII "slug" that finds no programme) is named by its hash, so no key
# exceeds memcached's 250 characters or holds a control character.
_PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def programme_key(slug: str) -> str:
    if not _PLAIN_SLUG.fullmatch(slug):
        slug = "sha256-" + hashlib.sha256(slug.encode("utf-8", "surrogatepass")).hexdigest()
    return f"pages:v:programme:{slug}"


def current(keys: list[str]) -> dict[str, str] | None:
    """The current value of each version key (one round trip), creating missing ones; None when
    the cache answers nothing (it is down)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add() so two processes starting together agree on one value.
            cache.add(key, uuid.uuid4().hex, timeout=None)
            value = cache.get(key)
            if value is None:
                return None
            found[key] = value
    return found


def generation() -> str:
    """One value for all of the directory's data (the `site` and `listing` versions)."""
    found = current([GENERATION_KEY, LISTING_KEY])
    if found is None:
        window = int(time.monotonic() // DEGRADED_WINDOW_SECONDS)
        return f"{LOCAL}{_local}-{window}"
    return f"{found[GENERATION_KEY]}.{found[LISTING_KEY]}"


# Versions this process could not replace (the cache was down or hung when it tried): replaced
# again as soon as the cache answers, so a page cached before the change is never served again.
_lost: set[str] = set()


def _replace(keys: Iterable[str]) -> None:
    """Never raises: the cache is an accelerator, and a save must not fail because it is down
    (this process sees its own change at once, and replaces the versions again once the cache
    is back: replay_lost())."""
    keys = list(keys)
    failures = getattr(cache, "failures", 0)
    try:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)
    except Exception:  # any backend's failure; the fail-soft Redis backend already logs its own
        logger.exception("Could not replace page versions in the cache")
        _lost.update(keys)
        return
    if getattr(cache, "is_down", False) or getattr(cache, "failures", 0) != failures:
        _lost.update(keys)  # the fail-soft backend answered for an unreachable Redis


def replay_lost() -> None:
    """Replace the versions an earlier change could not, if the cache answers again (called on
    every request; nothing to do almost always)."""
    if _lost and not getattr(cache, "is_down", False):
        keys = list(_lost)
        _lost.clear()
        _replace(keys)


def bump_generation() -> None:
    """Every page is stale from now on."""
    global _local
    _local = uuid.uuid4().hex
    _replace([GENERATION_KEY])


def bump_programme(slugs: Iterable[str]) -> None:
    """These programmes' own pages and every listing page are stale; nothing else is."""
    global _local
    _local = uuid.uuid4().hex
    _replace([LISTING_KEY, *(programme_key(slug) for slug in slugs)])


def _touched_programmes(instance) -> list[str] | None:
    """The slugs of the programmes a changed row belongs to, or None when it is not programme data."""
    # A history row (django-simple-history) stands for the row it records.
    model = getattr(instance, "instance_type", type(instance))
    if model.__name__ == "Programme":
        return [instance.slug]
    owner = getattr(instance, "programme", None) if _has_field(instance, "programme") else None
    if owner is not None and type(owner).__name__ == "Programme":
        return [owner.slug]
    return None


def _has_field(instance, name: str) -> bool:
    return any(f.name == name for f in instance._meta.get_fields())


def _data_changed(sender, instance=None, **kwargs) -> None:
    if sender._meta.app_label != APP_LABEL or sender.__name__ in NOT_ON_PAGES:
        return
    slugs = _touched_programmes(instance) if instance is not None else None
    bump = bump_generation if slugs is None else (lambda: bump_programme(slugs))
    bump()
    # Again once the change is committed: a request in another process that read the data
    # before the commit (and cached a page under the new versions) must not keep that stale copy.
    transaction.on_commit(bump, robust=True)


def _slug_changing(sender, instance=None, raw: bool = False, **kwargs) -> None:
    """A renamed programme's former address must stop serving its cached page (it now redirects),
    and every page links the new one: renames are rare, so they make every page stale."""
    if raw or sender.__name__ != "Programme" or sender._meta.app_label != APP_LABEL:
        return
    if instance.pk is None:
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if before is not None and before != instance.slug:
        bump_generation()
        transaction.on_commit(bump_generation, robust=True)


def _m2m_changed(sender, action: str, instance=None, **kwargs) -> None:
    if action.startswith("post_"):
        # A link table's rows: whatever they link, treat as programme data when one side is one.
        _data_changed(instance.__class__, instance=instance)


def connect_signals() -> None:
    pre_save.connect(_slug_changing, dispatch_uid="pages-cache-rename")
    post_save.connect(_data_changed, dispatch_uid="pages-cache-save")
    post_delete.connect(_data_changed, dispatch_uid="pages-cache-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="pages-cache-m2m")
