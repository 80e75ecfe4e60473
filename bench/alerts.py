"""Run inside one benchmark database: `send_alerts` for N alerts over its synthetic directory.

Everything it writes (alerts, the changes they report, the messages) is rolled back at the end,
so the database stays as bench/run.py built it. Mail goes to Django's in-memory backend: the
time measured is ours (the changes, the list queries, composing and recording each message),
not an SMTP server's.

For each N in ALERT_COUNTS: N confirmed alerts (nine in ten a search drawn from the list's
filters and search words, one in ten deadline reminders for four synthetic programmes), the
last digest a day ago; then CHANGED programmes get a new cost figure and a confirmed deadline
(history rows, as an adviser's saves write them); then send_alerts runs twice (the second
must send nothing). Prints one JSON object.
"""

import datetime
import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internships.test_settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail as outbox  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from programs.alerts.sending import send_alerts  # noqa: E402
from programs.core import clock  # noqa: E402
from programs.models import (  # noqa: E402
    Alert,
    Cost,
    DatedDeadline,
    Programme,
    Region,
    Source,
)

ALERT_COUNTS = [int(n) for n in os.environ.get("BENCH_ALERTS", "1000,10000").split(",")]
CHANGED = int(os.environ.get("BENCH_ALERT_CHANGES", "200"))
WORDS = ["surgery", "paediatrics", "research", "rural", "cardiology", "summer", ""]


class Rollback(Exception):
    pass


def queries(rng: random.Random, regions: list[str], count: int) -> list[str]:
    """Search alerts' query strings, as saved_query() writes them (sorted names)."""
    found = []
    for n in range(count):
        parts = {
            "pay": rng.choice(["", "unpaid", "stipend"]),
            "q": rng.choice(WORDS),
            "region": rng.choice(["", *regions]),
            "type": rng.choice(["", *Programme.Type.values]),
        }
        if n % 50 == 0:
            parts["colour"] = "blue"  # a filter the list does not have: reported
        found.append("&".join(f"{k}={v}" for k, v in sorted(parts.items()) if v))
    return found


def make_alerts(count: int, rng: random.Random, since: datetime.datetime) -> None:
    regions = list(Region.objects.values_list("slug", flat=True))
    slugs = list(
        Programme.objects.published()
        .filter(slug__startswith="synthetic-")
        .values_list("slug", flat=True)[:2000]
    )
    searches = queries(rng, regions, count - count // 10)
    rows = [
        Alert(
            kind=Alert.Kind.SEARCH,
            email=f"student-{n}@example.org",
            query=query,
            frequency=rng.choice(Alert.Frequency.values),
            confirmed_at=since,
            covered_until=since,
        )
        for n, query in enumerate(searches)
    ]
    rows += [
        Alert(
            kind=Alert.Kind.DEADLINES,
            email=f"student-{n}@example.org",
            query="&".join(f"p={slug}" for slug in rng.sample(slugs, 4)),
            confirmed_at=since,
            covered_until=since,
        )
        for n in range(len(searches), count)
    ]
    Alert.objects.bulk_create(rows, batch_size=2000)


def change_directory(rng: random.Random) -> None:
    """Adviser-like saves (each writes history): a new fee figure and a confirmed deadline."""
    source = Source.objects.create(
        kind=Source.Kind.WEBSITE, title="Bench", url="https://e.org", date=clock.today()
    )
    chosen = rng.sample(
        list(Programme.objects.published().filter(slug__startswith="synthetic-")), CHANGED
    )
    today = clock.today()
    for n, programme in enumerate(chosen):
        cost = Cost.objects.filter(programme=programme).first()
        if cost is not None:
            cost.amount_min = (cost.amount_min or Decimal(0)) + 50
            cost.save()
        due = today + datetime.timedelta(days=5 + n % 40)
        DatedDeadline.objects.create(programme=programme, cycle=due.year, date=due, source=source)


class Counter:
    """Counts every statement (CaptureQueriesContext keeps only the last 9,000)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_run() -> dict:
    outbox.outbox = []
    counter = Counter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        report = send_alerts()
        seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 2),
        "queries": counter.count,
        "planned": report.planned,
        "sent": report.sent,
        "dropped": report.dropped,
        "mails": len(outbox.outbox),
    }


def scenario(count: int) -> dict:
    rng = random.Random(22)  # noqa: S311 (benchmark data)
    result: dict = {}
    try:
        with transaction.atomic():
            since = timezone.now() - datetime.timedelta(days=1)
            make_alerts(count, rng, since)
            change_directory(rng)
            result["first"] = timed_run()
            result["second"] = timed_run()
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    if "--profile" in sys.argv:
        import cProfile

        cProfile.runctx("scenario(ALERT_COUNTS[0])", globals(), locals(), sort="cumtime")
        return
    results = {str(count): scenario(count) for count in ALERT_COUNTS}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
