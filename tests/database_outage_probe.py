"""Run in its own process by test_database_outage.py (and `make reliability`): Django on a
private PostgreSQL cluster, which this script stops half-way. Prints one JSON object."""

import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "internships.test_settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from django.test import Client  # noqa: E402

from deploy.stack import PrivateCluster  # noqa: E402
from tests.factories import make_programme  # noqa: E402


def probe(client: Client, path: str) -> dict:
    # What a real server does at each request's start and end; Django's test Client skips it.
    close_old_connections()
    started = time.monotonic()
    response = client.get(path, HTTP_HOST="127.0.0.1")
    body = b"".join(response) if response.streaming else response.content
    return {
        "status": response.status_code,
        "seconds": round(time.monotonic() - started, 2),
        "cache": response.get("X-Page-Cache", ""),
        "friendly": b"back in a moment" in body,
        "bytes": len(body),
    }


def main() -> None:
    cluster = PrivateCluster(
        int(os.environ["OUTAGE_PG_PORT"]), Path(os.environ["OUTAGE_PG_FOLDER"])
    )
    call_command("migrate", verbosity=0)
    programme = make_programme(title="Cached before the outage")
    client = Client(raise_request_exception=False)
    before = probe(client, programme.get_absolute_url())
    cluster.stop()
    results = {
        "before": before,
        "cached page": probe(client, programme.get_absolute_url()),
        "uncached page": probe(client, "/destinations/"),
        "healthz": probe(client, "/healthz"),
        "csv export": probe(client, "/programmes.csv"),
        "json export": probe(client, "/programmes.json"),
    }
    cluster.start()
    started = time.monotonic()
    while (after := probe(client, "/destinations/"))["status"] != 200:
        if time.monotonic() - started > 30:
            break
        time.sleep(0.5)
    results["after restart"] = {**after, "seconds to recover": round(time.monotonic() - started, 1)}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
