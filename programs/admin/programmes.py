"""Programme admin: the form editors spend their time in, with its rules and costs inline."""

from __future__ import annotations

import calendar
from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from programs.core import clock
from programs.decisions.deadlines import deadline_status
from programs.models import (
    City,
    Cost,
    DatedDeadline,
    EligibilityRule,
    Programme,
    ProgrammeQuerySet,
    Region,
)
from programs.models.review import REASONS, review_column, review_reasons

from .accepting import AcceptsSuggestionMixin
from .base import DirectoryAdmin, NoPopups, editor_id
from .import_forms import (
    LEAVE_CONFLICTS,
    OVERWRITE_NEWER,
    ProgrammeConfirmImportForm,
    ProgrammeImportForm,
    leave_conflicts,
    overwrite_newer,
)
from .import_progress import BackgroundImportMixin
from .old_figures import warn_after_formset
from .programme_create import CreatePageMixin
from .programme_form import CHECKED_TODAY, ProgrammeForm, record_verification
from .programme_writes import ProgrammeWritePathMixin
from .revisions import ProgrammeRevisionsMixin
from .sources import DatedDeadlineInline
from .transfer import ProgrammeResource, SpreadsheetCSV
from .uploads import SafeXLSX, UploadRefused
from .verification import verify_selected

MONTH_CHOICES = [("", "—"), *((n, calendar.month_name[n]) for n in range(1, 13))]
MONTH_FIELDS = {"deadline_month", "start_month", "end_month"}


def deadline_summary(programme: Programme) -> str:
    """One short phrase for the changelist: '15 March', 'Rolling, 8 weeks ahead'…"""
    kind, month, day = programme.deadline_kind, programme.deadline_month, programme.deadline_day
    month_name = calendar.month_name[month] if month and 1 <= month <= 12 else ""
    if kind == Programme.DeadlineKind.FIXED and month_name and day:
        return f"{day} {month_name}"
    if kind == Programme.DeadlineKind.APPROXIMATE:
        return f"Around {month_name}" if month_name else "Approximate"
    if kind == Programme.DeadlineKind.ROLLING and programme.deadline_lead_weeks is not None:
        return f"Rolling, {programme.deadline_lead_weeks} weeks ahead"
    return programme.get_deadline_kind_display()


