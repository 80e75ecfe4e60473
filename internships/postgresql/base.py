"""Django's PostgreSQL backend with a breaker: while PostgreSQL is unreachable, refuse at once.

A new connection waits up to the pool's timeout (DJANGO_DB_POOL_TIMEOUT, 1 s) for PostgreSQL.
During an outage every request paid that wait, and under load each queued behind the others
paying it: the 503s took 3.0-4.5 s (issue 24). After an attempt fails, this process refuses new
connections at once (the same OperationalError, so the same friendly 503) for
DJANGO_DB_RETRY_SECONDS (1 s); then one request tries again while the others are still refused,
and its answer closes the breaker or opens it again. Pages in the cache never ask for a
connection, so they are served throughout.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base


class Breaker:
    """Open for `retry` seconds after a failure; then half-open: one caller tries (for at most
    `trial` seconds) while the others are refused."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._refuse_until = 0.0
        self._tripped = False

    def allow(self, trial: float) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._refuse_until:
                return False
            if self._tripped:  # half-open: this caller tries, the others wait for its answer
                self._refuse_until = now + trial
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._tripped = False
            self._refuse_until = 0.0

    def failed(self, retry: float) -> None:
        with self._lock:
            self._tripped = True
            self._refuse_until = time.monotonic() + retry


# One per server and database (`alias`, host, port, name): an outage of one never refuses another.
_breakers: dict[tuple[str, str, str, str], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(alias: str, settings_dict: dict) -> Breaker:
    key = (
        alias,
        str(settings_dict.get("HOST", "")),
        str(settings_dict.get("PORT", "")),
        str(settings_dict.get("NAME", "")),
    )
    with _breakers_lock:
        return _breakers.setdefault(key, Breaker())


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        breaker = breaker_for(self.alias, self.settings_dict)
        retry = float(getattr(settings, "DATABASE_RETRY_SECONDS", 1.0))
        pool = self.settings_dict["OPTIONS"].get("pool") or {}
        trial = float(pool.get("timeout", 30.0) if isinstance(pool, dict) else 30.0) + 0.5
        if not breaker.allow(trial):
            raise OperationalError(
                f"PostgreSQL was unreachable less than {retry:g} s ago; not asking again yet."
            )
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.Error:
            breaker.failed(retry)
            raise
        breaker.succeeded()
        return connection
