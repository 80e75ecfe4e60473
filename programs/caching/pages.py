"""Whole-page caching for anonymous readers, invalidated by what an edit touched.

Keys are canonical: scheme, host, path and only the query parameters the view declares
(`@cached_page(...)`), so random parameters cannot bust the cache or fill it. Each entry holds
the versions it was rendered under (programs/caching/generation.py) and its body gzipped once; a
hit reads the entry and the current versions in one `get_many` (one round trip to Redis), and
serves the gzipped body as is to clients that accept it.

- A programme's own page whose version moved is rendered again on the next request (an edit is
  visible at once), never served stale: concurrent requests wait for that render and are released
  as soon as it is stored, or as soon as it ends without storing (an archived programme's 404).
- Any other page whose versions moved is rendered again by one request while the others keep
  getting the previous copy (`X-Page-Cache: stale`) for at most PAGE_LOCK_SECONDS.
- A page with no entry at all is rendered by one request; concurrent requests for it wait up to
  PAGE_LOCK_SECONDS for that render instead of rendering it too (no stampede).

Responses served from here carry `X-Accel-Expires: NGINX_MICROCACHE_SECONDS`: the reverse proxy
(deploy/nginx.conf) may keep them that long, and nothing else (see the README's caching layers).
So do this URL's other answers to anonymous visitors (a 404 once a programme is archived or
deleted, a redirect once it is renamed, a page rendered while the cache is down): each replaces
nginx's copy of the page that was there, which nginx would otherwise keep serving stale.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, get_resolver, resolve
from django.utils.cache import patch_vary_headers

from programs.caching.generation import (
    GENERATION_KEY,
    LISTING_KEY,
    current,
    programme_key,
    replay_lost,
)
from programs.core import clock

# Views we do not write ourselves, and the query parameters each reads.
OTHER_CACHED_VIEWS: dict[str, frozenset[str]] = {
    "sitemap": frozenset(),
    "sitemap-section": frozenset({"p"}),
}
# A canonical query string longer than this is served uncached (a page of 20 filters is ~600).
MAX_CANONICAL_QUERY = 2000


def cached_page[V: Callable](
    *parameters: str, programme: str = "", shows_programmes: bool = True
) -> Callable[[V], V]:
    """Mark a view whose anonymous GETs are cached, keyed by these query parameters only.

    The view then sees only these parameters (others are dropped before it runs), so a request
    with `?utm_source=…` or `?zz=<random>` is the same page as without it: it is served from the
    same entry and stores no new one, and the page's own links never carry them.

    `programme` names the URL argument holding the slug of the programme the page is about: that
    programme's version then decides the page's freshness instead of the listing's, and the page
    is never served stale. A page that `shows_programmes=False` depends on the site's version
    alone: edits to programmes leave it cached."""

    def mark(view: V) -> V:
        view.page_parameters = frozenset(parameters)  # type: ignore[attr-defined]
        view.page_programme = programme  # type: ignore[attr-defined]
        view.page_shows_programmes = shows_programmes  # type: ignore[attr-defined]
        return view

    return mark


@dataclass(frozen=True)
class PageSpec:
    """What the page cache needs to know about a request's page: the query parameters it reads,
    the version keys that decide its freshness, and whether a previous copy may be served while
    one request renders the new one (never for a programme's own page)."""

    known: frozenset[str]
    scope: list[str]
    may_serve_stale: bool


def page_parameters(request: HttpRequest) -> PageSpec | None:
    """The cached page this request is for, else None (not cached)."""
    if request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None  # staff (or anyone with a session or a flash message) sees the live page
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    known = getattr(match.func, "page_parameters", None)
    if known is None:
        known = OTHER_CACHED_VIEWS.get(match.view_name)
    if known is None:
        return None
    argument = getattr(match.func, "page_programme", "")
    if argument:
        return PageSpec(known, [GENERATION_KEY, programme_key(match.kwargs[argument])], False)
    if not getattr(match.func, "page_shows_programmes", True):
        return PageSpec(known, [GENERATION_KEY], True)
    return PageSpec(known, [GENERATION_KEY, LISTING_KEY], True)


def all_page_parameters() -> frozenset[str]:
    """Every query parameter some cached page reads (deploy/nginx.conf lists the same)."""
    names: set[str] = set().union(*OTHER_CACHED_VIEWS.values())
    pending = list(get_resolver().url_patterns)
    while pending:
        pattern = pending.pop()
        if hasattr(pattern, "url_patterns"):
            pending.extend(pattern.url_patterns)
        else:
            names.update(getattr(pattern.callback, "page_parameters", ()))
    return frozenset(names)


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
    key (the data's versions are in the entry)."""
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query.urlencode()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"pages:{clock.today().isoformat()}:{digest}"


# What nginx may keep besides a page from this cache: a refusal or a redirect must replace nginx's
# copy of the page that was there before. nginx keeps its previous copy when an answer is not
# marked for it, and serves that copy (stale, while it updates) for as long as it is asked for.
PROXY_REPLACES = frozenset({200, 301, 302, 307, 308, 404, 410})


def _shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """The same for every anonymous visitor: no cookie, no CSP nonce, nothing private."""
    return (
        request.method == "GET"
        and response.status_code in PROXY_REPLACES
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "_csp_nonce", None)  # a nonce must differ on every response
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _for_proxy(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let nginx keep this answer NGINX_MICROCACHE_SECONDS, replacing what it held for the URL."""
    if _shareable(request, response):
        patch_vary_headers(response, ["Accept-Encoding"])  # as hits do, for nginx's copies
        response.headers["X-Accel-Expires"] = str(settings.NGINX_MICROCACHE_SECONDS)
    return response


type Entry = tuple[dict[str, str], int, list[tuple[str, str]], bytes]


def _replay(request: HttpRequest, entry: Entry, state: str) -> HttpResponse:
    _stamp, status, headers, body = entry
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(body, status=status)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), status=status)
    for name, value in headers:
        response.headers[name] = value
    patch_vary_headers(response, ["Accept-Encoding"])
    response.headers["Content-Length"] = str(len(response.content))
    response.headers["X-Page-Cache"] = state
    response.headers["X-Accel-Expires"] = str(settings.NGINX_MICROCACHE_SECONDS)
    return response


class AnonymousPageCacheMiddleware:
    """Placed right after WhiteNoise: a hit skips every inner layer (session, CSRF, auth, the view
    and the database). A miss stores the response as the inner layers finished it, with their
    headers (CSP, X-Frame-Options, CORP, Permissions-Policy), and never one that sets a cookie
    (a CSRF token, a session) or carries a CSP nonce. SecurityMiddleware, outermost, adds HSTS and
    nosniff to hits and misses alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        replay_lost()  # an edit made while Redis was down or hung: its versions, now
        spec = page_parameters(request)
        if spec is None:
            return self.get_response(request)
        query = canonical_query(request.GET, spec.known)
        if len(query.urlencode()) > MAX_CANONICAL_QUERY:
            return self.get_response(request)
        # The view reads exactly what the key holds.
        request.GET = query  # type: ignore[assignment]  # a QueryDict like the one Django built
        request.META["QUERY_STRING"] = query.urlencode()
        key = page_key(request, query)  # raises DisallowedHost (400) before any lookup
        found = cache.get_many([key, *spec.scope])  # the one round trip of a hit
        entry: Entry | None = found.pop(key, None)
        stamp = found if len(found) == len(spec.scope) else current(spec.scope)
        if stamp is None:  # the cache is down: render, store nothing (nginx may keep it 1 s)
            return _for_proxy(request, self.get_response(request))
        if entry is not None and entry[0] == stamp:
            return _replay(request, entry, "hit")
        lock = f"{key}:rendering"
        rendering_here = cache.add(lock, 1, settings.PAGE_LOCK_SECONDS)
        if not rendering_here:
            if entry is not None and spec.may_serve_stale:
                return _replay(request, entry, "stale")  # one request is rendering the new one
            waited = self._wait_for(key, lock, stamp)
            if waited is not None:
                return _replay(request, waited, "hit")
        try:
            return self._render_and_store(request, key, stamp)
        finally:
            if rendering_here:
                cache.delete(lock)

    def _wait_for(self, key: str, lock: str, stamp: dict[str, str]) -> Entry | None:
        """The entry another request is rendering, as soon as it is stored; None at once when
        that request ended without storing one (a 404, a page that set a cookie), or after
        PAGE_LOCK_SECONDS."""
        deadline = time.monotonic() + settings.PAGE_LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.01)
            found = cache.get_many([key, lock])
            entry = found.get(key)
            if entry is not None and entry[0] == stamp:
                return entry
            if lock not in found:
                return None
        return None

    def _render_and_store(
        self, request: HttpRequest, key: str, stamp: dict[str, str]
    ) -> HttpResponse:
        response = self.get_response(request)
        if _shareable(request, response) and response.status_code == 200:
            skip = {"x-page-cache", "content-length", "vary"}
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in skip]
            vary = response.get("Vary")
            if vary:
                headers.append(("Vary", vary))
            body = gzip.compress(response.content, compresslevel=6)
            cache.set(
                key, (stamp, response.status_code, headers, body), settings.PAGE_CACHE_SECONDS
            )
            response.headers["X-Page-Cache"] = "miss"
        return _for_proxy(request, response)
