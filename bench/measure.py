"""Run inside one benchmark database: queries and median server time per page type, uncached.

"Uncached" means the page cache is off (PAGE_CACHE_SECONDS=0): every request runs the view, its
queries (results, facet counts, search) and renders the page; nothing is kept between requests.

Prints one JSON object: {"pages": {name: {"url", "queries", "median_ms"}}, "sizes": ..., ...}.
"""

import gzip
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internships.test_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

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
        "search": "/programmes/?q=paediatrics",
        "search_two_words": "/programmes/?q=surgery+rural",
        "search_typo": "/programmes/?q=cardiolgy",
        "list_search_3_filters": (
            f"/programmes/?q=surgery&region={region.slug}&type=clinical_rotation&pay=unpaid"
        ),
        "list_budget_profile": "/programmes/?max_cost=3000&age=22&eligible=1",
        "list_budget_profile_by_cost": "/programmes/?max_cost=3000&age=22&eligible=1&sort=cost",
        "eligibility_profile": "/eligibility/?age=22",
        "detail": detail.get_absolute_url(),
        "compare": f"/compare/?{compared}",
    }


def measure(client: Client, url: str) -> dict[str, float]:
    client.get(url)  # warm templates and connections
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


def sizes(client: Client) -> dict[str, object]:
    html = client.get("/programmes/").content
    css_path = re.search(rb'href="(/static/[^"]+\.css)"', html).group(1).decode()
    # Read from the static folders: the test settings collect nothing for WhiteNoise to serve.
    css = Path(finders.find(css_path.removeprefix(settings.STATIC_URL))).read_bytes()
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
        "search + 3 filters": ProgrammeFilter(
            {"q": "surgery", "type": "clinical_rotation", "pay": "unpaid", "delivery": "virtual"},
            queryset=published,
            today=time_today(),
        ).qs[:20],
    }
    result = {}
    for name, queryset in checks.items():
        plan = queryset.explain()
        index = re.search(
            r"(?:USING (?:COVERING )?INDEX|Index Scan using|Bitmap Index Scan on|Index Only Scan using"
            r"|VIRTUAL TABLE INDEX) (\w+)",
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
        "sizes": sizes(client),
        "plans": plans(),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
