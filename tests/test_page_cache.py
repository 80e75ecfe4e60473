"""Anonymous pages come from the cache until anything in the directory changes."""

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from deploy.stack import free_port
from programs.models import Programme
from tests.factories import make_country, make_programme

pytestmark = pytest.mark.django_db


def test_a_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, django_assert_num_queries
):
    programme = make_programme(title="Cached shadowing")

    assert client.get(programme.get_absolute_url())["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(programme.get_absolute_url())

    assert response["X-Page-Cache"] == "hit"
    assert "Cached shadowing" in response.content.decode()
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_changing_a_programme_shows_on_the_next_request(client):
    programme = make_programme(title="Old title")
    for url in (programme.get_absolute_url(), "/programmes/", "/"):
        client.get(url)

    programme.title = "New title"
    programme.save()

    for url in (programme.get_absolute_url(), "/programmes/"):
        html = client.get(url).content.decode()
        assert "New title" in html
        assert "Old title" not in html


def test_linking_a_country_or_renaming_an_organisation_shows_on_the_next_request(client):
    programme = make_programme()
    client.get(programme.get_absolute_url())

    programme.countries.add(make_country("KE", name="Kenya"))
    assert "Kenya" in client.get(programme.get_absolute_url()).content.decode()

    organisation = programme.organisation
    organisation.name = "Renamed Trust"
    organisation.save()
    assert "Renamed Trust" in client.get(programme.get_absolute_url()).content.decode()


def test_deleting_or_unpublishing_a_programme_removes_it_at_once(client):
    programme = make_programme(title="Soon gone")
    assert "Soon gone" in client.get("/programmes/").content.decode()

    Programme.objects.filter(pk=programme.pk).get().delete()

    assert "Soon gone" not in client.get("/programmes/").content.decode()
    assert client.get(programme.get_absolute_url()).status_code == 404


def test_load_directory_invalidates_the_cache(client):
    assert client.get("/programmes/").context["count"] == 0  # rendered, and now cached
    call_command("load_directory", verbosity=0)

    html = client.get("/programmes/").content.decode()

    first = Programme.objects.published().order_by("pk").first()
    assert first is not None
    assert first.get_absolute_url() in html


def test_staff_with_a_session_always_see_the_live_page(admin_client):
    programme = make_programme()

    admin_client.get(programme.get_absolute_url())
    response = admin_client.get(programme.get_absolute_url())

    assert "X-Page-Cache" not in response


def test_error_pages_and_exports_are_never_cached(client):
    assert "X-Page-Cache" not in client.get("/programmes/no-such-thing/")
    assert "X-Page-Cache" not in client.get("/programmes.csv")
    assert "X-Page-Cache" not in client.get("/healthz")


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server")
def test_with_redis_url_the_page_cache_is_shared_through_redis(tmp_path):
    server = shutil.which("redis-server")
    assert server is not None
    port = free_port()
    redis = subprocess.Popen(  # noqa: S603
        [server, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "from programs.caching.generation import generation, bump_generation; "
        "from django.core.cache import caches; print(type(caches['default']).__name__); before = generation(); bump_generation(); "
        "print(before != generation())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "internships.test_settings",
        "REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
    finally:
        redis.terminate()
        redis.wait(timeout=10)

    assert result.stdout.split() == ["FailSoftRedisCache", "True"], result.stderr


def test_a_page_that_reads_its_parameters_is_cached_per_query_string(client):
    make_programme(slug="one", title="Alpha")
    make_programme(slug="two", title="Beta")

    assert "Beta" not in client.get("/programmes/", {"q": "alpha"}).content.decode()
    assert "Alpha" not in client.get("/programmes/", {"q": "beta"}).content.decode()


def test_pages_that_ignore_parameters_share_one_entry_so_parameters_cannot_bypass_it(client):
    client.get("/guides/")

    assert client.get("/guides/?nocache=123")["X-Page-Cache"] == "hit"


def test_a_cache_hit_carries_every_security_header(client):
    client.get("/guides/")

    hit = client.get("/guides/")

    assert hit["X-Page-Cache"] == "hit"
    for header in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "Cross-Origin-Resource-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert header in hit, header


def test_the_decision_tools_are_cached_per_query_string_and_refreshed_by_a_change(client):
    first, second = make_programme(title="First place"), make_programme(title="Second place")
    compare = f"/compare/?p={first.slug}&p={second.slug}"
    pages = [compare, "/eligibility/?study=&age=20", "/deadlines/"]
    for url in pages:
        assert client.get(url)["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert client.get(f"/compare/?p={first.slug}")["X-Page-Cache"] == "miss"

    first.title = "Renamed place"
    first.save()

    response = client.get(compare)
    assert response["X-Page-Cache"] == "miss"
    assert "Renamed place" in response.content.decode()
