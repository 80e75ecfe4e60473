"""Shared pieces: the source guides, provenance and natural-key managers."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from programs.core.text import first_control_character

LINE_BREAKS = ("\r", "\n", "\u2028", "\u2029")


def reject_line_breaks(instance: models.Model, exclude=None) -> None:
    """Single-line text (every CharField) holds no line break: a title with a newline would break
    the headers, calendars and CSV cells it ends up in. Multi-line text lives in TextFields. No text
    field holds a control character (`core.text.CONTROL_CHARACTERS`): a bell or an escape pasted
    into a note would break the Atom feed and the XLSX export for everyone."""
    errors: dict[str, list[str]] = {}
    for f in instance._meta.concrete_fields:
        if not isinstance(f, models.CharField | models.TextField) or f.name in (exclude or ()):
            continue
        value = getattr(instance, f.attname) or ""
        if isinstance(f, models.CharField) and any(mark in value for mark in LINE_BREAKS):
            errors.setdefault(f.name, []).append("This is a single line: remove the line break.")
        control = first_control_character(value)
        if control is not None:
            errors.setdefault(f.name, []).append(
                f"Remove the invisible control character U+{ord(control):04X} (pasted from another "
                "program, it cannot be shown, exported or put in a calendar)."
            )
    if errors:
        raise ValidationError(errors)


def clean_single_line_fields(instance: models.Model, clean_fields, exclude=None) -> None:
    """A model's `clean_fields` (passed in) plus `reject_line_breaks`, errors merged. Every model
    with text an adviser or a visitor writes calls it from its `clean_fields` (a test walks them)."""
    errors: dict[str, list] = {}
    for check in (clean_fields, lambda exclude: reject_line_breaks(instance, exclude)):
        try:
            check(exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.update_error_dict({}).items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def serialized_after[F: Callable[..., tuple]](*model_labels: str) -> Callable[[F], F]:
    """Django's `natural_key.dependencies`: the models `dumpdata` must write before this one.

    Typed: a function attribute assigned in the class body is an error to mypy (django-stubs #297).
    """

    def mark(natural_key: F) -> F:
        vars(natural_key)["dependencies"] = list(model_labels)
        return natural_key

    return mark


class SlugNaturalKeyManager(models.Manager):
    """Seeded models are looked up by slug, so fixtures re-load instead of duplicating."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Guide(models.Model):
    """A published guide that the directory's facts are transcribed from."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80)
    publisher = models.CharField(max_length=120, blank=True)
    file_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="File of the transcribed text in shared/source-guides.",
    )
    summary = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class Sourced(models.Model):
    """A record that cites the guide and the section heading it was transcribed from."""

    source_guide = models.ForeignKey(
        Guide,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The guide this record was transcribed from.",
    )
    source_section = models.CharField(
        max_length=200, help_text="The guide's section heading, word for word."
    )

    class Meta:
        abstract = True

    @property
    def citation(self) -> str:
        return f"{self.source_guide.title} — {self.source_section}"

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


# Plausible values. Ages: nobody younger than a secondary-school pupil applies, and a stated minimum
# above 100 is a typing slip. Weeks: a placement (or a lead time) longer than two years is a slip.
MIN_AGE_BOUNDS = (10, 100)
MAX_WEEKS = 104


def check_bounds(errors: dict, value, low: int, high: int, field: str, message: str) -> None:
    """Shared twin of the plausibility constraints, for clean()."""
    if value is not None and not low <= value <= high:
        errors.setdefault(field, ValidationError(message, code="implausible"))


def check_range(errors: dict, low, high, low_field: str, high_field: str, what: str) -> None:
    """Shared twin of the min ≤ max database constraints, for clean()."""
    if low is not None and high is not None and low > high:
        errors[high_field] = ValidationError(
            f"The maximum {what} ({high}) is below the minimum ({low}); swap them or correct one.",
            code="min_above_max",
        )
