"""The guides, their advice as data, and the vocabularies students filter by."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programs.models import (
    CostBenchmark,
    Discipline,
    Guide,
    GuideItem,
    GuideTopic,
    SearchSynonym,
    Speciality,
    StudyLevel,
    TimelineStage,
)

from .base import DirectoryAdmin, SharedChoicesInlineMixin, SourcedAdmin, format_amount
from .inline_history import InlineHistoryMixin


@admin.register(Guide)
class GuideAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    list_display = ["title", "short_title", "publisher", "file_name"]
    search_fields = ["title", "short_title", "publisher"]
    prepopulated_fields = {"slug": ["short_title"]}


class GuideItemInline(SharedChoicesInlineMixin, admin.StackedInline):
    model = GuideItem
    extra = 0
    fields = [
        ("kind", "key", "position"),
        "title",
        "body",
        ("group", "stage", "study_level"),
        ("source_guide", "source_section"),
    ]


@admin.register(GuideTopic)
class GuideTopicAdmin(InlineHistoryMixin, DirectoryAdmin):
    inlines = [GuideItemInline]
    list_display = ["title", "slug", "position"]
    search_fields = ["title", "slug", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    save_on_top = True


@admin.register(GuideItem)
class GuideItemAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["title", "topic", "kind", "group", "stage", "position"]
    list_filter = ["topic", "kind", "stage"]
    list_select_related = ["topic", "stage"]
    search_fields = ["title", "body", "key", "group"]
    autocomplete_fields = ["topic", "stage", "study_level"]


@admin.register(TimelineStage)
class TimelineStageAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["name", "months_before_min", "months_before_max", "position"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CostBenchmark)
class CostBenchmarkAdmin(SimpleHistoryAdmin, SourcedAdmin):
    list_display = ["__str__", "slug", "amount", "position"]
    list_filter = ["kind", "currency", "period"]
    search_fields = ["slug", "notes"]

    @admin.display(description="amount")
    def amount(self, benchmark: CostBenchmark) -> str:
        return format_amount(benchmark)


class VocabularyAdmin(SourcedAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StudyLevel)
class StudyLevelAdmin(SimpleHistoryAdmin, VocabularyAdmin):
    pass


@admin.register(Speciality)
class SpecialityAdmin(SimpleHistoryAdmin, VocabularyAdmin):
    list_display = [*VocabularyAdmin.list_display, "is_emerging"]
    list_filter = ["is_emerging"]


@admin.register(Discipline)
class DisciplineAdmin(SimpleHistoryAdmin, VocabularyAdmin):
    pass


@admin.register(SearchSynonym)
class SearchSynonymAdmin(SimpleHistoryAdmin, DirectoryAdmin):
    """What students type that the directory words differently; read by every search."""

    list_display = ["term", "means", "note"]
    search_fields = ["term", "means", "note"]
