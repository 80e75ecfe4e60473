"""Whole-page caching for anonymous readers, invalidated by any change to the directory.

Every cached page's key includes the data's generation (programs/caching/generation.py), so any
change to the directory makes the next request miss and render fresh data; old entries expire.
The cache is per process (LocMem) by default and shared (Redis) when REDIS_URL is set, so every
gunicorn worker and container sees the same generation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from programs.caching.generation import generation
from programs.core import clock

# URL names (in the `programs` namespace and at the root) whose anonymous GETs are cached.
CACHED_VIEWS = {
    "programs:home",
    "programs:list",
    "programs:detail",
    "programs:destinations",
    "programs:region",
    "programs:guides",
    "programs:guide",
    "programs:compare",
    "programs:eligibility",
    "programs:deadlines",
    "programs:feed",
    "sitemap",
    "sitemap-section",
}
# Pages that never read their query string, keyed by path alone so random parameters can't be
# used to bypass the cache. Every other page is keyed by its full URL: safe by default when a
# view starts reading parameters (the detail page will, for a student's profile).
PATH_ONLY_VIEWS = {
    "programs:home",
    "programs:destinations",
    "programs:region",
    "programs:guides",
    "programs:guide",
    "programs:feed",
}


def page_key(request: HttpRequest, view_name: str) -> str:
    """Pages show deadline states ("open now") that change at midnight, so the day is part of
    the key as well as the data's generation."""
    url = request.path if view_name in PATH_ONLY_VIEWS else request.get_full_path()
    path = hashlib.sha256(url.encode()).hexdigest()
    return f"pages:{generation()}:{clock.today().isoformat()}:{path}"


def _cached_view_name(request: HttpRequest) -> str | None:
    """The URL name of a page this request may be served from the cache for, else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None  # staff (or anyone with a session or a flash message) sees the live page
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name if match.view_name in CACHED_VIEWS else None


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)  # a nonce must differ on every response
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    """Placed right after WhiteNoise: a hit skips every inner layer (session, CSRF, auth, the view
    and the database). A miss stores the response as the inner layers finished it, with their
    headers (CSP, X-Frame-Options, CORP, Permissions-Policy), and never one that sets a cookie
    (a CSRF token, a session) or carries a CSP nonce. SecurityMiddleware, outermost, adds HSTS and
    nosniff to hits and misses alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view_name = _cached_view_name(request)
        if view_name is None:
            return self.get_response(request)
        key = page_key(request, view_name)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            headers = [(k, v) for k, v in response.headers.items() if k != "X-Page-Cache"]
            cache.set(
                key,
                (response.status_code, headers, response.content),
                settings.PAGE_CACHE_SECONDS,
            )
            response.headers["X-Page-Cache"] = "miss"
        return response
