"""What every admin page in the directory shares: safe query strings and compact inline choices."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters, InlineModelAdmin
from django.core.exceptions import PermissionDenied
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, QueryDict


def has_nul(params: QueryDict) -> bool:
    """PostgreSQL refuses NUL in string literals, so a filter or search holding one would 500."""
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class DirectoryAdmin(admin.ModelAdmin):
    """Base for every model admin: odd query strings send the editor back, never to a 500 page."""

    list_per_page = 50

    def get_changelist_instance(self, request: HttpRequest):
        if has_nul(request.GET):
            # Handled by changelist_view like any bad lookup: a redirect to the list with ?e=1.
            raise IncorrectLookupParameters("NUL byte in the query string")
        return super().get_changelist_instance(request)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        # The autocomplete view searches without going through the changelist guard above.
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))


class SourcedAdmin(DirectoryAdmin):
    """For records transcribed from a guide: filter by the guide they cite."""

    def get_list_filter(self, request: HttpRequest):
        return (*super().get_list_filter(request), "source_guide")


class SharedChoicesInlineMixin(InlineModelAdmin):
    """Evaluate each plain foreign-key <select> once per page instead of once per inline row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if (
            field is not None
            and isinstance(field.choices, ModelChoiceIterator)  # a lazy query, run per render
            and db_field.name not in (*self.autocomplete_fields, *self.raw_id_fields)
        ):
            field.choices = list(field.choices)
        return field


def editor_id(request: HttpRequest) -> int:
    """The signed-in editor's id, for the admin's log; only staff reach an admin view."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    return request.user.pk


def format_amount(amount) -> str:
    """'US$1,000–2,000+', '~£500 per week': a Cost or CostBenchmark as the guide wrote it."""
    if amount.amount_min is None:
        return "—"
    if amount.period == "one_off":
        return amount.figures()
    return f"{amount.figures()} {amount.get_period_display()}"
