"""Issue 21 behind the production proxy (deploy/nginx.conf in front of the app): nginx never
keeps a page that carries a form token for another visitor, and a flood of posts from one address
is refused by nginx before it reaches the app's few workers, while that address's first posts
meet the app's own limit (with their text kept)."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from deploy.stack import free_port, render_nginx, stop, wait_for_port
from programs.models import Suggestion
from tests.factories import make_programme
from tests.suggesting import correction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("nginx"), reason="Debian's nginx is not installed"),
]


@pytest.fixture
def nginx(live_server) -> Iterator[int]:
    """nginx with the production configuration, in front of the live test server."""
    port = free_port()
    upstream = int(live_server.url.rsplit(":", 1)[1])
    conf = render_nginx(Path(tempfile.mkdtemp(prefix="nginx-")), port, upstream)
    process = subprocess.Popen(  # noqa: S603
        [shutil.which("nginx") or "nginx", "-c", str(conf), "-p", str(conf.parent)],
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        stop(process)
        shutil.rmtree(conf.parent, ignore_errors=True)


def get(port: int, path: str, cookie: str = "") -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = conn.getresponse()
    response.body = response.read().decode()  # type: ignore[attr-defined]
    return response


def post(port: int, path: str, data: dict[str, str], cookie: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    conn.request(
        "POST",
        path,
        body=urlencode(data),
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    response.body = response.read().decode()  # type: ignore[attr-defined]
    return response


def token_and_cookie(response) -> tuple[str, str]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.body)
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    assert token and cookie.startswith("csrftoken=")
    return token.group(1), cookie


def test_nginx_never_keeps_a_form_page_for_another_visitor(nginx):
    programme = make_programme()
    path = f"/programmes/{programme.slug}/suggest/"
    for page in (programme.get_absolute_url(), programme.get_absolute_url()):
        last = get(nginx, page)
    assert last.getheader("X-Proxy-Cache") == "HIT"  # nginx does keep the plain page

    first, second = get(nginx, path), get(nginx, path)

    for response in (first, second):
        assert response.status == 200
        assert response.getheader("X-Proxy-Cache") != "HIT"
        assert "no-store" in response.getheader("Cache-Control", "")
    assert token_and_cookie(first) != token_and_cookie(second)


def test_a_flood_from_one_address_is_refused_by_nginx_and_stored_at_most_to_the_apps_limit(
    nginx, settings
):
    settings.SUGGESTIONS_PER_HOUR = 5
    programme = make_programme()
    path = f"/programmes/{programme.slug}/suggest/"
    token, cookie = token_and_cookie(get(nginx, path))

    statuses = []
    for n in range(40):
        data = {**correction(proposed=f"Flood {n}"), "csrfmiddlewaretoken": token}
        data["submission"] = str(uuid.uuid4())
        response = post(nginx, path, data, cookie)
        statuses.append((response.status, "Too many" in response.body))

    stored = statuses.count((302, False))
    app_refused = [s for s in statuses[:11] if s[0] == 429]
    assert stored == 5 == Suggestion.objects.count()
    assert len(app_refused) == 11 - 5  # the app's page, with the text kept
    assert all(status == 429 for status, _ in statuses[11:])  # nginx's own, before the app
    assert get(nginx, programme.get_absolute_url()).status == 200
