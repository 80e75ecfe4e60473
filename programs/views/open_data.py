"""Pages for machines: health, robots.txt, favicon and the list's CSV and JSON exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from itertools import chain

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse

from programs.core import clock
from programs.listing.query import ListQuery
from programs.publishing.exports import (
    EXPORT_COLUMNS,
    Derivation,
    export_rows,
    for_export,
    spreadsheet_safe,
)


def healthz(request: HttpRequest) -> JsonResponse:
    """The database and the cache, reported separately, within about 2 s (the pool's and the
    cache's short timeouts). 200 while the site can serve: a cache outage only makes it slower
    ("degraded"); a database outage is 503 so the load balancer stops sending traffic here.
    Never cached, never redirected to HTTPS."""
    database = _database_status()
    cache_state = _cache_status()
    if database != "ok":
        status = "unavailable"
    elif cache_state == "unavailable":
        status = "degraded"
    else:
        status = "ok"
    response = JsonResponse(
        {"status": status, "database": database, "cache": cache_state},
        status=503 if status == "unavailable" else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def _cache_status() -> str:
    """ "ok" or "unavailable" for the shared Redis cache; "local" for the per-process cache."""
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"
    return "ok" if ping() else "unavailable"


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.svg"), permanent=True)


def list_query(request: HttpRequest) -> ListQuery:
    """The list page's query for these parameters: the same filters, checks and order."""
    return ListQuery.read(request.GET, clock.today())


def derivation(query: ListQuery) -> Derivation:
    """The list's own profile and estimate parameters (an invalid answer counts as not given)."""
    return Derivation(
        query.today, query.profile, query.choice, query.vocabulary.benchmarks, query.rates
    )


def exported(request: HttpRequest) -> Iterator[dict[str, object]]:
    """The rows of the list's results, in its order."""
    base_url = request.build_absolute_uri("/").rstrip("/")
    query = list_query(request)
    return export_rows(query.rows(for_export), base_url, derivation(query))


def _csv_value(value: object) -> object:
    """Booleans as the JSON export writes them: true / false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _started(rows: Iterator[dict[str, object]]) -> Iterator[dict[str, object]]:
    """The rows with the first one already fetched, so the query runs (and a database outage
    raises, answering 503) before the response starts: an export never begins a 200 it cannot
    finish for want of a connection."""
    first = next(rows, None)
    return rows if first is None else chain([first], rows)


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    rows = _started(exported(request))
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS)

    def lines() -> Iterator[str]:
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow(spreadsheet_safe({k: _csv_value(v) for k, v in row.items()}))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="programmes.csv"'
    return response


def export_json(request: HttpRequest) -> StreamingHttpResponse:
    rows = _started(exported(request))

    def chunks() -> Iterator[str]:
        yield '{"columns":' + json.dumps(EXPORT_COLUMNS) + ',"programmes":['
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}\n"

    return StreamingHttpResponse(chunks(), content_type="application/json")
