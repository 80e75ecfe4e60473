"""Exchange rates and legitimacy signals, the data behind the student decision tools."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programs.models import ExchangeRate, LegitimacySignal

from .base import DirectoryAdmin, SourcedAdmin


@admin.register(ExchangeRate)
class ExchangeRateAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["currency", "per_eur", "as_of", "illustrative", "source_note"]
    list_filter = ["illustrative"]
    search_fields = ["currency", "source_note"]


@admin.register(LegitimacySignal)
class LegitimacySignalAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["programme", "check_item", "state", "note"]
    list_filter = ["state"]
    list_select_related = ["programme", "check_item"]
    search_fields = ["programme__title", "check_item__title", "note"]
    autocomplete_fields = ["programme", "check_item"]
