"""`make bench`, second half: uncached page speed at 10,000 and 100,000 programmes on SQLite and
PostgreSQL (the first half, bench/production.py, is the production topology under wrk).

Bounded: databases are built once and reused (/tmp/bench-N.sqlite3, PostgreSQL `bench_N`), wrk
runs are 5 s each. Synthetic data only (bench/synthetic.py); never touches the real database.
Speed is reported here, not asserted in tests.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BASE_ENV = {
    "DJANGO_SECRET_KEY": "bench-only-secret-key-4f8a2c9e1b7d3f5a6c8e0b2d4f6a8c0e",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
}


def env_for(database_url: str, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**clean, **BASE_ENV, "DATABASE_URL": database_url, **extra}


def manage(database_url: str, *args: str, **extra: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env_for(database_url, DJANGO_SETTINGS_MODULE="internships.test_settings", **extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def script(database_url: str, path: str, *args: str) -> str:
    """Run one of bench/'s own scripts against a benchmark database."""
    result = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, path, *args],
        cwd=ROOT,
        env=env_for(database_url, DJANGO_SETTINGS_MODULE="internships.test_settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def databases() -> list[tuple[str, int, str]]:
    found = []
    for size in SIZES:
        found.append(("SQLite", size, f"sqlite:////tmp/bench-{size}.sqlite3"))
        found.append(("PostgreSQL", size, f"{PG}/bench_{size}"))
    # Sparse primary keys (every other row deleted), at the smallest size.
    size = min(SIZES)
    found.append(("SQLite sparse", size, f"sqlite:////tmp/bench-{size}-sparse.sqlite3"))
    found.append(("PostgreSQL sparse", size, f"{PG}/bench_{size}_sparse"))
    return found


def count_programmes(database_url: str) -> int:
    code = (
        "import django; django.setup(); from programs.models import Programme; "
        "print(Programme.objects.filter(slug__startswith='synthetic-').count())"
    )
    result = subprocess.run(  # noqa: S603
        [PYTHON, "-c", code],
        cwd=ROOT,
        env=env_for(database_url, DJANGO_SETTINGS_MODULE="internships.test_settings"),
        capture_output=True,
        text=True,
        check=False,
    )
    return int(result.stdout.strip() or 0) if result.returncode == 0 else -1


def build(name: str, size: int, database_url: str) -> None:
    if count_programmes(database_url) == size:
        # A database kept from an earlier run gets this code's new tables (e.g. SearchWord, which
        # its migration fills from the stored documents).
        manage(database_url, "migrate", "--noinput")
        return
    print(f"building {name} with {size:,} synthetic programmes…", file=sys.stderr)
    if database_url.startswith("sqlite"):
        Path(database_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    else:
        db = database_url.rsplit("/", 1)[1]
        for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
            subprocess.run(  # noqa: S603
                [shutil.which("psql") or "psql", f"{PG}/postgres", "-qc", sql],
                check=True,
                capture_output=True,
            )
    manage(database_url, "migrate", "--noinput")
    manage(database_url, "load_directory")
    sparse = ["--sparse"] if "sparse" in name else []
    script(database_url, "bench/synthetic.py", "--programmes", str(size), *sparse)


def measure(database_url: str) -> dict:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "bench/measure.py"],
        cwd=ROOT,
        env=env_for(database_url, DJANGO_SETTINGS_MODULE="internships.test_settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def main() -> None:
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env_for("sqlite:////tmp/bench-static.sqlite3"),
        check=True,
    )
    rows, alerts = [], []
    for name, size, url in databases():
        build(name, size, url)
        data = measure(url)
        rows.append((name, size, data))
        if size == min(SIZES) and "sparse" not in name:
            alerts.append((name, size, json.loads(script(url, "bench/alerts.py"))))

    print("\n## Server time per page, uncached (Django test client, median of runs)\n")
    print("| database | programmes | page | queries | median ms |")
    print("|---|---:|---|---:|---:|")
    for name, size, data in rows:
        for page, result in data["pages"].items():
            print(f"| {name} | {size:,} | {page} | {result['queries']} | {result['median_ms']} |")

    print("\n## EXPLAIN: the index each filter and sort uses\n")
    print("| database | programmes | " + " | ".join(rows[0][2]["plans"]) + " |")
    print("|---|---:|" + "---|" * len(rows[0][2]["plans"]))
    for name, size, data in rows:
        print(f"| {name} | {size:,} | " + " | ".join(data["plans"].values()) + " |")

    print("\n## send_alerts (bench/alerts.py; everything it writes is rolled back)\n")
    print("| database | programmes | alerts | run | messages sent | queries | seconds |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for name, size, data in alerts:
        for count, runs in data.items():
            for run in ("first", "second"):
                result = runs[run]
                print(
                    f"| {name} | {size:,} | {int(count):,} | {run} | {result['sent']:,} "
                    f"| {result['queries']:,} | {result['seconds']} |"
                )

    sizes = rows[0][2]["sizes"]
    print("\n## List page weight\n")
    print(
        f"HTML {sizes['list_html']:,} B ({sizes['list_html_gzip']:,} B gzipped) + CSS "
        f"{sizes['css']:,} B ({sizes['css_gzip']:,} B gzipped) = "
        f"{(sizes['list_html_gzip'] + sizes['css_gzip']) / 1024:.1f} KB transferred compressed; "
        f"third-party URLs: {len(sizes['third_party_urls_in_list'])}"
    )


if __name__ == "__main__":
    main()
