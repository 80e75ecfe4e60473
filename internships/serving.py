"""gunicorn's worker: a few threads for pages, and one thread reserved for /healthz.

Under load every page thread is busy and new requests wait in turn, so a health probe asked
through the same door waited behind them (9 s, issue 24) and the probe gave up at 4 s. gunicorn
listens on a second address, the health listener (`GUNICORN_HEALTH_BIND`); a connection that
arrives there is served by this worker's own health thread, never queued behind page work. nginx
sends `/healthz` there, and the container's probe asks it directly. Nothing else is routed to it.
"""

from __future__ import annotations

import os
from concurrent import futures

from gunicorn.workers.gthread import ThreadWorker


def health_port() -> int:
    """The health listener's port: GUNICORN_HEALTH_BIND's, else HEALTH_PORT, else the page port
    (PORT, 8000) plus one."""
    bind = os.environ.get("GUNICORN_HEALTH_BIND", "")
    if bind:
        return int(bind.rpartition(":")[2])
    return int(os.environ.get("HEALTH_PORT") or int(os.environ.get("PORT") or "8000") + 1)


def health_bind() -> str:
    return os.environ.get("GUNICORN_HEALTH_BIND") or f"0.0.0.0:{health_port()}"


class ReservedHealthWorker(ThreadWorker):
    """gunicorn's threaded worker, with one thread that serves only the health listener."""

    def init_process(self) -> None:
        self.health_port = health_port()
        self.health_pool = futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
        super().init_process()

    def enqueue_req(self, conn) -> None:
        server = conn.server if isinstance(conn.server, tuple) else ()
        if len(server) >= 2 and server[1] == self.health_port:
            done = self.health_pool.submit(self.handle, conn)
            done.add_done_callback(
                lambda fut: self.method_queue.defer(self.finish_request, conn, fut)
            )
            return
        super().enqueue_req(conn)

    def handle_quit(self, sig, frame) -> None:
        self.health_pool.shutdown(wait=False)
        super().handle_quit(sig, frame)
