"""The page cache's mechanism (programs/caching/pages.py): what a hit costs, what an edit
invalidates, and that concurrent misses render a page once. Timings are in `make bench`."""

from __future__ import annotations

import gzip
import re
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from programs.caching.pages import all_page_parameters
from tests.counting_cache import CountingLocMemCache
from tests.factories import make_guide, make_programme

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def counted_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "tests.counting_cache.CountingLocMemCache",
            "LOCATION": "counted-page-cache",
        }
    }
    CountingLocMemCache.calls = []
    return CountingLocMemCache.calls


def test_a_hit_makes_exactly_one_read_of_the_shared_cache_and_no_write(client, counted_cache):
    programme = make_programme(title="Counted")
    for url in ("/programmes/", programme.get_absolute_url(), "/programmes/?pay=unpaid"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        counted_cache.clear()

        response = client.get(url)

        assert response["X-Page-Cache"] == "hit"
        assert counted_cache == ["get_many"]


def test_a_hit_serves_the_body_gzipped_once_to_clients_that_accept_it(client):
    programme = make_programme(title="Compressed once")
    plain = client.get(programme.get_absolute_url()).content

    response = client.get(programme.get_absolute_url(), headers={"accept-encoding": "gzip, br"})

    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain
    assert int(response["Content-Length"]) == len(response.content) < len(plain)


def test_editing_one_programme_leaves_unrelated_pages_cached_and_its_own_fresh(client):
    edited = make_programme(title="Before the edit")
    other = make_programme(title="Untouched")
    make_guide()
    unrelated = [other.get_absolute_url(), "/guides/"]
    for url in [edited.get_absolute_url(), "/programmes/", *unrelated]:
        client.get(url)

    edited.title = "After the edit"
    edited.save()

    for url in unrelated:
        assert client.get(url)["X-Page-Cache"] == "hit", url
    for url in (edited.get_absolute_url(), "/programmes/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss", url
        assert "After the edit" in response.content.decode()
        assert "Before the edit" not in response.content.decode()


def test_while_one_request_renders_a_list_again_others_get_the_previous_copy(client, settings):
    from django.core.cache import cache

    from programs.caching.pages import canonical_query, page_key

    edited = make_programme(title="Listed before")
    client.get("/programmes/")
    edited.title = "Listed after"
    edited.save()
    request = client.get("/programmes/").wsgi_request  # renders the new copy
    key = page_key(request, canonical_query(request.GET, frozenset()))
    edited.title = "Listed third"
    edited.save()
    cache.add(f"{key}:rendering", 1, 30)  # another worker is rendering it now

    response = client.get("/programmes/")

    assert response["X-Page-Cache"] == "stale"
    assert "Listed after" in response.content.decode()
    # The programme's own page is never served stale.
    assert "Listed third" in client.get(edited.get_absolute_url()).content.decode()


def test_concurrent_misses_of_one_page_render_it_once(live_server):
    programme = make_programme(title="Stampede")
    url = live_server.url + programme.get_absolute_url()
    start = threading.Barrier(8)

    def fetch(_: int) -> str:
        start.wait()
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (live server)
            assert "Stampede" in response.read().decode()
            return response.headers["X-Page-Cache"]

    with ThreadPoolExecutor(8) as pool:
        states = list(pool.map(fetch, range(8)))

    assert sorted(states) == ["hit"] * 7 + ["miss"]


def test_nginx_knows_exactly_the_parameters_the_cached_pages_read():
    template = (ROOT / "deploy" / "nginx.conf").read_text()
    lists = re.findall(r'"~\^\(\?:\(\?(?:!\(\?)?:([a-z_|]+)\)', template)

    assert len(lists) == 2  # queries of known names only, and of unknown names only
    for listed in lists:
        assert sorted(listed.split("|")) == sorted(all_page_parameters())
