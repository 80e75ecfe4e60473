"""The vocabularies every list, eligibility and compare page reads, kept in the shared cache.

One complete `Vocabulary` per data version (`generation()`: the `site` and `listing` versions):
the first page after an edit reads it from the database and stores it, and every page in every
process reads that copy until the next edit, so a list page runs none of those queries. The
version is read before the data, as the page cache does, so a copy read while an edit commits is
stored under a version that edit has already replaced. Without a working shared cache (the
version is then a process's own) each request reads its own vocabulary, lazily: nothing is kept
in a process, and two workers can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

from programs.caching.generation import LOCAL, generation
from programs.models import Vocabulary

KEY = "per-version:{name}:{version}"
SECONDS = 24 * 3600  # a version's copy outlives its use by far; edits make a new key anyway


def shared() -> Vocabulary:
    """The directory's vocabularies as of now (no query when the shared copy is there)."""
    return per_version("vocabulary", lambda: Vocabulary().load_all(), Vocabulary)


def per_version[T](name: str, build: Callable[[], T], unshared: Callable[[], T]) -> T:
    """What `build()` makes from the directory's data alone (the vocabularies; the empty
    profile form's HTML, made from them), made once per data version and shared; `unshared()`
    when the shared cache is down."""
    version = generation()
    if version.startswith(LOCAL):  # the shared cache is down: nothing to share
        return unshared()
    key = KEY.format(name=name, version=version)
    found = cache.get(key)
    if found is not None:
        return found
    made = build()
    cache.set(key, made, timeout=SECONDS)
    return made
