"""Programmes as spreadsheet rows (CSV/XLSX) for django-import-export.

Rows are matched by slug and related records by their natural keys (organisation and guide slugs,
country codes, vocabulary slugs), so a file exported here re-imports onto the same rows. Every row
is validated with `full_clean()`, and one bad row rolls the whole import back.

An import cannot overwrite newer work: each exported row carries its record's `updated_at`, and a
row that would change a record changed since then is a conflict, refused unless the adviser ticks
"overwrite newer changes", or left as it is (and listed) when the adviser ticks "import the other
rows". Every problem of a row comes in one round, in words (import_cells.py), and text that differs
from the stored text only in line endings or trailing spaces is not a change. `last_verified` and `updated_at` are read-only (verification happens
on the change form). The export has no `status` column, so an old file cannot re-publish or
un-archive anything; a file that adds a `status` column changes status on purpose.
"""

from __future__ import annotations

from datetime import datetime

import tablib
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from import_export import fields, resources, widgets
from import_export.instance_loaders import CachedInstanceLoader

from programs.catalogue import writing
from programs.catalogue.import_summary import CHANGES, LEFT_CONFLICT, ROW_SLUG, VERSION_COLUMN
from programs.models import Country, Guide, Organisation, Programme, Speciality, StudyLevel

from .import_cells import WholeNumberWidget, keep_unchanged_text, shown, text_field_names
from .uploads import SafeCSV, check_size, decode_spreadsheet_text

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


TEXT_FIELDS = text_field_names(Programme)


class SpreadsheetCSV(SafeCSV):
    """CSV that reads whatever encoding Excel wrote and writes UTF-8 with a byte-order mark, so
    Excel opens the export as UTF-8 instead of garbling accents (size, row and formula guards
    from `SafeCSV`)."""

    def is_binary(self) -> bool:
        # Read as bytes, so decoding is ours (import-export would insist on one encoding).
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream, **kwargs) -> tablib.Dataset:
        if isinstance(in_stream, bytes):
            check_size(in_stream)  # before decoding a file that may be far too large
            in_stream = decode_spreadsheet_text(in_stream)
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs) -> str:
        return "\ufeff" + super().export_data(dataset, **kwargs)


class VersionWidget(widgets.Widget):
    """The record's `updated_at` to the microsecond, so a re-import can tell newer work apart."""

    def render(self, value, obj=None, **kwargs) -> str:
        return value.isoformat() if value else ""

    def clean(self, value, row=None, **kwargs) -> datetime | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = datetime.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(
                    f"{value!r} is not the export's time stamp; leave the {VERSION_COLUMN} "
                    "column as it was exported."
                ) from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def choices_hint(model_field: models.Field) -> str:
    return ", ".join(str(value) for value, _ in model_field.choices or [] if value != "")


