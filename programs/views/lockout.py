"""The page django-axes shows after too many wrong passwords: the site's design, and when to retry."""

from __future__ import annotations

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def locked_out(request: HttpRequest, credentials: dict | None, *args, **kwargs) -> HttpResponse:
    cool_off = get_cool_off(request)
    now = timezone.localtime()
    retry_at = now + cool_off if cool_off else None
    ctx = {
        "failure_limit": get_failure_limit(request, credentials),
        "retry_at": retry_at,
        "wait": timeuntil(retry_at, now) if retry_at else "",
    }
    return render(
        request, "registration/locked_out.html", ctx, status=settings.AXES_HTTP_RESPONSE_CODE
    )
