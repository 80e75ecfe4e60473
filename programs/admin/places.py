"""Where placements happen and who runs them: regions, countries, cities, organisations."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from programs.models import City, Country, DestinationNote, Organisation, Region

from .base import DirectoryAdmin, SharedChoicesInlineMixin, SourcedAdmin
from .inline_history import InlineHistoryMixin


class DestinationNoteInline(SharedChoicesInlineMixin, admin.StackedInline):
    model = DestinationNote
    extra = 0
    autocomplete_fields = ["country"]
    fields = [
        ("kind", "key", "position"),
        "country",
        "text",
        ("source_guide", "source_section"),
    ]


@admin.register(Region)
class RegionAdmin(InlineHistoryMixin, SourcedAdmin):
    inlines = [DestinationNoteInline]
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CityInline(admin.TabularInline):
    model = City
    extra = 0
    fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(InlineHistoryMixin, DirectoryAdmin):
    inlines = [CityInline]
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    list_select_related = ["region"]
    search_fields = ["name", "code"]


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["name", "country"]
    list_filter = [("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country"]
    search_fields = ["name", "slug", "country__name"]
    autocomplete_fields = ["country"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # City.__str__ names the country; autocomplete results use this queryset too.
        return super().get_queryset(request).select_related("country")


@admin.register(DestinationNote)
class DestinationNoteAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["__str__", "key", "country", "position"]
    list_filter = ["region", "kind"]
    list_select_related = ["region", "country"]
    search_fields = ["key", "text", "region__name", "country__name"]
    autocomplete_fields = ["region", "country"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["name", "kind", "country", "city"]
    list_filter = ["kind", ("country", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["country", "city__country"]
    search_fields = ["name", "slug", "description"]
    autocomplete_fields = ["country", "city", "source"]
    prepopulated_fields = {"slug": ["name"]}
