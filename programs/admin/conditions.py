"""The eligibility rules' and costs' own admin pages (the programme's form edits them inline)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from programs.models import Cost, EligibilityRule

from .base import DirectoryAdmin, format_amount
from .old_figures import old_figures, warn


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["text", "programme", "kind", "applies_to", "position"]
    list_filter = ["kind", "applies_to"]
    list_select_related = ["programme"]
    search_fields = ["text", "key", "programme__title"]
    autocomplete_fields = [
        "programme",
        "study_levels",
        "unclear_levels",
        "residency_country",
        "university",
        "source",
    ]


@admin.register(Cost)
class CostAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["__str__", "programme", "kind", "amount", "position"]
    list_filter = ["kind", "currency", "period"]
    list_select_related = ["programme"]
    search_fields = ["key", "notes", "programme__title"]
    autocomplete_fields = ["programme", "source"]

    def save_model(self, request: HttpRequest, obj: Cost, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        warn(request, obj.programme, old_figures(form))

    @admin.display(description="amount")
    def amount(self, cost: Cost) -> str:
        return format_amount(cost)
