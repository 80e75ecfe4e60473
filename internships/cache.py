"""The shared cache as an accelerator that never decides.

django-redis with short socket timeouts, behind a small circuit breaker: the first command that
fails (Redis stopped, hung, or refusing) is logged and answered as a miss, and for the next
`REDIS_RETRY_SECONDS` this process does not ask Redis at all. So while Redis is down a request pays
at most one short timeout per process per retry window instead of one per cache call, pages are
rendered uncached, and writes (admin saves, the generation bump) simply don't reach the cache.

django-redis's own IGNORE_EXCEPTIONS would answer each failed call as a miss too, but every call
would wait the socket timeout first: a page makes four or five cache calls.
"""

from __future__ import annotations

import functools
import logging
import threading
import time

from django.conf import settings
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger("internships.cache")

# Reads answer their default; writes answer what "nothing happened" looks like.
_MISS_ANSWERS: dict[str, object] = {
    "get": None,
    "get_many": {},
    "has_key": False,
    "add": False,
    "set": False,
    "set_many": [],
    "delete": False,
    "delete_many": 0,
    "touch": False,
    "incr": None,
    "clear": False,
    "ttl": None,
}


class FailSoftRedisCache(RedisCache):
    """A RedisCache whose outages look like misses (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0
        self._lock = threading.Lock()
        # Commands that failed in this process: a caller that must not lose a write (the page
        # versions, programs/caching/generation.py) compares it before and after.
        self.failures = 0

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def ping(self) -> bool:
        """Ask Redis directly, breaker or not (for /healthz); a success closes the breaker."""
        try:
            self.client.get_client(write=False).ping()
        except (ConnectionInterrupted, RedisError, OSError) as exc:
            self._trip(exc)
            return False
        self._down_until = 0.0
        return True

    def _trip(self, exc: BaseException) -> None:
        with self._lock:
            already = self.is_down
            self.failures += 1
            self._down_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
        if not already:
            logger.warning(
                "Redis unavailable (%s); serving without the shared cache for %s s",
                exc,
                settings.REDIS_RETRY_SECONDS,
            )


def _fail_soft(name: str, answer):
    method = getattr(RedisCache, name)

    def miss(args, kwargs):
        if name == "get":  # get(key, default=None, version=None)
            return args[1] if len(args) > 1 else kwargs.get("default")
        return answer

    @functools.wraps(method)
    def wrapper(self: FailSoftRedisCache, *args, **kwargs):
        if self.is_down:
            return miss(args, kwargs)
        try:
            return method(self, *args, **kwargs)
        except (ConnectionInterrupted, RedisError, OSError) as exc:
            self._trip(exc)
            return miss(args, kwargs)

    return wrapper


for _name, _answer in _MISS_ANSWERS.items():
    setattr(FailSoftRedisCache, _name, _fail_soft(_name, _answer))
