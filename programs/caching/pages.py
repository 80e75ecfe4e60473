"""Whole-page caching for anonymous readers, invalidated by any change to the directory.

Every cached page's key includes the data's generation (programs/caching/generation.py), so any
change to the directory makes the next request miss and render fresh data; old entries expire.
The cache is per process (LocMem) by default and shared (Redis) when REDIS_URL is set, so every
gunicorn worker and container sees the same generation.

Keys are canonical: scheme, host, path and only the query parameters the view declares
(`@cached_page(...)`), so random parameters cannot bust the cache or fill it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve

from programs.caching.generation import generation
from programs.core import clock

# Views we do not write ourselves, and the query parameters each reads.
OTHER_CACHED_VIEWS: dict[str, frozenset[str]] = {
    "programs:feed": frozenset(),
    "sitemap": frozenset(),
    "sitemap-section": frozenset({"p"}),
}
# A canonical query string longer than this is served uncached (a page of 20 filters is ~600).
MAX_CANONICAL_QUERY = 2000


def cached_page[V: Callable](*parameters: str) -> Callable[[V], V]:
    """Mark a view whose anonymous GETs are cached, keyed by these query parameters only.

    The view then sees only these parameters (others are dropped before it runs), so a request
    with `?utm_source=…` or `?zz=<random>` is the same page as without it: it is served from the
    same entry and stores no new one, and the page's own links never carry them."""

    def mark(view: V) -> V:
        view.page_parameters = frozenset(parameters)  # type: ignore[attr-defined]
        return view

    return mark


def page_parameters(request: HttpRequest) -> frozenset[str] | None:
    """The query parameters of the cached page this request is for, else None (not cached)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None  # staff (or anyone with a session or a flash message) sees the live page
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    known = getattr(match.func, "page_parameters", None)
    return known if known is not None else OTHER_CACHED_VIEWS.get(match.view_name)


def canonical_query(query: QueryDict, known: frozenset[str]) -> QueryDict:
    """The known parameters in a fixed order, each with its values in the order given."""
    kept = QueryDict(mutable=True)
    for name in sorted(known):
        values = query.getlist(name)
        if values:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


def page_key(request: HttpRequest, query: QueryDict) -> str:
    """Scheme, host (validated against ALLOWED_HOSTS by get_host) and port, path and the canonical
    query: a page's absolute links and og:url are right for every visitor it is served to.
    Pages show deadline states ("open now") that change at midnight, so the day is part of the
    key as well as the data's generation."""
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query.urlencode()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pages:{generation()}:{clock.today().isoformat()}:{digest}"


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
        known = page_parameters(request)
        if known is None:
            return self.get_response(request)
        query = canonical_query(request.GET, known)
        if len(query.urlencode()) > MAX_CANONICAL_QUERY:
            return self.get_response(request)
        # The view reads exactly what the key holds.
        request.GET = query  # type: ignore[assignment]  # a QueryDict like the one Django built
        request.META["QUERY_STRING"] = query.urlencode()
        key = page_key(request, query)  # raises DisallowedHost (400) before any lookup
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
