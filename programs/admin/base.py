"""What every admin page in the directory shares: safe query strings and compact inline choices."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters, InlineModelAdmin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest, QueryDict

from programs.admin.concurrency import StaleFormGuardMixin
from programs.admin.presence import EditingPresenceMixin


def has_nul(params: QueryDict) -> bool:
    """PostgreSQL refuses NUL in string literals, so a filter or search holding one would 500."""
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


NOTHING_SAVED = "_directory_nothing_saved"


def matches_database(obj) -> bool:
    """Whether every stored field of `obj` already holds the value it has in the database."""
    names = [
        f.attname
        for f in obj._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False)
    ]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values(*names).first()
    return stored is not None and all(stored[name] == getattr(obj, name) for name in names)


class DirectoryAdmin(EditingPresenceMixin, StaleFormGuardMixin, admin.ModelAdmin):
    """Base for every model admin: odd query strings send the editor back, never to a 500 page,
    a save from a stale form (any part of it) is refused with what changed meanwhile
    (concurrency.py), the change form says who else has the record open (presence.py), and a
    save that changes nothing writes nothing (no update, no history entry, no timestamp)."""

    list_per_page = 50

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        # A revert (simple-history) posts an unchanged form whose instance differs from the row,
        # so the row itself is compared too.
        nothing = change and not form.changed_data and matches_database(obj)
        setattr(request, NOTHING_SAVED, nothing)
        if not nothing:
            super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if getattr(request, NOTHING_SAVED, False):
            # Inline formsets already skip their unchanged rows; only they may have changes.
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            if any(formset.has_changed() for formset in formsets):
                setattr(request, NOTHING_SAVED, False)
            return
        super().save_related(request, form, formsets, change)

    def log_change(self, request: HttpRequest, obj, message):
        if getattr(request, NOTHING_SAVED, False):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request: HttpRequest, message, level=messages.INFO, *args, **kwargs):
        if level == messages.SUCCESS and getattr(request, NOTHING_SAVED, False):
            message = "Nothing was changed, so nothing was saved."
            level = messages.INFO
        super().message_user(request, message, level, *args, **kwargs)

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


class NoPopups:
    """Related fields without the add/change/view/delete links that open popup windows."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(field.widget, RelatedFieldWidgetWrapper):
            widget = field.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_view_related = widget.can_delete_related = False
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
