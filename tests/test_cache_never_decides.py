"""The shared cache accelerates and never decides: with a real Redis stopped or hung, pages are
served uncached, admin saves succeed, /healthz reports it; and the page cache's keys are canonical
(scheme, host, path and the view's own parameters)."""

import os
import shutil
import signal
import subprocess
import time

import pytest
import redis as redis_client
from django.core.cache import cache

from deploy.stack import free_port
from programs.caching.generation import GENERATION_KEY
from programs.models import Programme
from tests.factories import make_programme
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(settings):
    """A private redis-server on a free loopback port, as the shared cache; stopped by its pid."""
    REDIS_PORT = free_port()
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (make services)")
    process = subprocess.Popen(  # noqa: S603
        [
            shutil.which("redis-server"),
            *f"--port {REDIS_PORT} --appendonly no".split(),
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
    )
    ready = redis_client.Redis(port=REDIS_PORT, socket_timeout=1)
    for _ in range(200):  # up to ~10 s on a busy machine: answering PING, not just listening
        try:
            if ready.ping():
                break
        except redis_client.RedisError:
            time.sleep(0.05)
    settings.CACHES = {
        "default": {
            "BACKEND": "internships.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{REDIS_PORT}/0",
            # Short enough to prove a hung Redis costs little, long enough that a busy CI machine
            # never trips the breaker while Redis is up.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    settings.REDIS_RETRY_SECONDS = 5
    yield process
    if process.poll() is None:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
    process.wait(timeout=10)


def timed(client, url, **extra):
    started = time.monotonic()
    response = client.get(url, **extra)
    return response, time.monotonic() - started


def test_with_redis_up_pages_are_cached_and_healthz_says_ok(client, redis):
    programme = make_programme()
    client.get(programme.get_absolute_url())

    assert client.get(programme.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.parametrize("fault", ["stopped", "hung"])
def test_with_redis_down_pages_are_served_uncached_and_healthz_is_degraded_but_200(
    client, redis, fault
):
    programme = make_programme(title="Still served")
    client.get(programme.get_absolute_url())
    if fault == "stopped":
        redis.terminate()
        redis.wait(timeout=10)
    else:
        os.kill(redis.pid, signal.SIGSTOP)

    health, health_seconds = timed(client, "/healthz")
    pages = [timed(client, programme.get_absolute_url()) for _ in range(5)]

    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}
    print(f"Redis {fault}: /healthz {health_seconds:.2f} s, pages", [f"{s:.2f}" for _, s in pages])
    for response, _ in pages:
        assert response.status_code == 200
        assert "Still served" in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"


@pytest.mark.parametrize("fault", ["stopped", "hung"])
def test_with_redis_down_an_admin_save_succeeds(client, staff, redis, fault):
    client.force_login(staff)
    programme = make_programme(title="Before")
    url = admin_url("programme", "change", programme.pk)
    data = change_form_post(client.get(url))
    if fault == "stopped":
        redis.terminate()
        redis.wait(timeout=10)
    else:
        os.kill(redis.pid, signal.SIGSTOP)
    data["title"] = "After"

    response = client.post(url, data)

    assert response.status_code == 302
    assert Programme.objects.get(pk=programme.pk).title == "After"


def test_after_redis_comes_back_a_change_is_seen_at_once(client, redis, settings):
    settings.REDIS_RETRY_SECONDS = 0
    programme = make_programme(title="Old title")
    client.get(programme.get_absolute_url())
    os.kill(redis.pid, signal.SIGSTOP)
    programme.title = "New title"
    programme.save()  # the generation bump is lost while Redis hangs
    os.kill(redis.pid, signal.SIGCONT)
    cache.delete(GENERATION_KEY)  # what an operator's restart of Redis does: it starts empty

    assert "New title" in client.get(programme.get_absolute_url()).content.decode()


def test_an_unknown_parameter_is_served_from_the_same_entry_and_stores_nothing(client):
    client.get("/programmes/?country=ke")

    response = client.get("/programmes/?zz=random-1&country=ke")

    assert response["X-Page-Cache"] == "hit"
    assert "zz=" not in response.content.decode()


def test_known_parameters_in_another_order_share_one_entry(client):
    client.get("/programmes/?country=ke&pay=unpaid")

    assert client.get("/programmes/?pay=unpaid&country=ke")["X-Page-Cache"] == "hit"


def test_a_page_cached_for_one_port_is_not_served_for_another(client):
    programme = make_programme()
    url = programme.get_absolute_url()
    client.get(url, HTTP_HOST="localhost:8443")

    response = client.get(url, HTTP_HOST="localhost")

    assert response["X-Page-Cache"] == "miss"
    assert 'content="http://localhost/programmes/' in response.content.decode()


def test_a_disallowed_host_gets_400_even_when_the_page_is_cached(client):
    client.get("/guides/")

    assert client.get("/guides/", HTTP_HOST="evil.example").status_code == 400


def test_the_scheme_is_part_of_the_key(client):
    client.get("/guides/")

    assert client.get("/guides/", secure=True)["X-Page-Cache"] == "miss"


def test_an_edit_made_while_redis_hung_is_seen_at_once_when_it_resumes(client, redis, settings):
    settings.REDIS_RETRY_SECONDS = 1
    programme = make_programme(title="Old title")
    for url in (programme.get_absolute_url(), "/programmes/"):
        client.get(url)
    os.kill(redis.pid, signal.SIGSTOP)
    client.get("/programmes/")  # finds Redis hung: the process leaves it alone for a second
    programme.title = "New title"
    programme.save()  # its versions cannot be replaced now
    os.kill(redis.pid, signal.SIGCONT)
    time.sleep(1.2)

    for url in (programme.get_absolute_url(), "/programmes/"):
        html = client.get(url).content.decode()
        assert "New title" in html, url
        assert "Old title" not in html, url
