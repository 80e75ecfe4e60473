"""Refuse a save made from a stale change form, whichever part of the record went stale.

Two advisers open the same record; the first saves; the second's form still holds what it
loaded. Every change form therefore carries a signed digest of the record's fields and of each
inline row as loaded (`edit_state.Loaded`, in a hidden input). On save, under a lock on the
record's row (so a restore or another save of it waits, and this save reads what they wrote),
anything the other adviser changed, added or removed since is found, part by part
(`stale_merge`): the save is refused, the page shows per field and per row what each adviser
changed and what is stored now, and the form now holds her changes to everything this adviser did
not touch. Saving again is then a deliberate choice that loses nothing of hers.

Any ModelAdmin gets this with `StaleFormGuardMixin` (DirectoryAdmin has it); a programme's admin
holds its lock through the write path (`programs/catalogue/writing.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.http import HttpRequest
from django.utils import timezone

from programs.catalogue.writing import lock_row

from .edit_state import TOKEN, Loaded
from .inline_history import parent_key
from .stale_merge import Refusal, stale_refusal

REFUSAL = "_directory_stale_refusal"


def refusal_message(editors: list[str]) -> str:
    who = ", ".join(editors) if editors else "someone else"
    return (
        f"Saved by {who} after you opened this page, so your changes were not saved yet. Below: "
        "what each of you changed and what is stored now. Their changes to what you did not "
        "touch are now in the form; where you both changed the same thing, the form keeps "
        "yours. Check, then save again."
    )


class RefusedForm(forms.ModelForm):
    """The change form shown after a refused save: it never validates, so nothing is written."""

    stale_message = ""

    def clean(self):
        cleaned = super().clean()
        raise ValidationError(self.stale_message, code="stale_form")
        return cleaned  # pragma: no cover


def editors_since(admin_: Any, obj: Any, since: str) -> list[str]:
    """Who saved the record or one of its inline rows after `since` (from their history)."""
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        return []
    sources = [(type(obj), {"id": obj.pk})]
    for inline in admin_.inlines:
        sources.append((inline.model, {parent_key(type(obj), inline).attname: obj.pk}))
    seen: dict[str, datetime] = {}
    for model, owner in sources:
        history = getattr(model, "history", None)
        if history is None:
            continue
        for row in history.filter(**owner, history_date__gt=moment).select_related("history_user"):
            user = row.history_user
            name = (user.get_full_name() or user.get_username()) if user else "someone"
            seen[name] = max(seen.get(name, row.history_date), row.history_date)
    return [
        f"{name} at {timezone.localtime(when):%H:%M}"
        for name, when in sorted(seen.items(), key=lambda item: item[1])
    ]


class StaleFormGuardMixin(admin.ModelAdmin):
    """For a ModelAdmin: change forms refuse stale saves (see the module's docstring)."""

    @contextmanager
    def locked_for_change(self, request: HttpRequest, pk: Any) -> Iterator[None]:
        """Hold the record's row until the save is done (ProgrammeAdmin: the write path)."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            lock_row(self.model, pk)
            yield

    def changeform_view(
        self, request: HttpRequest, object_id=None, form_url="", extra_context=None
    ):
        if request.method != "POST" or object_id is None or "_saveasnew" in request.POST:
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            return super().changeform_view(request, object_id, form_url, extra_context)
        with self.locked_for_change(request, pk):
            self._refuse_if_stale(request, object_id)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def _refuse_if_stale(self, request: HttpRequest, object_id: str) -> None:
        loaded = Loaded.loads(request.POST.get(TOKEN))
        obj = self.get_object(request, unquote(object_id))
        if loaded is None or obj is None or not self.has_change_permission(request, obj):
            return
        refusal = stale_refusal(self, request, obj, loaded)
        if refusal is not None:
            editors = editors_since(self, obj, loaded.at)
            request.POST = refusal.data
            setattr(request, REFUSAL, (refusal, refusal_message(editors)))

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refused = getattr(request, REFUSAL, None)
        if refused is None:
            return form
        return type(form.__name__, (RefusedForm, form), {"stale_message": refused[1]})

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        if change and obj is not None:
            context.update(self.edit_state_context(request, context))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def edit_state_context(self, request: HttpRequest, context: dict) -> dict:
        refused: tuple[Refusal, str] | None = getattr(request, REFUSAL, None)
        posted = request.POST.get(TOKEN) if request.method == "POST" else None
        if posted and refused is None:
            # A form sent back for a mistake keeps the state it was loaded with: anything saved
            # meanwhile must still be found when it is sent again.
            token = posted
        else:
            formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
            token = Loaded.of(context["adminform"].form, formsets, timezone.now()).dumps()
        return {"edit_state": token, "edit_state_field": TOKEN, "stale_refusal": refused}
