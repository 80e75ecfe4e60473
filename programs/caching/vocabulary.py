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

from django.core.cache import cache

from programs.caching.generation import LOCAL, generation
from programs.models import Vocabulary

KEY = "vocabulary:{version}"
SECONDS = 24 * 3600  # a version's copy outlives its use by far; edits make a new key anyway


def shared() -> Vocabulary:
    """The directory's vocabularies as of now (no query when the shared copy is there)."""
    version = generation()
    if version.startswith(LOCAL):  # the shared cache is down: nothing to share
        return Vocabulary()
    key = KEY.format(version=version)
    found = cache.get(key)
    if isinstance(found, Vocabulary):
        return found
    vocabulary = Vocabulary().load_all()
    cache.set(key, vocabulary, timeout=SECONDS)
    return vocabulary
