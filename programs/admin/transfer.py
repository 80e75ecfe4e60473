"""Programmes as spreadsheet rows (CSV/XLSX) for django-import-export.

Rows are matched by slug and related records by their natural keys (organisation and guide slugs,
country codes, vocabulary slugs), so a file exported here re-imports onto the same rows. Every row
is validated with `full_clean()`, and one bad row rolls the whole import back.
"""

from __future__ import annotations

from django.db import models
from import_export import fields, resources, widgets

from programs.models import Country, Guide, Organisation, Programme, Speciality, StudyLevel

SEPARATOR = "|"

# Spreadsheets give an empty cell as None; our optional text is stored as "" (never NULL).
BLANK_TEXT_FIELDS = [
    f.name
    for f in Programme._meta.concrete_fields
    if isinstance(f, models.CharField | models.TextField) and f.blank and not f.null
]


class StrictForeignKeyWidget(widgets.ForeignKeyWidget):
    """An unknown key is a field error naming the value, not a traceback."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            name = self.model._meta.verbose_name
            raise ValueError(f"No {name} has {self.field} {value!r}.") from None


class StrictManyToManyWidget(widgets.ManyToManyWidget):
    """Refuse unknown keys instead of silently dropping them from the list."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {part.strip() for part in str(value or "").split(self.separator) if part.strip()}
        missing = wanted - {str(getattr(obj, self.field)) for obj in found}
        if missing:
            name = self.model._meta.verbose_name_plural
            raise ValueError(f"No {name} with {self.field} {', '.join(sorted(missing))}.")
        return found


def _related(attribute: str, model, key: str, many: bool = False) -> fields.Field:
    widget = (
        StrictManyToManyWidget(model, separator=SEPARATOR, field=key)
        if many
        else StrictForeignKeyWidget(model, field=key)
    )
    return fields.Field(attribute=attribute, column_name=attribute, widget=widget)


class ProgrammeResource(resources.ModelResource):
    organisation = _related("organisation", Organisation, "slug")
    source_guide = _related("source_guide", Guide, "slug")
    countries = _related("countries", Country, "code", many=True)
    specialities = _related("specialities", Speciality, "slug", many=True)
    study_levels = _related("study_levels", StudyLevel, "slug", many=True)

    class Meta:
        model = Programme
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "listing_kind",
            "organisation",
            "summary",
            "programme_type",
            "delivery",
            "countries",
            "location_note",
            "specialities",
            "study_levels",
            "duration_min_weeks",
            "duration_max_weeks",
            "duration_note",
            "start_month",
            "end_month",
            "dates_note",
            "deadline_kind",
            "deadline_month",
            "deadline_day",
            "deadline_lead_weeks",
            "deadline_note",
            "pay",
            "pay_note",
            "role_includes",
            "role_excludes",
            "certificate",
            "recognition_notes",
            "how_to_apply",
            "website",
            "application_url",
            "guide_references",
            "status",
            "last_verified",
            "source_guide",
            "source_section",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return Programme.objects.select_related("organisation", "source_guide").prefetch_related(
            "countries", "specialities", "study_levels"
        )

    def before_import_row(self, row, **kwargs) -> None:
        for name in BLANK_TEXT_FIELDS:
            if name in row and row[name] is None:
                row[name] = ""

    def import_data(self, dataset, **kwargs):
        # All or nothing: a row that fails validation rolls back the rows before it, too.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)
