"""Every page type carries no inline script or style, so a strict CSP can forbid them."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

PAGES = [
    "/",
    "/programmes/",
    "/programmes/?region=europe&type=not-a-type",
    "/programmes/uclh-hospital-shadowing-elective/",
    "/destinations/",
    "/destinations/europe/",
    "/guides/",
    "/guides/timeline/",
    "/guides/faq/",
    "/programmes/no-such-programme/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_inline_scripts_styles_or_handlers(client, seeded, path):
    response = client.get(path)
    assert response.status_code == (404 if "no-such" in path else 200)
    html = response.content.decode()

    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"<style[\s>]", html)
    assert not re.search(r"\son[a-z]+=", html)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag


def test_the_script_is_small_and_optional(client, seeded):
    html = client.get("/programmes/").content.decode()
    assert '<script src="/static/js/filters.js" defer></script>' in html
    assert 'id="filters-auto" hidden>' in html  # the auto-submit note shows only when it applies
    script = finders.find("js/filters.js")
    assert script is not None
    assert Path(script).stat().st_size <= 5 * 1024


def test_the_not_found_page_is_ours_and_offers_ways_on(client, seeded):
    response = client.get("/guides/no-such-topic/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'href="/programmes/"' in html
    assert '<a class="skip-link" href="#main">' in html
