"""Sources beyond the guides, and the dated deadlines they confirm."""

from __future__ import annotations

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from programs.models import DatedDeadline, Source

from .base import DirectoryAdmin, NoPopups, editor_id


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["__str__", "kind", "date", "url", "recorded_by"]
    list_filter = ["kind", "guide"]
    list_select_related = ["guide", "recorded_by"]
    search_fields = ["title", "section", "url", "note", "guide__title"]
    autocomplete_fields = ["guide"]
    readonly_fields = ["recorded_at"]
    fields = [
        "kind",
        ("guide", "section"),
        "title",
        "url",
        "date",
        "note",
        ("recorded_by", "recorded_at"),
    ]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        # Whoever opens the form is, nearly always, the adviser who is recording the source.
        initial = super().get_changeform_initial_data(request)
        return {"recorded_by": editor_id(request), **initial}


class OneDeadlinePerCycleFormSet(BaseInlineFormSet):
    def get_unique_error_message(self, unique_check) -> str:
        if "cycle" in unique_check:
            return (
                "Two dated deadlines for the same cycle: a programme has one confirmed deadline "
                "per cycle. Keep the one its source confirms."
            )
        return super().get_unique_error_message(unique_check)


class DatedDeadlineInline(NoPopups, admin.TabularInline):
    """Deadlines with a year, each citing where the date comes from (the *confirmed* ones)."""

    model = DatedDeadline
    formset = OneDeadlinePerCycleFormSet
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["cycle", "date", "note", "source", "recorded_by"]
    readonly_fields = ["recorded_by"]
    verbose_name = "dated deadline (confirmed by a source)"
    verbose_name_plural = "dated deadlines (confirmed by a source)"


@admin.register(DatedDeadline)
class DatedDeadlineAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["programme", "cycle", "date", "source", "recorded_by"]
    list_filter = ["cycle"]
    list_select_related = ["programme", "source", "source__guide", "recorded_by"]
    search_fields = ["programme__title", "note"]
    autocomplete_fields = ["programme", "source"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request: HttpRequest, obj: DatedDeadline, form, change: bool) -> None:
        if obj.recorded_by_id is None:
            obj.recorded_by_id = editor_id(request)
        super().save_model(request, obj, form, change)
