"""gunicorn settings, read from the environment."""

import os

from internships.serving import health_bind

wsgi_app = "internships.wsgi:application"
# Behind nginx on one host, bind loopback (GUNICORN_BIND=127.0.0.1:8002); in a container, all.
# The second address is the health listener (GUNICORN_HEALTH_BIND, else HEALTH_PORT, 8001): only
# /healthz is sent there, and each worker serves it on a thread of its own (internships/serving.py),
# so a probe never waits behind page work.
bind = [
    os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}",
    health_bind(),
]
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# gunicorn's threaded worker: WEB_THREADS page threads per worker (a page waiting on PostgreSQL or
# Redis lets another run), plus the reserved health thread. The database pool holds more
# connections than that (settings: DJANGO_DB_POOL_SIZE), so /healthz never waits for one either.
worker_class = "internships.serving.ReservedHealthWorker"
threads = int(os.environ.get("WEB_THREADS", "2"))
accesslog = "-"
errorlog = "-"
# Below the container runtime's default 10 s stop timeout, so requests finish before SIGKILL.
graceful_timeout = 8
# With threads this is how long a worker's main loop may go silent, not a cap on one request:
# request time is bounded by nginx's proxy_read_timeout (35 s) and the app's own limits (imports
# over 200 rows and XLSX files too large to parse in a request go to the task worker).
timeout = 30
max_requests = 20000
max_requests_jitter = 2000


# gunicorn has no setting for its `Server: gunicorn` header; drop it so responses don't name
# the server software (the config file runs in the master before workers fork).
def _without_server_header(default_headers):
    def headers(self):
        return [h for h in default_headers(self) if not h.startswith("Server:")]

    return headers


def _hide_server_header() -> None:
    from gunicorn.http import wsgi

    if not getattr(wsgi.Response.default_headers, "hides_server", False):
        wsgi.Response.default_headers = _without_server_header(wsgi.Response.default_headers)
        wsgi.Response.default_headers.hides_server = True


_hide_server_header()


def post_worker_init(worker) -> None:
    """Import every view before the first request (the URLconf is otherwise loaded by whichever
    request comes first, and the health thread would wait on that import behind page work)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
