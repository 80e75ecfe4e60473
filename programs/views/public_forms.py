"""What every public form's view shares (the forms' own base is programs/core/forms.py).

    @public_form
    def my_view(request): ...                        # may answer POST; never cached
    if flooding(request, "alerts", 5): ...           # first: answer refused() (cheap)
    if over_limit(request, "alerts", "5/h"): ...     # before reading the form: too_many()
    if count(request, "alerts", "5/h"): too_many()   # when about to store one; else store it

- **POST allowed, nothing cached**: `public_form` marks the view for
  `ReadOnlyPublicPagesMiddleware` (every other public page answers GET and HEAD only) and adds
  `never_cache`: its pages carry a CSRF token (and set the CSRF cookie), so neither the page cache
  (programs/caching/pages.py keys only `@cached_page` views) nor nginx (it keeps nothing marked
  `private, no-store`, or that sets a cookie) may keep them for another visitor.
- **Per-address limits** (django-ratelimit, counted in the shared cache, so every worker sees one
  count): `over_limit()` reads the count without adding to it, `count()` adds the submission about
  to be stored and says whether it is one too many (the cache's atomic increment decides, so
  parallel posts cannot slip past), so fixing a form's mistakes costs nothing. `too_many()`
  answers 429 with the form as the visitor filled it and when to try again.
- **Floods**: `flooding()` counts every post; past FLOOD_FACTOR times the limit in an hour, an
  address gets `refused()`, a short 429 that renders no page (nobody types that much by hand,
  and nginx's own per-address limit normally stops a flood before the app sees it).
- **Body size**: bodies from visitors who are not signed in are capped by
  `SmallAnonymousBodiesMiddleware` (ANONYMOUS_MAX_BODY_BYTES, 16 KB) and nginx.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django_ratelimit.core import get_usage

ACCEPTS_POSTS = "accepts_public_posts"


def public_form[V: Callable[..., HttpResponse]](view: V) -> V:
    wrapped = never_cache(view)
    setattr(wrapped, ACCEPTS_POSTS, True)
    return wraps(view)(wrapped)  # type: ignore[return-value]


def client_address(request: HttpRequest) -> str:
    """The visitor's address: behind nginx (DJANGO_PROXY_COUNT=1), the one nginx writes into
    X-Forwarded-For (it replaces whatever the client sent); else the connection's own."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.AXES_IPWARE_PROXY_COUNT and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104 (a key, not a bind)


def _usage(request: HttpRequest, group: str, rate: str, increment: bool) -> dict | None:
    return get_usage(request, group=group, key="ip", rate=rate, method="POST", increment=increment)


def over_limit(request: HttpRequest, group: str, rate: str) -> bool:
    usage = _usage(request, group, rate, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count(request: HttpRequest, group: str, rate: str) -> bool:
    """Count one submission about to be stored; True when it is over the limit (store nothing)."""
    usage = _usage(request, group, rate, increment=True)
    return usage is not None and usage["should_limit"]


FLOOD_FACTOR = 4


def flooding(request: HttpRequest, group: str, per_hour: int) -> bool:
    """Count this post; True past FLOOD_FACTOR × per_hour posts from the address in the hour."""
    usage = _usage(request, f"{group}-posts", f"{per_hour * FLOOD_FACTOR}/h", increment=True)
    return usage is not None and usage["should_limit"]


def refused(minutes: int = 60) -> HttpResponse:
    response = HttpResponse(
        "Too many requests from your address. Please wait, then send the form again.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(minutes * 60)
    return response


def minutes_left(request: HttpRequest, group: str, rate: str) -> int:
    usage = _usage(request, group, rate, increment=False)
    seconds = usage["time_left"] if usage else 60
    return max(1, -(-seconds // 60))


def too_many(
    request: HttpRequest, template: str, context: dict, group: str, rate: str
) -> HttpResponse:
    """429 with the form as filled in, and when the visitor may send it."""
    minutes = minutes_left(request, group, rate)
    response = render(request, template, {**context, "limited_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
