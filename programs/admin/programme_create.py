"""Adding a programme in five minutes (issue 23): one page asking only for what publishing needs.

- The add page is its own short form (`ProgrammeCreateForm`, `CREATE_FIELDSETS`) in an
  adviser's words, with a confirmed deadline, eligibility rules and costs on the same page
  (`CREATE_INLINES`, keys made from what was typed).
- The organisation is picked by autocomplete, or named (with its kind) when it is new: it is
  created on save, citing the programme's source. No field opens a popup window.
- Where the facts come from is said on the page (the provider's website, an email, a call, a
  publication) or picked from the sources already recorded; it is created on save, recorded by
  the adviser, and a confirmed deadline cites it unless it says otherwise.
- A draft may be saved incomplete; the review queue then says what it lacks
  (`models/review.py`, "Draft not ready to publish: missing …"). Publishing needs a summary, a
  type, a destination (unless virtual) and the study levels it takes.
- The save is one write of the new programme through the write path (programme_writes.py).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.text import slugify

from programs.core import clock
from programs.models import Cost, DatedDeadline, EligibilityRule, Organisation, Programme, Source

from .base import NoPopups
from .programme_form import CHECKED_TODAY, ProgrammeForm
from .sources import OneDeadlinePerCycleFormSet

SOURCE_KINDS = [
    (Source.Kind.WEBSITE, "The provider's website"),
    (Source.Kind.EMAIL, "An email from the provider"),
    (Source.Kind.CALL, "A call with the provider"),
    (Source.Kind.PUBLICATION, "Another publication"),
]
# Source fields → the create form's fields that say them.
SOURCE_FIELDS = {"url": "source_url", "date": "source_date", "title": "source_title"}

CREATE_FIELDSETS = [
    (
        "The programme",
        {
            "fields": [
                "title",
                "organisation",
                ("new_organisation", "new_organisation_kind"),
                "programme_type",
                "summary",
                "delivery",
                "countries",
                "study_levels",
            ]
        },
    ),
    (
        "Length, pay and deadline",
        {
            "fields": [
                ("duration_min_weeks", "duration_max_weeks"),
                ("pay", "pay_note"),
                "deadline_kind",
                ("deadline_month", "deadline_day", "deadline_lead_weeks"),
                "application_url",
            ],
            "description": "Leave out what the source does not say: students are told it is "
            "not stated.",
        },
    ),
    (
        "Where these facts come from",
        {
            "fields": [
                ("source_kind", "source_date"),
                "source_url",
                "source_title",
                "source",
            ]
        },
    ),
    ("Publish", {"fields": ["status", CHECKED_TODAY]}),
]

LABELS = {
    "title": "Name of the programme",
    "organisation": "Organisation that runs it",
    "programme_type": "Kind of placement",
    "summary": "What it is, in one or two sentences for students",
    "delivery": "In person or online",
    "countries": "Country where it takes place",
    "study_levels": "Who may apply",
    "duration_min_weeks": "Shortest length in weeks",
    "duration_max_weeks": "Longest length in weeks",
    "pay_note": "About the pay, in the source's words",
    "deadline_kind": "How the deadline works",
    "deadline_month": "Deadline month",
    "deadline_day": "Deadline day",
    "deadline_lead_weeks": "Or: apply this many weeks ahead",
    "application_url": "Where students apply (the official page)",
    "status": "Publish now, or keep as a draft",
    "source": "Or a source already recorded",
}
HELP = {
    "title": "As the provider writes it, e.g. “Surgical research placement (Famulatur)”.",
    "organisation": "Type part of its name. If it is not there yet, give its name below.",
    "study_levels": "Type to search, e.g. “medical student”.",
    "duration_max_weeks": "The same as the shortest for a fixed length.",
    "deadline_lead_weeks": "For rolling applications.",
    "status": "A draft can be saved with parts missing; the review queue lists them.",
    "source": "A guide section or an email you recorded before, instead of the fields above.",
}


class ProgrammeCreateForm(ProgrammeForm):
    new_organisation = forms.CharField(
        label="Or a new organisation's name",
        max_length=200,
        required=False,
        help_text="Created when you save, citing the source below.",
    )
    new_organisation_kind = forms.ChoiceField(
        label="Its kind", choices=[("", "—"), *Organisation.Kind.choices], required=False
    )
    source_kind = forms.ChoiceField(
        label="What you read or heard", choices=SOURCE_KINDS, initial=Source.Kind.WEBSITE
    )
    source_date = forms.DateField(
        label="On what day",
        required=False,
        help_text="When you read the page, received the email or made the call.",
    )
    source_url = forms.URLField(
        label="Address of the page",
        required=False,
        max_length=200,
        help_text="The provider's page you read (optional for an email or a call).",
    )
    source_title = forms.CharField(
        label="Title or label",
        required=False,
        max_length=200,
        help_text="A publication's title; otherwise optional, e.g. “Admissions office”.",
    )

    recorded_by_id: int | None = None  # the signed-in adviser, set by the admin's get_form()

    class Meta:
        model = Programme
        exclude: list[str] = []
        labels = LABELS
        help_texts = HELP

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.new_source: Source | None = None
        self.new_organisation_row: Organisation | None = None
        if "source_date" in self.fields:
            self.fields["source_date"].initial = clock.today()
        for name in ("summary", "programme_type", "organisation"):
            if name in self.fields:
                self.fields[name].required = False  # a draft may lack them; see clean()

    def clean(self):
        data = super().clean()
        if data.get("source") is None:
            self.new_source = self._new_source(data)
            # Unsaved until the save: the programme's citation check sees it (clean_citation).
            # When the source's fields were refused, their errors say so; the blank one only
            # keeps the check from naming a guide field this page does not have.
            data["source"] = self.new_source or Source()
        self._cite_application_page(data)
        if data.get("organisation") is None:
            self.new_organisation_row = self._new_organisation(data)
        # Publishing's own needs (a destination, who may apply) are ProgrammeForm.clean()'s.
        if data.get("status") == Programme.Status.PUBLISHED and not self.has_organisation(data):
            self.add_error("organisation", "Choose the organisation, or give a new one.")
        return data

    def _cite_application_page(self, data: dict) -> None:
        """An application page given on this page comes from the source given below it, checked
        on that source's day (today for a source recorded before)."""
        if not data.get("application_url"):
            return
        source = data["source"]
        self.instance.application_url_source = source
        self.instance.application_url_checked_on = (
            data.get("source_date") if self.new_source is not None else None
        ) or clock.today()

    def has_organisation(self, data: dict) -> bool:
        return data.get("organisation") is not None or self.new_organisation_row is not None

    def _new_source(self, data: dict) -> Source | None:
        source = Source(
            kind=data.get("source_kind") or Source.Kind.WEBSITE,
            url=data.get("source_url") or "",
            date=data.get("source_date"),
            title=data.get("source_title") or "",
            recorded_by_id=self.recorded_by_id,
        )
        try:
            source.full_clean(exclude=["recorded_by"])
        except ValidationError as refused:
            for field, messages in refused.message_dict.items():
                self.add_error(SOURCE_FIELDS.get(field, "source_kind"), messages)
            return None
        return source

    def _new_organisation(self, data: dict) -> Organisation | None:
        name = (data.get("new_organisation") or "").strip()
        if not name:
            if data.get("status") != Programme.Status.PUBLISHED:  # there, clean() says it
                self.add_error(
                    "organisation",
                    "Choose the organisation (type part of its name), or give a new one's name.",
                )
            return None
        if not data.get("new_organisation_kind"):
            self.add_error("new_organisation_kind", "Say what kind of organisation it is.")
            return None
        if Organisation.objects.filter(name__iexact=name).exists():
            self.add_error(
                "new_organisation", f"“{name}” is already recorded: choose it above instead."
            )
            return None
        countries = list(data.get("countries") or [])
        return Organisation(
            slug=unique_slug(Organisation, name),
            name=name,
            kind=data["new_organisation_kind"],
            country=countries[0] if len(countries) == 1 else None,
        )

    def _post_clean(self) -> None:
        if not self.instance.slug and self.cleaned_data.get("title"):
            self.instance.slug = unique_slug(Programme, self.cleaned_data["title"])
        super()._post_clean()  # type: ignore[misc]


