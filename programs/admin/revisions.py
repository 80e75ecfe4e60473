"""A programme's history in admin: its versions (rules, costs and dated deadlines included), a
comparison of any two, restoring one after a preview of every change, and deleted programmes
brought back. The reading and writing is programs/catalogue/revisions.py and restoring.py."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from programs.catalogue import restoring, revisions
from programs.catalogue.restoring import Plan, RestoreRefused
from programs.models import Programme

TEMPLATES = "admin/programs/programme/revisions"
RESTORE_STATUS = "restore_status"
# What the preview was built on (revisions.seen()): a restore from an older preview is refused.
SEEN = "seen"
VERSIONS_PER_PAGE = 50
# A restore may add, change and remove any of a programme's rules, costs and dated deadlines.
CHILD_PERMISSIONS = [
    f"programs.{action}_{model._meta.model_name}"
    for model in revisions.CHILDREN.values()
    for action in ("add", "change", "delete")
]


def _url(name: str, *args: Any) -> str:
    return reverse(f"admin:programs_programme_{name}", args=args)


class ProgrammeRevisionsMixin:
    """For ProgrammeAdmin (a SimpleHistoryAdmin): replaces its history page and revert form."""

    admin_site: Any
    model: type[Programme]

    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("deleted/", view(self.deleted_view), name="programs_programme_deleted"),
            path(
                "deleted/<int:programme_id>/",
                view(self.recover_view),
                name="programs_programme_recover",
            ),
            path(
                "<int:programme_id>/history/compare/",
                view(self.compare_view),
                name="programs_programme_compare",
            ),
            path(
                "<int:programme_id>/history/restore/<str:key>/",
                view(self.restore_view),
                name="programs_programme_restore",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _render(
        self, request: HttpRequest, template: str, context: dict, status: int = 200
    ) -> TemplateResponse:
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            f"{TEMPLATES}/{template}",
            {**self.admin_site.each_context(request), "opts": self.model._meta, **context},
            status=status,
        )

    def _may_restore(self, request: HttpRequest, programme: Programme | None) -> bool:
        allowed = (
            self.has_change_permission(request, programme)  # type: ignore[attr-defined]
            if programme is not None
            else self.has_add_permission(request)  # type: ignore[attr-defined]
        )
        return allowed and request.user.has_perms(CHILD_PERMISSIONS)

    def _programme(self, request: HttpRequest, object_id: str, permission: str) -> Programme:
        try:
            programme = Programme.objects.filter(pk=int(unquote(object_id))).first()
        except ValueError:
            programme = None
        if programme is None:
            raise Http404("No such programme.")
        if not getattr(self, f"has_{permission}_permission")(request, programme):
            raise PermissionDenied
        return programme

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        programme = self._programme(request, object_id, "view")
        versions = revisions.versions(programme.pk)
        page = Paginator(versions[::-1], VERSIONS_PER_PAGE).get_page(request.GET.get("p"))
        rows = [(v, revisions.summary(v)) for v in page]
        return self._render(
            request,
            "history.html",
            {
                "title": f"History of {programme}",
                "original": programme,
                "rows": rows,
                "page": page,
                "default_a": versions[-2].key if len(versions) > 1 else "",
                "default_b": versions[-1].key if versions else "",
                "can_restore": self._may_restore(request, programme),
            },
        )

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ) -> HttpResponse:
        """simple-history's revert form restored plain fields only: send it to the full preview."""
        programme = self._programme(request, object_id, "view")
        key = f"p{version_id}"
        version = next(
            (v for v in revisions.versions(programme.pk) if key in {e.key for e in v.events}),
            None,
        )
        if version is None:
            raise Http404("No such version.")
        return HttpResponseRedirect(_url("restore", programme.pk, version.key))

    def compare_view(self, request: HttpRequest, programme_id: int) -> HttpResponse:
        programme = self._programme(request, str(programme_id), "view")
        versions = {v.key: v for v in revisions.versions(programme.pk)}
        a, b = versions.get(request.GET.get("a", "")), versions.get(request.GET.get("b", ""))
        if a is None or b is None:
            messages.error(request, "Choose two versions from the list to compare.")
            return HttpResponseRedirect(_url("history", programme.pk))
        if b.date < a.date:
            a, b = b, a
        return self._render(
            request,
            "compare.html",
            {
                "title": f"Comparing two versions of {programme}",
                "original": programme,
                "a": a,
                "b": b,
                "comparison": restoring.compare(revisions.state_of(a), revisions.state_of(b)),
            },
        )

    def restore_view(self, request: HttpRequest, programme_id: int, key: str) -> HttpResponse:
        programme = self._programme(request, str(programme_id), "view")
        if not self._may_restore(request, programme):
            raise PermissionDenied
        versions = revisions.versions(programme.pk)
        version = next((v for v in versions if v.key == key), None)
        if version is None:
            raise Http404("No such version.")
        target = revisions.state_of(version)
        if target.programme is None:
            raise Http404("The programme did not exist in that version.")
        return self._confirm(request, programme.pk, target, version)

    def deleted_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        return self._render(
            request,
            "deleted.html",
            {"title": "Deleted programmes", "deleted": revisions.deleted_programmes()},
        )

    def recover_view(self, request: HttpRequest, programme_id: int) -> HttpResponse:
        if not self._may_restore(request, None):
            raise PermissionDenied
        if Programme.objects.filter(pk=programme_id).exists():
            messages.info(request, "That programme is not deleted (it was restored already).")
            return HttpResponseRedirect(_url("change", programme_id))
        target = revisions.state_before_deletion(programme_id)
        if target.programme is None:
            raise Http404("No deleted programme has that number.")
        return self._confirm(request, programme_id, target, None)

    def _confirm(
        self,
        request: HttpRequest,
        programme_id: int,
        target: revisions.State,
        version: revisions.Version | None,
    ) -> HttpResponse:
        """The preview of every change (GET), and the restore once confirmed (POST)."""
        current = revisions.current_state(programme_id)
        plan = Plan(current, target, restore_status=request.POST.get(RESTORE_STATUS) == "on")
        problems = restoring.check(plan)
        if request.method == "POST":
            # Refused unless the programme is still as the preview showed it, checked under the
            # programme's lock, so a save landing meanwhile is never silently undone.
            try:
                restored = restoring.restore(
                    plan, request.user, seen_at_preview=request.POST.get(SEEN, "")
                )
            except RestoreRefused as refused:
                problems = refused.problems
                current = revisions.current_state(programme_id)
                plan = replace(plan, current=current)
            else:
                return self._restored(request, restored, version)
        return self._render(
            request,
            "restore.html",
            {
                "title": f"Restore {target.programme}"
                if version
                else f"Recover {target.programme}",
                "original": current.programme,
                "version": version,
                "plan": plan,
                "comparison": restoring.compare(current, target),
                "problems": problems,
                "newest": revisions.seen(programme_id),
                "restore_status_field": RESTORE_STATUS,
                "seen_field": SEEN,
            },
            status=400 if request.method == "POST" else 200,
        )

    def _restored(
        self, request: HttpRequest, programme: Programme, version: revisions.Version | None
    ) -> HttpResponse:
        what = (
            f"Restored the version of {version.date:%d %B %Y %H:%M}"
            if version
            else "Recovered the deleted programme"
        )
        self.log_change(request, programme, what + ".")  # type: ignore[attr-defined]
        status = programme.get_status_display().lower()
        messages.success(request, f"{what}; “{programme}” is {status}.")
        return HttpResponseRedirect(_url("change", programme.pk))
