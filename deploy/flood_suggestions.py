"""A flood of 1,000 suggestion posts from one address against the production stack
(deploy/stack.py: nginx → gunicorn, 2 sync workers → PostgreSQL, private Redis), issue 21.

While one address (127.0.0.66, a loopback alias) posts the correction form 1,000 times with valid
CSRF tokens (from a child process at the lowest CPU priority: on one machine the attacker's CPU
would otherwise be taken from the site), other visitors keep reading (a cached programme page through nginx, measured with
`wrk`, and an uncached page that gunicorn renders, measured here) and an adviser opens the
inbox. Figures are compared with the same measurements on a quiet site. It runs twice: through
nginx (its per-address limit refuses most of the flood itself), and straight at gunicorn as if
that limit were gone (the app's own limit must hold).

Targets: other visitors' throughput during the flood ≥ 80 % of quiet, no 5xx to anyone, every
suggestion the flood was thanked for stored exactly once, the inbox answering.

    python -m deploy.flood_suggestions        # alone; FLOOD_DATABASE_URL, FLOOD_PORT
    from deploy.flood_suggestions import run  # in make reliability: run(stack) -> rows
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from deploy.stack import ROOT, Stack, ensure_database

FLOODER = "127.0.0.66"  # any 127.x address is this machine; nginx sees it as another client
VISITOR = "127.0.0.1"
POSTS = int(os.environ.get("FLOOD_POSTS", "1000"))
SECONDS = float(os.environ.get("FLOOD_SECONDS", "6"))
ADVISER, PASSWORD = "flood-adviser", "flood-adviser-password-0c1d"
MARK = "flood-"


@dataclass
class Client:
    """One visitor: keeps its cookies (any name, Secure or not: the stack speaks plain HTTP)."""

    port: int
    source: str = VISITOR
    cookies: dict[str, str] = field(default_factory=dict)
    forwarded_for: str = ""  # set when talking to gunicorn directly, as nginx would

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        # http.client names the host and port it connects to: nginx's canonical address (any other
        # is redirected there, deploy/nginx.conf), or gunicorn's when talking to it directly.
        headers: dict[str, str] = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.forwarded_for:
            headers["X-Forwarded-For"] = self.forwarded_for
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
        except OSError:
            return 0, ""
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def token(self, path: str) -> str:
        status, page = self.request("GET", path)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            raise RuntimeError(f"no form at {path} ({status})")
        return found.group(1)


def correction(token: str, n: int) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": token,
        "fact": "deadline",
        "proposed": f"{MARK}{n}: applications close on 15 March 2027",
        "evidence": "link",
        "evidence_url": "https://www.example.org/dates",
        "submission": str(uuid.uuid4()),
        "website": "",
    }


def attack(port: int, path: str, forwarded_for: str) -> subprocess.Popen:
    """The flood in a child process at the lowest CPU priority: an attacker's CPU is not the
    site's, and on one machine the load generator must not be what slows the site down."""
    nice = shutil.which("nice") or "/usr/bin/nice"
    command = [nice, "-n", "19", sys.executable, "-m", "deploy.flood_suggestions", "--flood"]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [*command, str(port), path],
        env={**os.environ, "FLOOD_FORWARDED_FOR": forwarded_for},
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def finished(attacker: subprocess.Popen) -> Counter:
    out, _ = attacker.communicate(timeout=900)
    return Counter({(int(s), bool(a)): n for s, a, n in json.loads(out.splitlines()[-1])})


def flood_alone(port: int, path: str) -> None:
    """The child of `attack()`: posts, then prints its answers as JSON on the last line."""
    client = Client(port, source=FLOODER, forwarded_for=os.environ.get("FLOOD_FORWARDED_FOR", ""))
    answers = flood(client, path, POSTS)
    print(json.dumps([[status, app, n] for (status, app), n in answers.items()]))


def flood(client: Client, path: str, posts: int, connections: int = 8) -> Counter:
    """`posts` corrections from one address over `connections` parallel connections."""
    token = client.token(path)

    def one(n: int) -> tuple[int, bool]:
        status, text = client.request("POST", path, correction(token, n))
        return status, "Too many suggestions from your address" in text  # the app's form page

    with ThreadPoolExecutor(connections) as pool:
        return Counter(pool.map(one, range(posts)))