def unique_slug(model: type[models.Model], name: str, max_length: int = 120) -> str:
    base = slugify(name)[: max_length - 4].strip("-") or "programme"
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def save_new_citations(request: HttpRequest, form: ProgrammeCreateForm, obj: Programme) -> None:
    """Before the new programme's save: its new source, then its new organisation citing it."""
    if form.new_source is not None:
        form.new_source.recorded_by_id = request.user.pk
        form.new_source.save()
        obj.source = form.new_source
        if obj.application_url:
            obj.application_url_source = form.new_source
    if form.new_organisation_row is not None:
        organisation = form.new_organisation_row
        organisation.source = obj.source
        if obj.source is None:
            organisation.source_guide, organisation.source_section = (
                obj.source_guide,
                obj.source_section,
            )
        organisation.save()
        obj.organisation = organisation


def next_key(formset, instance: models.Model, words: str) -> str:
    """A key for a new rule or cost, unique in its programme: "salary", "salary-2"…"""
    rows = type(instance)._default_manager.filter(programme=formset.instance)
    taken = set(rows.values_list("key", flat=True))
    taken |= {getattr(f.instance, "key", "") for f in formset.forms}
    base = slugify(words)[:70] or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def fill_in_new_rows(formset, programme: Programme) -> None:
    """Keys from what was typed; a confirmed deadline cites the programme's source."""
    for form in formset.forms:
        row = form.instance
        if not form.has_changed() or row.pk is not None:
            continue
        if isinstance(row, Cost | EligibilityRule) and not row.key:
            row.key = next_key(formset, row, row.kind)
        if isinstance(row, DatedDeadline) and row.source_id is None:
            row.source = programme.source


