"""gunicorn settings, read from the environment."""

import os

wsgi_app = "internships.wsgi:application"
# Behind nginx on one host, bind loopback (GUNICORN_BIND=127.0.0.1:8001); in a container, all.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = "-"
errorlog = "-"
# Below the container runtime's default 10 s stop timeout, so requests finish before SIGKILL.
graceful_timeout = 8
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
