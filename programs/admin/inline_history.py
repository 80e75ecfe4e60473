"""A record's history page lists the edits of the rows edited inline on its form too (a region's
notes, a country's cities, a topic's guide items), with who, when and what changed. A
programme's history gathers its rules, costs and dated deadlines in its versions instead
(revisions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

HAPPENED = {"+": "Added", "~": "Changed", "-": "Removed"}
SHOWN_ROWS = 100


@dataclass(frozen=True)
class Edit:
    date: datetime
    user: Any
    what: str
    label: str
    changes: tuple[tuple[str, str, str], ...]  # field, before, after


@dataclass(frozen=True)
class InlineHistory:
    title: str
    edits: tuple[Edit, ...]


def edits_of(model: Any, owner: dict[str, Any]) -> list[Edit]:
    """The history rows of `model` owned by the record, newest first, each with its changes."""
    rows = list(
        model.history.filter(**owner)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    fields = {f.attname: f for f in model._meta.concrete_fields}
    edits = []
    previous: dict[Any, Any] = {}
    for row in rows:
        before = previous.get(row.id)
        changes: tuple[tuple[str, str, str], ...] = ()
        if before is not None and row.history_type == "~":
            delta = row.diff_against(before, foreign_keys_are_objs=False)
            changes = tuple(
                (
                    str(fields[c.field].verbose_name) if c.field in fields else c.field,
                    str(c.old),
                    str(c.new),
                )
                for c in delta.changes
            )
        previous[row.id] = row
        edits.append(
            Edit(
                row.history_date,
                row.history_user,
                HAPPENED.get(row.history_type, ""),
                str(row.instance),
                changes,
            )
        )
    edits.sort(key=lambda edit: edit.date, reverse=True)
    return edits[:SHOWN_ROWS]


def parent_key(parent: type[models.Model], inline: Any) -> models.ForeignKey:
    """The inline's foreign key to the record the form edits."""
    return next(
        f
        for f in inline.model._meta.concrete_fields
        if f.related_model is parent and (inline.fk_name is None or f.name == inline.fk_name)
    )


class InlineHistoryMixin(SimpleHistoryAdmin):
    def get_history_queryset(self, request: HttpRequest, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no fields for a model without foreign keys
        # (a guide topic), which Django deprecates; name the fields, or none.
        rows = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        keys = [
            f.name for f in history_manager.model.tracked_fields if isinstance(f, models.ForeignKey)
        ]
        return rows.select_related(*keys) if keys else rows

    def render_history_view(self, request: HttpRequest, template, context, **kwargs):
        template = "admin/programs/object_history_with_inlines.html"
        return super().render_history_view(request, template, context, **kwargs)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        sections = []
        for inline in self.inlines:
            if not hasattr(inline.model, "history"):
                continue
            fk = parent_key(self.model, inline)
            edits = edits_of(inline.model, {fk.attname: unquote(object_id)})
            sections.append(
                InlineHistory(str(inline.model._meta.verbose_name_plural), tuple(edits))
            )
        context = {"inline_history": sections, **(extra_context or {})}
        return super().history_view(request, object_id, context)