def wrk(url: str, seconds: float) -> tuple[float, int]:
    """Requests a second and non-2xx/3xx answers (wrk's "Non-2xx or 3xx responses")."""
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t", "2", "-c", "4", "-d", f"{int(seconds)}s", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return (float(rate.group(1)) if rate else 0.0), (int(bad.group(1)) if bad else 0)


def uncached_reads(port: int, path: str, seconds: float, workers: int = 2) -> tuple[float, Counter]:
    """Another visitor's pages that gunicorn renders (a form page: never cached)."""
    statuses: Counter = Counter()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def loop() -> None:
        client = Client(port)
        while time.monotonic() < deadline:
            status, _ = client.request("GET", path)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=loop) for _ in range(workers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(statuses.values()) / (time.monotonic() - started), statuses


def inbox_seconds(client: Client) -> tuple[int, float, int]:
    """An adviser opens the inbox: status, seconds, suggestions listed."""
    started = time.monotonic()
    status, page = client.request("GET", "/admin/programs/suggestion/?status=all")
    listed = page.count('class="field-about"')
    return status, time.monotonic() - started, listed


def stored(stack: Stack) -> tuple[int, int]:
    """(suggestions the flood stored, distinct texts among them) from the database."""
    code = (
        "from programs.models import Suggestion as S; "
        f"q = S.objects.filter(proposed__startswith='{MARK}'); "
        "print(q.count(), q.values('proposed').distinct().count())"
    )
    out = stack.manage("shell", "-c", code).stdout.split()
    return int(out[-2]), int(out[-1])


def forget_flood(stack: Stack) -> None:
    """No suggestion of an earlier flood, and no count of the app's limit, is left."""
    stack.manage(
        "shell",
        "-c",
        f"from programs.models import Suggestion; from django.core.cache import cache; "
        f"Suggestion.objects.filter(proposed__startswith='{MARK}').delete(); cache.clear()",
    )


def prepare(stack: Stack) -> tuple[str, Client]:
    """A published programme's correction form, and an adviser signed in to the admin."""
    code = (
        "from programs.models import Programme; "
        "from programs.catalogue.roles import create_staff_user as make; "
        "from django.contrib.auth import get_user_model as U; "
        f"U().objects.filter(username='{ADVISER}').delete(); make('{ADVISER}', 'a@example.org', "
        f"'{PASSWORD}'); print(Programme.objects.published().values_list('slug', flat=True)[0])"
    )
    slug = stack.manage("shell", "-c", code).stdout.split()[-1]
    adviser = Client(stack.port, source="127.0.0.9")
    token = adviser.token("/admin/login/")
    adviser.request(
        "POST",
        "/admin/login/?next=/admin/",
        {"csrfmiddlewaretoken": token, "username": ADVISER, "password": PASSWORD},
    )
    return f"/programmes/{slug}/suggest/", adviser


@dataclass
class Visitors:
    cached: float  # req/s of a cached programme page through nginx (wrk)
    cached_errors: int
    uncached: float  # req/s of an uncached form page rendered by gunicorn
    uncached_statuses: Counter


def visitors(stack: Stack, page: str, form: str) -> Visitors:
    """Other visitors for SECONDS: both kinds of reading at once, as on a real site."""
    found: dict = {}
    reader = threading.Thread(
        target=lambda: found.update(uncached=uncached_reads(stack.port, form, SECONDS))
    )
    reader.start()
    cached, errors = wrk(stack.url + page, SECONDS)
    reader.join()
    return Visitors(cached, errors, *found["uncached"])


def warm_up(stack: Stack, *paths: str, seconds: float = 90.0) -> None:
    """Until each page answers 200 (a fresh worker imports and connects on its first requests)."""
    client = Client(stack.port)
    deadline = time.monotonic() + seconds
    for path in paths:
        while client.request("GET", path)[0] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        for _ in range(4):  # both workers, twice
            client.request("GET", path)


def case(stack: Stack, label: str, port: int, path: str, adviser: Client) -> list[dict]:
    """Quiet figures (before and after, averaged: the machine is shared), then the same during a
    flood that reaches `port`."""
    page = path.removesuffix("suggest/")
    warm_up(stack, page, path)
    wrk(stack.url + page, 2)  # warm the workers, the page cache and nginx's copy
    uncached_reads(stack.port, path, 2)
    before = visitors(stack, page, path)
    quiet_inbox = inbox_seconds(adviser)

    # Straight at gunicorn, the flood says who it is in X-Forwarded-For, as nginx would.
    forwarded = FLOODER if port != stack.port else ""
    started = time.monotonic()
    attacker = attack(port, path, forwarded)
    time.sleep(0.5)
    busy = visitors(stack, page, path)
    busy_inbox = inbox_seconds(adviser)
    measured = time.monotonic() - started
    answers = finished(attacker)
    flood_seconds = time.monotonic() - started
    after = visitors(stack, page, path)
    thanked = answers[(302, False)]
    count, distinct = stored(stack)

    quiet_cached = (before.cached + after.cached) / 2
    quiet_uncached = (before.uncached + after.uncached) / 2
    five_xx = sum(n for (status, _), n in answers.items() if status >= 500 or status == 0)
    five_xx += busy.cached_errors + sum(
        n for status, n in busy.uncached_statuses.items() if status >= 500 or status == 0
    )
    ratio_cached = busy.cached / quiet_cached if quiet_cached else 0.0
    ratio_uncached = busy.uncached / quiet_uncached if quiet_uncached else 0.0
    said = ", ".join(
        f"{n}× {status}{' (app: the form again)' if app else ''}"
        for (status, app), n in sorted(answers.items())
    )
    said += "" if flood_seconds >= measured else " (it ended before the visitors' measurement)"
    quiet_words = "{:.0f} req/s quiet ({:.0f} before, {:.0f} after)"
    return [
        {
            "case": f"{label}: the flood's answers",
            "figures": f"{POSTS} posts in {flood_seconds:.1f} s: {said}",
            "verdict": "ok" if five_xx == 0 else "FAIL",
        },
        {
            "case": f"{label}: other visitors, cached page (nginx)",
            "figures": quiet_words.format(quiet_cached, before.cached, after.cached)
            + f" → {busy.cached:.0f} during ({ratio_cached:.0%})",
            "verdict": "ok" if ratio_cached >= 0.8 else "below 80 %",
        },
        {
            "case": f"{label}: other visitors, uncached form page (gunicorn)",
            "figures": quiet_words.format(quiet_uncached, before.uncached, after.uncached)
            + f" → {busy.uncached:.1f} during ({ratio_uncached:.0%})",
            "verdict": "ok" if ratio_uncached >= 0.8 else "below 80 %",
        },
        {
            "case": f"{label}: adviser's inbox",
            "figures": f"{quiet_inbox[0]} in {quiet_inbox[1]:.2f} s quiet, {busy_inbox[0]} in "
            f"{busy_inbox[1]:.2f} s during; {busy_inbox[2]} listed",
            "verdict": "ok" if busy_inbox[0] == 200 else "FAIL",
        },
        {
            "case": f"{label}: stored once",
            "figures": f"thanked {thanked}, stored {count} ({distinct} distinct); 5xx: {five_xx}",
            "verdict": "ok" if thanked == count == distinct and five_xx == 0 else "FAIL",
        },
    ]


def run(stack: Stack) -> list[dict]:
    """The flood through nginx, then straight at gunicorn; rows of case, figures, verdict."""
    if not shutil.which("wrk"):
        return [
            {"case": "suggestion flood", "figures": "wrk is not installed", "verdict": "skipped"}
        ]
    path, adviser = prepare(stack)
    forget_flood(stack)
    rows = case(stack, "Flood through nginx", stack.port, path, adviser)
    # The app's limit counts per address per hour: the second case starts from a clean count.
    forget_flood(stack)
    rows += case(stack, "Flood at gunicorn", stack.port + 1, path, adviser)
    forget_flood(stack)
    return rows


def main() -> None:
    if sys.argv[1:2] == ["--flood"]:
        flood_alone(int(sys.argv[2]), sys.argv[3])
        return
    database_url = os.environ.get(
        "FLOOD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/flood_suggestions"
    )
    port = int(os.environ.get("FLOOD_PORT", "8195"))
    ensure_database(database_url)
    print(f"nginx → gunicorn (2 workers) → {database_url}, private Redis, on :{port}…")
    with Stack(database_url, port=port) as stack:
        rows = run(stack)
    width = max(len(row["case"]) for row in rows)
    for row in rows:
        print(row["case"].ljust(width), "|", row["verdict"].ljust(10), "|", row["figures"])


if __name__ == "__main__":
    main()