class ProgrammeResource(resources.ModelResource):
    organisation = _related("organisation", Organisation, "slug")
    source_guide = _related("source_guide", Guide, "slug")
    countries = _related("countries", Country, "code", many=True)
    specialities = _related("specialities", Speciality, "slug", many=True)
    study_levels = _related("study_levels", StudyLevel, "slug", many=True)
    last_verified = fields.Field(
        attribute="last_verified",
        column_name="last_verified",
        readonly=True,
        widget=widgets.DateWidget(),
    )
    updated_at = fields.Field(
        attribute="updated_at", column_name=VERSION_COLUMN, readonly=True, widget=VersionWidget()
    )

    class Meta:
        model = Programme
        import_id_fields = ["slug"]
        # The file's programmes in one query (with their countries, specialities and levels)
        # instead of four queries a row: a 10,000-row file spent half its time there.
        instance_loader_class = CachedInstanceLoader
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
            "application_url_source",
            "application_url_checked_on",
            "guide_references",
            "status",
            "last_verified",
            "source_guide",
            "source_section",
            "updated_at",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(
        self, overwrite_newer: bool = False, leave_conflicts: bool = False, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.overwrite_newer = overwrite_newer
        self.leave_conflicts = leave_conflicts
        # What skip_row learnt about a row, for after_import_row (keyed by the row dict's id).
        self.notes: dict[int, dict[str, object]] = {}

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, models.IntegerField):
            return WholeNumberWidget
        return super().widget_from_django_field(f, default)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs) -> None:
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except (ArithmeticError, TypeError, ValidationError):
            # Anything a widget raises is a problem with the cell, said in words.
            value = shown(row.get(field.column_name)).strip()
            raise ValueError(f"“{value}” cannot be read as {field.column_name}.") from None

    def import_instance(self, instance, row, **kwargs) -> None:
        """Every cell's problem at once (the many-to-many columns too, which the library only
        reads after saving, so their errors came in a second round), and text tidied."""
        before = {name: getattr(instance, name) for name in TEXT_FIELDS}
        errors: dict[str, list] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        keep_unchanged_text(instance, before)
        if errors:
            raise ValidationError(errors)

    def get_export_fields(self, selected_fields=None):
        # Status moves only through an explicit column an adviser adds to the file.
        return [f for f in super().get_export_fields(selected_fields) if f.column_name != "status"]

    def conflict(self, original: Programme, row) -> str:
        """Why this row may not change `original` (changed after the file was exported), or ''."""
        if self.overwrite_newer or original.pk is None:
            return ""
        exported = self.fields["updated_at"].clean(row) if VERSION_COLUMN in row else None
        if exported is None:
            return (
                f"This row has no {VERSION_COLUMN} from an export, so it cannot show that the "
                "programme is unchanged since; export again, or tick “Overwrite newer changes”."
            )
        if original.updated_at > exported:
            changed = formats.date_format(timezone.localtime(original.updated_at), "j F Y, H:i")
            return (
                f"The programme was changed on {changed}, after this file was exported: export "
                "again and redo the edit, or tick “Overwrite newer changes” to replace that work."
            )
        return ""

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        skip = super().skip_row(instance, original, row, import_validation_errors)
        if not skip and not import_validation_errors:
            # The row would change the record: only if nobody changed it since the export.
            reason = self.conflict(original, row)
            if reason and self.leave_conflicts:
                self.notes[id(row)] = {LEFT_CONFLICT: reason}
                return True
            if reason:
                raise ValidationError({VERSION_COLUMN: reason})
            if original is not None and original.pk is not None:
                self.notes[id(row)] = {CHANGES: self.changes(original, instance, row)}
        return skip

    def changes(self, original: Programme, instance: Programme, row) -> list[tuple[str, str, str]]:
        """(column, stored value, the file's value) for each column the row changes."""
        found = []
        for field in self.get_import_fields():
            if field.column_name == VERSION_COLUMN or field.column_name not in row:
                continue
            old = shown(self.export_field(field, original))
            if isinstance(field.widget, widgets.ManyToManyWidget):
                new = shown(field.widget.render(field.clean(row)))
            else:
                new = shown(self.export_field(field, instance))
            if old != new:
                found.append((field.column_name, old, new))
        return found

    def after_import_row(self, row, row_result, **kwargs) -> None:
        super().after_import_row(row, row_result, **kwargs)
        setattr(row_result, ROW_SLUG, shown(row.get("slug")))
        for name, value in self.notes.pop(id(row), {}).items():
            setattr(row_result, name, value)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(self.with_valid_choices(error.message_dict)) from None

    @staticmethod
    def with_valid_choices(errors: dict[str, list[str]]) -> dict[str, list[str]]:
        """'Value 'x' is not a valid choice.' → the same, followed by the valid ones."""
        named = {f.name: f for f in Programme._meta.concrete_fields if f.choices}
        return {
            name: [
                f"{message} Choose one of: {choices_hint(named[name])}."
                if name in named and "valid choice" in message
                else message
                for message in messages
            ]
            for name, messages in errors.items()
        }

    def get_queryset(self):
        return Programme.objects.select_related("organisation", "source_guide").prefetch_related(
            "countries", "specialities", "study_levels"
        )

    def before_import_row(self, row, **kwargs) -> None:
        for name in BLANK_TEXT_FIELDS:
            if name in row and row[name] is None:
                row[name] = ""

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        """Through the programme's write path (catalogue/writing.py), as the admin's form and
        restores: under the programme's row lock, the conflict check is made again (another
        adviser may have saved since the row was read), and a written programme gets its next
        version, its public "updated" time and fresh cached pages. Its lists are saved inside the
        same write."""
        user = kwargs.get("user")
        author = user if user is not None and user.is_authenticated else None
        with writing.programme_write(None if is_create else instance.pk, user=author) as write:
            if write.programme is not None and not self.overwrite_newer:
                reason = self.conflict(write.programme, row)
                if reason:
                    raise ValidationError({VERSION_COLUMN: reason})
            super().save_instance(instance, is_create, row, **kwargs)
            super().save_m2m(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs) -> None:
        """Saved by save_instance, inside the programme's write."""

    def before_save_instance(self, instance, row, **kwargs) -> None:
        # Who made the change, in the programme's history: a background import has no request
        # for simple-history's middleware to read it from.
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user

    def import_data(self, dataset, **kwargs):
        # All or nothing: a row that fails validation rolls back the rows before it, too.
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, **kwargs)
