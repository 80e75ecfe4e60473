"""Error pages: a database outage answers 503 with a friendly page, anything else 500.

Django calls `server_error` from inside its exception handler, wherever the exception was raised
(a view, a middleware, a template), so `sys.exc_info()` names it. The page needs no database.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def database_is_down(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    html = render_to_string("503.html", {"request": request})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    if database_is_down(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)