class RegionListFilter(admin.SimpleListFilter):
    """Programmes by destination region (through their countries), by the region's slug."""

    title = "region"
    parameter_name = "region"
    NONE = "none"

    def lookups(self, request: HttpRequest, model_admin):
        return [
            *Region.objects.values_list("slug", "name"),
            (self.NONE, "No destination country"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if not value:
            return queryset
        if value == self.NONE:
            return queryset.filter(countries__isnull=True)
        return queryset.filter(countries__region__slug=value).distinct()


class NeedsReviewFilter(admin.SimpleListFilter):
    """The review queue: programmes with any (or one) reason to be checked again."""

    title = "needs review"
    parameter_name = "review"
    ANY = "any"

    def lookups(self, request: HttpRequest, model_admin):
        return [(self.ANY, "Any reason"), *REASONS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value not in {self.ANY, *REASONS}:
            return queryset
        # Only ProgrammeAdmin lists this filter, so the changelist's queryset is a ProgrammeQuerySet.
        queue = cast(ProgrammeQuerySet, queryset).needs_review(clock.today())
        return queue if value == self.ANY else queue.filter(**{review_column(value): True})


class EligibilityRuleInline(NoPopups, admin.StackedInline):
    model = EligibilityRule
    extra = 0
    autocomplete_fields = [
        "study_levels",
        "unclear_levels",
        "residency_country",
        "university",
        "source",
    ]
    fields = [
        ("kind", "applies_to", "key", "position"),
        "text",
        ("min_age", "study_levels", "unclear_levels", "final_school_years"),
        ("residency_country", "residency_area", "citizens_count"),
        "university",
        ("language_test", "language_score_min", "language_score_max"),
        "source",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("study_levels", "unclear_levels")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "text":
            # The sentence students read runs up to 400 characters: show it whole.
            kwargs["widget"] = AdminTextareaWidget(attrs={"rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CostInline(NoPopups, admin.StackedInline):
    model = Cost
    extra = 0
    fields = [
        ("kind", "key", "position"),
        ("amount_min", "amount_max", "currency", "period"),
        ("open_ended", "approximate"),
        "condition",
        "notes",
        "source",
    ]
    autocomplete_fields = ["source"]


@admin.register(Programme)
class ProgrammeAdmin(
    CreatePageMixin,
    ProgrammeWritePathMixin,
    AcceptsSuggestionMixin,
    BackgroundImportMixin,
    ProgrammeRevisionsMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
    DirectoryAdmin,
):
    form = ProgrammeForm
    resource_classes = [ProgrammeResource]
    formats = [SpreadsheetCSV, SafeXLSX]
    import_form_class = ProgrammeImportForm
    confirm_form_class = ProgrammeConfirmImportForm
    import_template_name = "admin/programs/programme/import.html"
    # A link to the deleted programmes (revisions.py); import-export adds its buttons around it.
    change_list_template = "admin/programs/programme/change_list.html"

    class Media:
        css = {"all": ["css/admin_review.css"]}

    def add_data_read_fail_error_to_form(self, form, e) -> None:
        if isinstance(e, UploadRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    history_list_display = ["status", "last_verified", "verified_by"]
    inlines = [DatedDeadlineInline, EligibilityRuleInline, CostInline]
    # What a review needs first (visible at 1280 px), then the descriptive columns.
    list_display = [
        "title",
        "status",
        "deadline",
        "last_verified",
        "review_reasons",
        "suggestions",
        "organisation",
        "programme_type",
        "pay",
    ]
    list_filter = [
        NeedsReviewFilter,
        RegionListFilter,
        "programme_type",
        "pay",
        "status",
        "deadline_kind",
        "listing_kind",
    ]
    list_select_related = ["organisation", "verified_by"]
    search_fields = ["title", "slug", "organisation__name", "summary"]
    autocomplete_fields = [
        "organisation",
        "partners",
        "countries",
        "cities",
        "specialities",
        "disciplines",
        "study_levels",
        "source",
        "application_url_source",
    ]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at", "last_verified", "verified_by"]
    save_on_top = True
    actions = ["publish", "archive", "mark_verified_today"]
    fieldsets = [
        (
            "Basics",
            {
                "fields": [
                    "title",
                    "slug",
                    "listing_kind",
                    "organisation",
                    "partners",
                    "summary",
                    "website",
                    "application_url",
                    ("application_url_source", "application_url_checked_on"),
                ]
            },
        ),
        ("Where", {"fields": ["delivery", "countries", "cities", "location_note"]}),
        (
            "What",
            {"fields": ["programme_type", "specialities", "disciplines", "study_levels"]},
        ),
        (
            "Dates and deadline",
            {
                "fields": [
                    ("duration_min_weeks", "duration_max_weeks"),
                    "duration_note",
                    ("start_month", "end_month"),
                    "dates_note",
                    "deadline_kind",
                    ("deadline_month", "deadline_day", "deadline_lead_weeks"),
                    "deadline_note",
                ],
                "description": "A fixed deadline needs a month and a day; a rolling one needs "
                "the lead time in weeks.",
            },
        ),
        ("Pay", {"fields": ["pay", "pay_note"]}),
        (
            "Role",
            {
                "fields": [
                    "role_includes",
                    "role_excludes",
                    "certificate",
                    "recognition_notes",
                    "how_to_apply",
                ]
            },
        ),
        (
            "Source and status",
            {
                "fields": [
                    "status",
                    CHECKED_TODAY,
                    ("last_verified", "verified_by"),
                    "source_guide",
                    "source_section",
                    "source",
                    "guide_references",
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs) -> dict:
        return {
            **super().get_import_resource_kwargs(request, **kwargs),
            OVERWRITE_NEWER: overwrite_newer(kwargs.get("form")),
            LEAVE_CONFLICTS: leave_conflicts(kwargs.get("form")),
        }

    def get_confirm_form_initial(self, request: HttpRequest, import_form) -> dict:
        initial = super().get_confirm_form_initial(request, import_form)
        return {
            **initial,
            OVERWRITE_NEWER: overwrite_newer(import_form),
            LEAVE_CONFLICTS: leave_conflicts(import_form),
        }

    @admin.display(description="deadline", ordering="deadline_month")
    def deadline(self, programme: Programme) -> str:
        # What students see today: a confirmed date before the stated one (decisions/deadlines).
        return deadline_status(programme, clock.today()).short

    def get_queryset(self, request: HttpRequest) -> ProgrammeQuerySet:
        # The reasons are columns of the same query, so the list column costs nothing extra.
        # The admin starts from Programme.objects, whose QuerySet the stubs cannot see through.
        programmes = cast(ProgrammeQuerySet, super().get_queryset(request))
        return (
            programmes.with_review_flags(clock.today())
            .with_open_suggestions()
            .prefetch_related(programmes.deadlines_prefetch())
        )

    @admin.display(description="open suggestions", ordering="open_suggestions")
    def suggestions(self, programme: Programme) -> str:
        count = getattr(programme, "open_suggestions", 0)
        if not count:
            return "—"
        inbox = reverse("admin:programs_suggestion_changelist")
        return format_html(
            '<a href="{}?programme__id__exact={}">{}</a>', inbox, programme.pk, count
        )

    @admin.display(description="needs review")
    def review_reasons(self, programme: Programme) -> str:
        if programme.status == Programme.Status.ARCHIVED:
            return "—"
        return "; ".join(review_reasons(programme)) or "—"

    def view_on_site(self, programme: Programme) -> str:
        # Staff see drafts and archived programmes on the site with a preview notice.
        return programme.get_absolute_url()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in MONTH_FIELDS:
            # Months are stored as numbers; editors pick them by name.
            kwargs["widget"] = forms.Select(choices=MONTH_CHOICES)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "cities":
            # City.__str__ names its country: one query for the chosen cities, not one each.
            kwargs["queryset"] = City.objects.select_related("country")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Programme, form, change: bool) -> None:
        record_verification(form, obj, editor_id(request))
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if formset.model is DatedDeadline:
            for deadline_form in formset.forms:
                if deadline_form.instance.recorded_by_id is None:
                    deadline_form.instance.recorded_by_id = editor_id(request)
        super().save_formset(request, form, formset, change)
        if formset.model is Cost:
            warn_after_formset(request, form.instance, formset)

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: str) -> int:
        changed = self.set_status_of(request, queryset, status)
        self._log(request, changed, f"Set status to {Programme.Status(status).label}.")
        return len(changed)

    def _log(self, request: HttpRequest, programmes: list[Programme], message: str) -> None:
        if programmes:
            LogEntry.objects.log_actions(
                user_id=editor_id(request),
                queryset=programmes,
                action_flag=CHANGE,
                change_message=message,
            )

    @admin.action(
        description="Publish the selected programmes",
        permissions=["change"],
    )
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        # The list's rows carry the review flags: a draft lacking what publishing needs stays.
        incomplete = [p for p in queryset if getattr(p, review_column("incomplete"), False)]
        ready = queryset.exclude(pk__in=[p.pk for p in incomplete])
        count = self._set_status(request, ready, Programme.Status.PUBLISHED)
        self.message_user(request, f"Published {count} programme(s).")
        if incomplete:
            self.message_user(
                request,
                "Not published, as they lack what publishing needs (see “needs review”): "
                + ", ".join(p.title for p in incomplete),
                messages.WARNING,
            )

    @admin.action(
        description="Archive the selected programmes",
        permissions=["change"],
    )
    def archive(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._set_status(request, queryset, Programme.Status.ARCHIVED)
        self.message_user(request, f"Archived {count} programme(s).")

    @admin.action(
        description="Check the selected programmes against their sources and mark verified",
        permissions=["change"],
    )
    def mark_verified_today(self, request: HttpRequest, queryset: QuerySet):
        return verify_selected(self, request, queryset)
