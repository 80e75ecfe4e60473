"""Pages for machines: health, robots.txt, favicon and the list's CSV and JSON exports."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse

from programs.caching import snapshot
from programs.core import clock
from programs.decisions import costs
from programs.listing.filters import ProgrammeFilter
from programs.models import Programme
from programs.publishing.exports import EXPORT_COLUMNS, Derivation, export_rows
from programs.views import params


def healthz(request: HttpRequest) -> HttpResponse:
    """One query: 200 when the database answers, 503 when it doesn't (the load balancer then
    stops sending traffic here). Never cached, never redirected to HTTPS."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


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


def filtered_programmes(request: HttpRequest):
    """The list page's results for these parameters: the same filters, the same sort."""
    filterset = ProgrammeFilter(
        request.GET, queryset=Programme.objects.published(), today=clock.today()
    )
    return filterset.qs


def derivation(request: HttpRequest) -> Derivation:
    """The list's own profile and estimate parameters (an invalid answer counts as not given)."""
    today, vocabulary = clock.today(), snapshot.vocabulary()
    _, profile = params.read_profile(request, today, vocabulary)
    _, choice = params.read_estimate(request)
    return Derivation(today, profile, choice, vocabulary.benchmarks, costs.Rates(vocabulary.rates))


def _csv_value(value: object) -> object:
    """Booleans as the JSON export writes them: true / false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = export_rows(filtered_programmes(request), base_url, derivation(request))
    writer = csv.DictWriter(_Echo(), fieldnames=EXPORT_COLUMNS)

    def lines() -> Iterator[str]:
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow({k: _csv_value(v) for k, v in row.items()})

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="programmes.csv"'
    return response


def export_json(request: HttpRequest) -> StreamingHttpResponse:
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = export_rows(filtered_programmes(request), base_url, derivation(request))

    def chunks() -> Iterator[str]:
        yield '{"columns":' + json.dumps(EXPORT_COLUMNS) + ',"programmes":['
        for index, row in enumerate(rows):
            yield ("," if index else "") + json.dumps(row, ensure_ascii=False)
        yield "]}\n"

    return StreamingHttpResponse(chunks(), content_type="application/json")
