"""`make bench`: page speed at 10,000 and 100,000 programmes on SQLite and PostgreSQL, then
gunicorn (2 workers) under wrk on loopback, cached and uncached, next to a static file.

Bounded: databases are built once and reused (/tmp/bench-N.sqlite3, PostgreSQL `bench_N`), wrk
runs are 5 s each. Synthetic data only (bench/synthetic.py); never touches the real database.
Speed is reported here, not asserted in tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,100000").split(",")]
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8150"))
WRK_SECONDS = os.environ.get("BENCH_WRK_SECONDS", "5")
WRK = shutil.which("wrk") or "wrk"
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


# gunicorn + wrk


def wait_for_port(port: int) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def wrk(url: str) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603
        [WRK, "-t2", "-c8", f"-d{WRK_SECONDS}s", "--timeout", "10s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
    }


def serve_and_load(database_url: str, pages: dict) -> dict:
    results = {}
    for mode, seconds in (("cached", "600"), ("uncached", "0")):
        env = env_for(
            database_url,
            DJANGO_SETTINGS_MODULE="internships.settings",
            PORT=str(PORT),
            WEB_CONCURRENCY="2",
            DJANGO_PAGE_CACHE_SECONDS=seconds,
        )
        server = subprocess.Popen(  # noqa: S603
            [str(Path(PYTHON).with_name("gunicorn")), "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_CMD_ARGS": "--access-logfile /dev/null"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(PORT)
            base = f"http://127.0.0.1:{PORT}"
            if mode == "cached":
                css = re.search(r'href="(/static/[^"]+\.css)"', _fetch(base + "/")).group(1)
                results["static"] = wrk(base + css)
            for name, page in pages.items():
                if page:
                    results[f"{name} ({mode})"] = wrk(base + page["url"])
        finally:
            server.terminate()
            server.wait(timeout=15)
    return results


def _fetch(url: str) -> str:
    from urllib.request import urlopen

    with urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.read().decode()


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (make bench installs it with apt-get)")
    subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env_for("sqlite:////tmp/bench-static.sqlite3"),
        check=True,
    )
    rows = []
    load_results = {}
    for name, size, url in databases():
        build(name, size, url)
        data = measure(url)
        rows.append((name, size, data))
        if size == min(SIZES) and "sparse" not in name and os.environ.get("BENCH_WRK", "1") == "1":
            load_results[name] = serve_and_load(url, data["pages"])

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

    sizes = rows[0][2]["sizes"]
    print("\n## List page weight\n")
    print(
        f"HTML {sizes['list_html']:,} B ({sizes['list_html_gzip']:,} B gzipped) + CSS "
        f"{sizes['css']:,} B ({sizes['css_gzip']:,} B gzipped) = "
        f"{(sizes['list_html_gzip'] + sizes['css_gzip']) / 1024:.1f} KB transferred compressed; "
        f"third-party URLs: {len(sizes['third_party_urls_in_list'])}"
    )

    for name, results in load_results.items():
        static = results["static"]["rps"]
        print(
            f"\n## gunicorn, 2 workers, wrk -t2 -c8 -d{WRK_SECONDS}s on loopback ({name}, "
            f"{min(SIZES):,} programmes)\n"
        )
        print("| target | req/s | p50 ms | p99 ms | req/s vs static |")
        print("|---|---:|---:|---:|---:|")
        for target, r in results.items():
            print(
                f"| {target} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                f"{r['rps'] / static:.0%} |"
            )


if __name__ == "__main__":
    main()
