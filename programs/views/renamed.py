"""A programme whose slug changed keeps its old addresses: they answer 301 to the new ones."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from programs.models import Programme

SlugView = Callable[..., HttpResponse]


def follow_renamed_slug(view: SlugView) -> SlugView:
    """Wrap a view taking `slug`: when it finds no programme, redirect from a former slug."""

    @wraps(view)
    def with_redirect(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        try:
            return view(request, slug=slug, **kwargs)
        except Http404:
            # Only on a miss, so found pages keep their one named query.
            new_slug = Programme.objects.published().renamed_from(slug)
            if new_slug is None:
                raise
        match = request.resolver_match
        if match is None:  # only a view reached through the URLconf is wrapped
            raise Http404
        url = reverse(match.view_name, kwargs={**kwargs, "slug": new_slug})
        query = request.GET.urlencode()
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

    return with_redirect
