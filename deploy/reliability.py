"""`make reliability`: the production stack on loopback (nginx → gunicorn, 2 workers → PostgreSQL,
private Redis) under faults and load, bounded to a few minutes; prints a table. Reports figures,
asserts nothing (the pass/fail checks are the tests in tests/).

The PostgreSQL outage runs on a private cluster (tests/database_outage_probe.py); the shared
server on 5432 is only used for the database `i14_reliability`, created if missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from deploy import flood_suggestions
from deploy.stack import ROOT, PrivateCluster, Stack, ensure_database

DATABASE_URL = os.environ.get(
    "RELIABILITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/i14_reliability"
)
PORT = int(os.environ.get("RELIABILITY_PORT", "8190"))
WRK_SECONDS = int(os.environ.get("RELIABILITY_WRK_SECONDS", "5"))
rows: list[tuple[str, str, str]] = []


def get(url: str, timeout: float = 15.0) -> tuple[int, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0  # no answer in time
    return status, time.monotonic() - started


def summary(results: list[tuple[int, float]]) -> str:
    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    seconds = [s for _, s in results]
    codes = ", ".join(f"{n}× {code or 'no answer'}" for code, n in sorted(statuses.items()))
    return f"{codes}; median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"


def record(case: str, figures: str, verdict: str) -> None:
    rows.append((case, figures, verdict))
    print(f"  {case}: {figures} [{verdict}]", flush=True)


def redis_faults(stack: Stack) -> None:
    pages = ["/programmes/", "/", "/destinations/", "/programmes/?pay=unpaid"]
    for path in pages:
        get(stack.url + path)
    up = [get(stack.url + p) for p in pages * 5]
    record("Redis up", summary(up), "baseline")
    stack.pause_redis()
    hung = [get(stack.url + p) for p in pages * 5]
    health = get(stack.url + "/healthz")
    stack.resume_redis()
    ok = all(s == 200 for s, _ in hung) and health[0] == 200
    record("Redis hung (SIGSTOP)", f"{summary(hung)}; /healthz {health[0]} in {health[1]:.2f} s",
           "ok" if ok else "FAIL")  # fmt: skip
    stack.stop_redis()
    time.sleep(0.5)
    stopped = [get(stack.url + p) for p in pages * 5]
    health = get(stack.url + "/healthz")
    ok = all(s == 200 for s, _ in stopped) and health[0] == 200
    record("Redis stopped", f"{summary(stopped)}; /healthz {health[0]} in {health[1]:.2f} s",
           "ok" if ok else "FAIL")  # fmt: skip
    stack.start_redis()


def slow_clients(stack: Stack, sockets: int = 8) -> None:
    """Slowloris: sockets that send half a header, and half a body, then trickle; meanwhile
    normal requests must still be answered."""
    held = []
    for index in range(sockets):
        conn = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        if index % 2:
            conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        else:
            conn.sendall(b"POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            conn.sendall(b"Content-Type: application/x-www-form-urlencoded\r\n")
            conn.sendall(b"Content-Length: 5000\r\n\r\nusername=")
        held.append(conn)
    time.sleep(1)
    probes = [get(stack.url + path) for path in ["/destinations/", "/healthz"] * 4]
    for conn in held:
        conn.close()
    ok = all(s == 200 for s, _ in probes)
    record(f"{sockets} slow clients (half headers/bodies)", summary(probes), "ok" if ok else "FAIL")


def wrk(url: str, connections: int, script: Path | None = None) -> float:
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{WRK_SECONDS}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=False).stdout  # noqa: S603
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return 0.0


def flood(stack: Stack) -> None:
    if not shutil.which("wrk"):
        record("cache-busting flood", "wrk is not installed", "skipped")
        return
    url = stack.url + "/programmes/?pay=unpaid"
    get(url)
    quiet = wrk(url, 4)
    script = Path(tempfile.mkdtemp()) / "bust.lua"
    script.write_text(
        'request = function() return wrk.format("GET", "/programmes/?pay=unpaid&zz=" '
        ".. math.random(1, 1e9)) end\n"
    )
    result: dict[str, float] = {}
    attacker = threading.Thread(target=lambda: result.update(flood=wrk(url, 16, script)))
    attacker.start()
    time.sleep(0.3)
    during = wrk(url, 4)
    attacker.join()
    ratio = during / quiet if quiet else 0.0
    record(
        "cache-busting flood (16 conns, ?zz=random)",
        f"legit {quiet:.0f} req/s quiet → {during:.0f} req/s under flood ({ratio:.0%}); "
        f"flood served {result.get('flood', 0):.0f} req/s (nginx paces unknown parameters)",
        "ok" if ratio >= 0.8 else "below 80 %",
    )


def postgres_outage() -> None:
    cluster = PrivateCluster(port=int(os.environ.get("RELIABILITY_PG_PORT", "5498"))).create()
    try:
        env = {**os.environ, "DATABASE_URL": cluster.url, "OUTAGE_PG_PORT": str(cluster.port),
               "OUTAGE_PG_FOLDER": str(cluster.folder),
               "DJANGO_SETTINGS_MODULE": "internships.test_settings"}  # fmt: skip
        out = subprocess.run(
            [sys.executable, "tests/database_outage_probe.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
    finally:
        cluster.drop()
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    for name in ("cached page", "uncached page", "healthz", "csv export"):
        f = figures[name]
        record(f"PostgreSQL stopped: {name}", f"{f['status']} in {f['seconds']:.2f} s", "ok")
    record(
        "PostgreSQL back", f"recovered in {figures['after restart']['seconds to recover']} s", "ok"
    )


def suite(label: str, *files: str) -> None:
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-200:]
    record(label, last, "ok" if out.returncode == 0 else "FAIL")


def main() -> None:
    ensure_database(DATABASE_URL)
    print(f"Starting nginx → gunicorn → {DATABASE_URL} with a private Redis on :{PORT}…")
    with Stack(DATABASE_URL, port=PORT) as stack:
        redis_faults(stack)
        slow_clients(stack)
        flood(stack)
        for row in flood_suggestions.run(stack):  # issue 21: 1,000 suggestion posts, one address
            record(row["case"], row["figures"], row["verdict"])
    postgres_outage()
    suite("concurrent edits", "tests/test_concurrent_edits.py")
    suite("hostile text and files", "tests/test_hostile_input.py")
    suite(
        "reload over edits",
        "tests/test_reloading_keeps_edits.py::test_a_reload_keeps_an_advisers_edit_and_reports_it_as_a_conflict",
    )
    width = max(len(case) for case, _, _ in rows)
    print("\n" + "case".ljust(width), "| result | figures")
    print("-" * width, "|--------|--------")
    for case, figures, verdict in rows:
        print(case.ljust(width), "|", verdict.ljust(6), "|", figures)


if __name__ == "__main__":
    main()
