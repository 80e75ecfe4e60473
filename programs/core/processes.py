"""Which process on which machine runs a piece of work, and whether it still does.

A process is named "host:pid:start" (`start`: when the process began, in clock ticks since boot,
from /proc), so that a later process given the same pid is not taken for the one that died. Older
names "host:pid" are still read. Only a process on this machine can be checked; for one elsewhere
`ended()` says nothing, and the caller has other signs (a heartbeat). The task worker
(`manage.py db_worker`) and the admin's import jobs (admin/import_workers.py) both ask here.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass

HOST_LENGTH = 40  # django-tasks-db keeps worker ids in short fields


def _host() -> str:
    return socket.gethostname()[:HOST_LENGTH]


def _started(pid: int) -> str | None:
    """When process `pid` started (clock ticks since boot: unique for a pid), or None."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[19]
    except (OSError, IndexError):
        return None


@dataclass(frozen=True)
class ProcessId:
    host: str
    pid: int
    start: str = ""

    @classmethod
    def current(cls) -> ProcessId:
        pid = os.getpid()
        return cls(_host(), pid, _started(pid) or "")

    @classmethod
    def parse(cls, text: str) -> ProcessId | None:
        host, pid, start = [*text.split(":"), "", ""][:3]
        return cls(host, int(pid), start) if host and pid.isdigit() else None

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.start or 0}"

    @property
    def here(self) -> bool:
        return self.host == _host()

    @property
    def reused(self) -> bool:
        """Its pid now belongs to a later process (only known when its start was recorded)."""
        now = _started(self.pid)
        return self.start not in ("", "0") and now is not None and now != self.start

    def ended(self) -> bool:
        """On this machine: the process is gone, or its pid belongs to a later one. Elsewhere:
        False (cannot tell from here)."""
        if not self.here:
            return False
        if _started(self.pid) is None:  # no /proc entry: ask the kernel directly
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return True
            except PermissionError:  # exists, another user's
                return False
            return False  # exists (no /proc on this system)
        return self.reused
