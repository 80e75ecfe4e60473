"""Run inside one benchmark database: queries and median server time per page type, uncached.

"Uncached" means the page cache is off (PAGE_CACHE_SECONDS=0): every request runs the view and
renders the page. What each process keeps in memory per data generation (the vocabularies and the
list index, programs/snapshot.py) stays warm, as it does in production between changes; the cost
of rebuilding it, paid by the first request after any change, is measured separately ("cold").

Prints one JSON object: {"pages": {name: {"url", "queries", "median_ms"}}, "cold": {...}, ...}.
"""

import gzip
import json
import os
import re
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internships.test_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from programs.caching.generation import bump_generation  # noqa: E402
from programs.listing import index as listing_index  # noqa: E402
from programs.models import Programme, Region  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def page_urls() -> dict[str, str | None]:
    region = Region.objects.filter(countries__programmes__isnull=False).first()
    synthetic = Programme.objects.published().filter(slug__startswith="synthetic-")
    detail = synthetic.first()
    compared = "&".join(f"p={slug}" for slug in synthetic.values_list("slug", flat=True)[:3])
    return {
        "home": "/",
        "list": "/programmes/",
        "list_3_filters_sort": (
            f"/programmes/?region={region.slug}&type=clinical_rotation&pay=unpaid&sort=deadline"
        ),
        "detail": detail.get_absolute_url(),
        "compare": f"/compare/?{compared}",
    }


def measure(client: Client, url: str) -> dict[str, float]:
    client.get(url)  # warm templates, connections and the per-generation data
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {"url": url, "queries": len(queries), "median_ms": round(statistics.median(times), 1)}


def cold(client: Client, url: str) -> dict[str, float]:
    """The first request after a change: the vocabularies and the list index are rebuilt."""
    times, builds = [], []
    for _ in range(max(3, RUNS // 5)):
        bump_generation()
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        bump_generation()
        start = time.perf_counter()
        index = listing_index.current(time_today())
        builds.append((time.perf_counter() - start) * 1000)
    return {
        "first_request_ms": round(statistics.median(times), 1),
        "build_ms": round(statistics.median(builds), 1),
        "index_kb": round(index_size(index) / 1024),
    }


def index_size(index) -> int:
    sets = [index.universe, index.no_red_flags]
    sets += [bits for options in index.options.values() for bits in options.values()]
    arrays = [a for order in index.orders.values() for a in (order.pks, order.position)]
    return sum(sys.getsizeof(s) for s in sets) + sum(a.itemsize * len(a) for a in arrays)


def sizes(client: Client) -> dict[str, object]:
    html = client.get("/programmes/").content
    css_path = re.search(rb'href="(/static/[^"]+\.css)"', html).group(1).decode()
    css = b"".join(client.get(css_path).streaming_content)
    third_party = re.findall(rb'(?:src|href)="(https?://[^"]+)"', html)
    return {
        "list_html": len(html),
        "list_html_gzip": len(gzip.compress(html)),
        "css": len(css),
        "css_gzip": len(gzip.compress(css)),
        "third_party_urls_in_list": [u.decode() for u in third_party],
    }


def plans() -> dict[str, str]:
    """The planner's choice for each filter and sort on its own (EXPLAIN), first index named."""
    from django.db.models.functions import Lower

    from programs.listing.filters import ProgrammeFilter
    from programs.models import Programme

    published = Programme.objects.published()
    checks = {
        "type": published.filter(programme_type="research"),
        "pay": published.filter(pay="unpaid"),
        "delivery": published.delivered("virtual"),
        "deadline open": published.with_deadline("open", time_today()),
        "duration 4-8": published.lasting(4, 8),
        "sort name": published.order_by(Lower("title"), "pk")[:20],
        "sort duration": published.by_duration()[:20],
        "search": ProgrammeFilter(
            {"q": "cardiology surgery"}, queryset=published, today=time_today()
        ).qs[:20],
    }
    result = {}
    for name, queryset in checks.items():
        plan = queryset.explain()
        index = re.search(
            r"(?:USING (?:COVERING )?INDEX|Index Scan using|Bitmap Index Scan on|Index Only Scan using) (\w+)",
            plan,
        )
        result[name] = index.group(1) if index else "no index (" + plan.splitlines()[0][:60] + ")"
    return result


def time_today():
    from programs.core import clock

    return clock.today()


def main() -> None:
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    urls = page_urls()
    pages = {name: measure(client, url) for name, url in urls.items()}
    result = {
        "programmes": Programme.objects.count(),
        "pages": pages,
        "cold": cold(client, urls["list_3_filters_sort"]),
        "sizes": sizes(client),
        "plans": plans(),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
