"""A real LocMem cache that counts the calls made to it: the page cache's round trips are what
tests/test_page_cache_layers.py locks, and each call here is one round trip to Redis."""

from __future__ import annotations

import threading

from django.core.cache.backends.locmem import LocMemCache

READS = ("get", "get_many", "has_key", "ttl")
WRITES = ("set", "add", "set_many", "delete", "delete_many", "incr", "touch")


class CountingLocMemCache(LocMemCache):
    """`calls` lists the outermost calls only: BaseCache.get_many calling get() per key is still
    one call, as it is one MGET on Redis."""

    calls: list[str] = []
    _inside = threading.local()


def _counted(name: str):
    method = getattr(LocMemCache, name)

    def wrapper(self, *args, **kwargs):
        inside = CountingLocMemCache._inside
        if getattr(inside, "depth", 0) == 0:
            CountingLocMemCache.calls.append(name)
        inside.depth = getattr(inside, "depth", 0) + 1
        try:
            return method(self, *args, **kwargs)
        finally:
            inside.depth -= 1

    return wrapper


for _name in READS + WRITES:
    if hasattr(LocMemCache, _name):
        setattr(CountingLocMemCache, _name, _counted(_name))
