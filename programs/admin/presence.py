"""Who else has a record's change form open (the idea of Wagtail's concurrent-editing
notifications): the form says it when it is rendered, with no script; a small static script
(static/js/editing_presence.js) pings while the form is open, refreshes that list, says when the
record was saved by someone else meanwhile, and says goodbye when the page is left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from programs.models import EditingSession

from .edit_state import TOKEN, Loaded

PING_SECONDS = 30
FRAGMENT = "admin/programs/editing_presence.html#list"


@dataclass(frozen=True)
class Editor:
    name: str
    opened_at: datetime
    last_seen: datetime


@dataclass(frozen=True)
class Presence:
    others: tuple[Editor, ...]
    ping_url: str
    ping_seconds: int
    saved_since: bool = False  # the record has a newer version than the form was loaded with


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class EditingPresenceMixin(admin.ModelAdmin):
    """For a ModelAdmin: its change form lists who else has the record open."""

    def get_urls(self) -> list:
        return [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name=self._presence_url_name(),
            ),
            *super().get_urls(),
        ]

    def _presence_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_presence"

    def presence(self, request: HttpRequest, obj: Any, saved_since: bool = False) -> Presence:
        return Presence(
            others=tuple(
                Editor(_name(s.user), s.opened_at, s.last_seen)
                for s in EditingSession.objects.open(request.user, obj, timezone.now())
            ),
            ping_url=reverse(f"admin:{self._presence_url_name()}", args=[obj.pk]),
            ping_seconds=getattr(settings, "EDITING_PRESENCE_PING_SECONDS", PING_SECONDS),
            saved_since=saved_since,
        )

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None:
            context["presence"] = self.presence(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def presence_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """POST from the form's script: still here (answers the refreshed list), or gone."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such record.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.POST.get("gone"):
            EditingSession.objects.close(request.user, obj)
            return HttpResponse(status=204)
        loaded = Loaded.loads(request.POST.get(TOKEN))
        version = getattr(obj, "version", None)
        saved_since = (
            loaded is not None
            and None not in (version, loaded.version)
            and (version != loaded.version)
        )
        return TemplateResponse(
            request, FRAGMENT, {"presence": self.presence(request, obj, saved_since)}
        )