class CreateDeadlineInline(NoPopups, admin.TabularInline):
    model = DatedDeadline
    formset = OneDeadlinePerCycleFormSet
    extra = 1
    max_num = 1
    fields = ["cycle", "date", "note"]
    verbose_name = "confirmed deadline"
    verbose_name_plural = "confirmed deadline (with its year; cites the source above)"


class CreateRuleInline(NoPopups, admin.TabularInline):
    model = EligibilityRule
    extra = 1
    fields = ["kind", "text"]
    verbose_name = "who may apply: a rule"
    verbose_name_plural = "who may apply: rules in the source's words"


class CreateCostInline(NoPopups, admin.TabularInline):
    model = Cost
    extra = 1
    fields = ["kind", "amount_min", "amount_max", "currency", "period"]
    verbose_name = "cost or pay"
    verbose_name_plural = "costs and pay (fees, salary, stipend)"


CREATE_INLINES = [CreateDeadlineInline, CreateRuleInline, CreateCostInline]


class CreatePageMixin(NoPopups, admin.ModelAdmin):
    """ProgrammeAdmin's add page: the short form, its inlines, and saving what it names."""

    def get_fieldsets(self, request: HttpRequest, obj=None):
        return CREATE_FIELDSETS if obj is None else super().get_fieldsets(request, obj)

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ProgrammeCreateForm
            form = super().get_form(request, obj, change, **kwargs)
            return type(form.__name__, (form,), {"recorded_by_id": request.user.pk})
        return super().get_form(request, obj, change, **kwargs)

    def get_inlines(self, request: HttpRequest, obj):
        return CREATE_INLINES if obj is None else super().get_inlines(request, obj)

    def get_prepopulated_fields(self, request: HttpRequest, obj=None):
        return {} if obj is None else super().get_prepopulated_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Programme, form, change: bool) -> None:
        if not change and isinstance(form, ProgrammeCreateForm):
            save_new_citations(request, form, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        if not change:
            fill_in_new_rows(formset, form.instance)
        super().save_formset(request, form, formset, change)
