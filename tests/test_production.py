"""Production settings and headers: check --deploy passes, headers score well, public pages only
read, /healthz tells the truth about the database."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware

from deploy.stack import free_port

ROOT = Path(__file__).resolve().parents[1]
# The production environment README documents (with a throwaway secret).
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3y-for-the-deploy-check-only-8d1f0c7a9b2e4f6a1c3e5d7f9a0b2c4d6e8f",
    "DJANGO_ALLOWED_HOSTS": "internships.example.org,127.0.0.1",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://internships.example.org",
}


def run(code_or_args: list[str], env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_deploy_check_passes_with_the_documented_production_environment():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_passes_behind_a_proxy_that_redirects_to_https():
    env = {**PRODUCTION_ENV, "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_PROXY_COUNT": "1"}

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr


def test_static_files_carry_the_same_security_headers_as_pages(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "site.css").write_text("body {}")
    handler = WhiteNoiseMiddleware(lambda request: None)

    response = handler(RequestFactory().get(f"/{settings.STATIC_URL}site.css".replace("//", "/")))

    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_production_cookies_are_host_only_secure_http_only_and_same_site():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)"
    )
    env = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "internships.settings"}
    result = run(["-c", code], env)

    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "31536000",
        "True",
        "False",
    ], result.stderr


def test_a_bad_cache_timeout_is_an_error_not_a_guess():
    result = run(["manage.py", "check"], {**PRODUCTION_ENV, "DJANGO_PAGE_CACHE_SECONDS": "soon"})

    assert result.returncode != 0
    assert "DJANGO_PAGE_CACHE_SECONDS" in result.stderr


@pytest.mark.django_db
def test_every_public_page_sends_the_security_headers(client):
    response = client.get("/")

    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("url", ["/", "/programmes/", "/guides/", "/programmes.csv", "/healthz"])
def test_public_pages_answer_only_get_and_head(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.head(url).status_code == 200


def test_the_admin_still_takes_a_post_behind_login_and_csrf(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})

    assert response.status_code == 403  # no CSRF token: refused before any login attempt


def test_no_template_has_inline_script_or_style():
    for template in (ROOT / "templates").rglob("*.html"):
        html = template.read_text()
        assert "style=" not in html, template
        assert "<style" not in html, template
        inline = [
            tag
            for tag in re.findall(r"<script[^>]*>", html)
            if "src=" not in tag and tag != '<script type="application/ld+json">'
        ]
        assert inline == [], template


@pytest.mark.django_db
def test_healthz_answers_ok_with_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "local"}


@pytest.mark.parametrize(
    "database_url",
    ["postgres://postgres@127.0.0.1:1/nowhere", "sqlite:////nonexistent-dir/for/sure/db.sqlite3"],
)
def test_healthz_answers_503_when_the_database_is_unreachable(database_url):
    code = (
        "import django; django.setup(); from django.test import Client; "
        "print(Client().get('/healthz', HTTP_HOST='127.0.0.1').status_code)"
    )
    env = {
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "internships.test_settings",
        "DATABASE_URL": database_url,
        "DJANGO_DB_POOL_TIMEOUT": "1",
    }
    result = run(["-c", code], env)

    assert result.stdout.strip() == "503", result.stderr


def test_gunicorn_does_not_announce_itself(tmp_path):
    port = free_port()  # parallel workers and other checkouts never share a fixed port
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "internships.test_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PORT": str(port),
        "GUNICORN_HEALTH_BIND": f"127.0.0.1:{free_port()}",  # not the default 8001
        "WEB_CONCURRENCY": "1",
    }
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                    conn.sendall(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    reply = conn.recv(4096).decode()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert reply.startswith("HTTP/1.0 200")
    assert "server:" not in reply.lower()
