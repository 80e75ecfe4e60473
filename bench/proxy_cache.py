"""Issue 24's proxy-cache figures on the production topology (deploy/stack.py: nginx → gunicorn,
2 sync workers → SQLite with the fixtures, private Redis). Reports, never asserts.

- `/healthz` p50/p99 straight at gunicorn and through nginx, quiet and while 8 connections ask
  for pages nobody asked for before (`/programmes/?q=<random>`: a render each);
- a cached detail page's throughput through nginx, quiet and while 16 connections send it with
  random `Accept-Encoding` and `Cookie` values, and the size of nginx's cache before and after.

Run `python bench/proxy_cache.py` (BENCH_WRK_SECONDS per run, default 4). Run it from an older
checkout for the figures before a change.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from production import wrk  # noqa: E402 (bench/production.py, beside this file)

from deploy.stack import Stack, free_block  # noqa: E402 (after the path is set)

DATABASE = os.environ.get("BENCH_PRODUCTION_DATABASE", "")


def lua(text: str) -> Path:
    script = Path(tempfile.mkdtemp()) / "script.lua"
    script.write_text(text)
    return script


PAGE_WORK = lua(
    'request = function() return wrk.format("GET", "/programmes/?q=" .. math.random(1, 1e9)) end\n'
)


def vary_flood(path: str) -> Path:
    return lua(
        "request = function()\n"
        f'  return wrk.format("GET", "{path}", {{["Accept-Encoding"] = "gzip, x-" ..'
        ' math.random(1, 1e9), ["Cookie"] = "c=" .. math.random(1, 1e9)})\n'
        "end\n"
    )


def cache_megabytes(stack: Stack) -> float:
    folder = stack.folder / "nginx" / "cache"
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 2**20


def under(load_url: str, connections: int, script: Path, measure) -> dict[str, float]:
    """`measure()` while wrk sends `script`'s requests to `load_url`."""
    result: dict[str, dict[str, float]] = {}
    loader = threading.Thread(target=lambda: result.update(load=wrk(load_url, connections, script)))
    loader.start()
    time.sleep(0.5)
    try:
        return measure()
    finally:
        loader.join()


def warm(url: str) -> str:
    """The first answer, however long a cold worker on a busy machine takes to give it."""
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (loopback)
        return response.read().decode()


def measure(stack: Stack) -> dict[str, dict[str, float]]:
    nginx, gunicorn = stack.url, f"http://127.0.0.1:{stack.port + 1}"
    detail = re.search(r'href="(/programmes/[a-z0-9-]+/)"', warm(nginx + "/programmes/")).group(1)
    warm(nginx + detail)
    warm(gunicorn + "/healthz")
    results: dict[str, dict[str, float]] = {}
    for name, base in (("gunicorn alone", gunicorn), ("through nginx", nginx)):
        results[f"/healthz, quiet, {name}"] = wrk(base + "/healthz", 4)
        results[f"/healthz, pages rendered meanwhile, {name}"] = under(
            gunicorn, 8, PAGE_WORK, lambda base=base: wrk(base + "/healthz", 4)
        )
    results["cached detail, quiet"] = wrk(nginx + detail, 4)
    before = cache_megabytes(stack)
    results["cached detail, 16-conn Accept-Encoding/Cookie flood"] = under(
        nginx, 16, vary_flood(detail), lambda: wrk(nginx + detail, 4)
    )
    print(f"nginx's cache: {before:.1f} MB before the flood, {cache_megabytes(stack):.1f} MB after")
    return results


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-proxy-"))
    stack = Stack(DATABASE or f"sqlite:///{folder / 'db.sqlite3'}", port=free_block(4))
    with stack:
        results = measure(stack)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n## Proxy cache (load average {load})\n")
    print("| target | req/s | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} |")
    quiet = results["cached detail, quiet"]["rps"]
    flooded = results["cached detail, 16-conn Accept-Encoding/Cookie flood"]["rps"]
    print(f"\nCached detail under the Vary flood: {flooded / quiet:.0%} of quiet.")


if __name__ == "__main__":
    main()
